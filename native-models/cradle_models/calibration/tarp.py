"""TARP: tests of accuracy with random points (Lemos et al. 2023, "Sampling-Based Accuracy Testing of
Posterior Estimators for General Inference", ICML, alg. 1).

Parameters are z-scored with the truths' mean and std. For each star a reference point θ_r is drawn
uniformly in the truths' bounding box; f = fraction of posterior samples closer to θ_r than the truth.
The expected coverage probability is ECP(α) = mean(f < α); a calibrated posterior gives ECP(α) = α, i.e.
f ~ U(0, 1); a curve below the diagonal (ATC < 0) means over-confident posteriors, above (ATC > 0)
under-confident ones. Reported: the curve, the area between curve and diagonal (ATC, as the ``tarp`` package:
sum of ECP − α over α > ½ on the grid), and a KS test of f against U(0, 1) (as sbi's ``check_tarp``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass
class TarpResult:
    alpha: np.ndarray
    ecp: np.ndarray
    atc: float
    ks_pvalue: float
    max_deviation: float
    f: np.ndarray  # per star: fraction of samples closer to the reference point than the truth


def standardise(samples: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z-score samples [N, S, P] and truth [N, P] with the truths' mean and std."""
    mean = truth.mean(axis=0)
    std = truth.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (samples - mean) / std, (truth - mean) / std


def reference_points(truth_z: np.ndarray, seed: int) -> np.ndarray:
    """One reference point per star, uniform in the standardised truths' bounding box."""
    rng = np.random.default_rng(seed)
    return rng.uniform(truth_z.min(axis=0), truth_z.max(axis=0), size=truth_z.shape)


def tarp(
    samples: np.ndarray,
    truth: np.ndarray,
    seed: int = 0,
    n_alpha: int = 51,
    references: np.ndarray | None = None,
) -> TarpResult:
    """samples [N, S, P], truth [N, P]; ``references`` [N, P] in standardised units (default: random)."""
    s, t = standardise(samples, truth)
    ref = reference_points(t, seed) if references is None else references
    d_samples = np.linalg.norm(s - ref[:, None, :], axis=2)
    d_truth = np.linalg.norm(t - ref, axis=1)
    f = (d_samples < d_truth[:, None]).mean(axis=1)
    alpha = np.linspace(0.0, 1.0, n_alpha)
    ecp = (f[None, :] < alpha[:, None]).mean(axis=1)
    atc = float((ecp - alpha)[alpha > 0.5].sum())
    return TarpResult(
        alpha=alpha,
        ecp=ecp,
        atc=atc,
        ks_pvalue=float(stats.kstest(f, "uniform").pvalue),
        max_deviation=float(np.max(np.abs(ecp - alpha))),
        f=f,
    )
