"""Simulation-based calibration ranks (Talts et al. 2018, "Validating Bayesian Inference Algorithms
with Simulation-Based Calibration", alg. 1): the rank of the truth among L posterior samples is uniform
on {0, …, L} for a calibrated posterior; uniformity is checked with a χ² test on binned ranks.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def sbc_ranks(samples: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """samples [N, L, P], truth [N, P] → ranks [N, P] in 0..L."""
    return (samples < truth[:, None, :]).sum(axis=1)


def sbc_uniformity(ranks: np.ndarray, n_samples: int, bins: int = 16) -> list[float]:
    """χ² p-value of the rank histogram against uniform, per parameter."""
    edges = np.linspace(0, n_samples + 1, bins + 1)
    out = []
    for p in range(ranks.shape[1]):
        counts, _ = np.histogram(ranks[:, p], bins=edges)
        out.append(float(stats.chisquare(counts).pvalue))
    return out
