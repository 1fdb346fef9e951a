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


def binned_ranks(ranks: np.ndarray, n_samples: int, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Ranks [N] → counts per bin and each bin's expected share under uniform ranks.

    The L + 1 possible ranks rarely split evenly into ``bins`` bins (65 ranks into 16), so a bin's
    expected share is the number of ranks it holds over L + 1, not 1 / bins.
    """
    bin_of_rank = np.arange(n_samples + 1) * bins // (n_samples + 1)
    expected_share = np.bincount(bin_of_rank, minlength=bins) / (n_samples + 1)
    return np.bincount(bin_of_rank[ranks], minlength=bins), expected_share


def sbc_uniformity(ranks: np.ndarray, n_samples: int, bins: int = 16) -> list[float]:
    """χ² p-value of the rank histogram against uniform, per parameter."""
    out = []
    for p in range(ranks.shape[1]):
        counts, share = binned_ranks(ranks[:, p], n_samples, bins)
        out.append(float(stats.chisquare(counts, share * counts.sum()).pvalue))
    return out
