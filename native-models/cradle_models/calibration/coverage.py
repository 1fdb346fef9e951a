"""Expected coverage of central credible intervals, per parameter.

For each star the truth's quantile in its posterior samples is u = P̂(θ < θ*) (ties split evenly). The
truth lies in the central α credible interval iff |u − ½| ≤ α/2, so the empirical coverage at level α is
the fraction of stars with |u − ½| ≤ α/2; a calibrated posterior gives coverage = α for every α
(Talts et al. 2018; Hermans et al. 2022, "A Trust Crisis in Simulation-Based Inference?", sec. 3).
"""

from __future__ import annotations

import numpy as np

REPORT_LEVELS = (0.5, 0.68, 0.9, 0.95)


def truth_quantiles(samples: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """samples [N, S, P], truth [N, P] → u [N, P] ∈ [0, 1]."""
    below = (samples < truth[:, None, :]).mean(axis=1)
    equal = (samples == truth[:, None, :]).mean(axis=1)
    return below + 0.5 * equal


def coverage_at(u: np.ndarray, levels: np.ndarray | tuple[float, ...]) -> np.ndarray:
    """u [N, P] → empirical coverage [len(levels), P] of the central intervals at ``levels``."""
    lv = np.asarray(levels, dtype=np.float64)
    return (np.abs(u[None, :, :] - 0.5) <= lv[:, None, None] / 2.0).mean(axis=1)


def coverage_curve(u: np.ndarray, n_levels: int = 51) -> tuple[np.ndarray, np.ndarray]:
    levels = np.linspace(0.0, 1.0, n_levels)
    return levels, coverage_at(u, levels)
