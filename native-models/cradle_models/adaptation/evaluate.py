"""Posterior accuracy and calibration on a labelled set: bias and RMSE of the posterior mean, and the
coverage of the central 68% and 95% credible intervals, for log age (dex) and A_V (mag).

Coverage is measured as in the main report (calibration/coverage.py): the randomised PIT of the truth
among the samples, which is uniform for a calibrated posterior whatever the number of samples. The
percentile intervals of 32 samples are not: numpy's default percentiles (type 7) of 32 draws of the
exact posterior hold the truth 64.0% / 89.9% of the time at 68% / 95%."""

from __future__ import annotations

import numpy as np
import torch

from cradle_models.adaptation.model import DASimformer
from cradle_models.adaptation.shift_data import Catalogue, to_network
from cradle_models.adaptation.train import Normaliser, take
from cradle_models.calibration.coverage import coverage_at, truth_quantiles

SCORED = {"log_age": 0, "av": 3}


def posterior_samples(
    model: DASimformer,
    norm: Normaliser,
    cat: Catalogue,
    domain: str,
    samples: int,
    steps: int,
    seed: int,
    chunk: int = 200,
) -> np.ndarray:
    """Samples of the transformed θ [n, samples, 4] (log age, log M, log d, log(A_V + 0.05))."""
    batch = norm.batch(cat)
    n = cat.theta.shape[0]
    gen = torch.Generator().manual_seed(seed)
    out: list[np.ndarray] = []
    model.eval()
    with torch.no_grad():
        for lo in range(0, n, chunk):
            rows = torch.arange(lo, min(n, lo + chunk))
            tokens, valid, _ = model.encoders(domain)(take(batch, rows))
            z = model.sample(tokens, valid, samples, steps, gen).numpy()
            out.append(norm.theta_physical(z))
    model.train()
    return np.concatenate(out, axis=0)


def physical_scored(y: np.ndarray) -> dict[str, np.ndarray]:
    """The scored quantities from transformed θ (last axis): log age as is, A_V = 10^y − 0.05."""
    return {"log_age": y[..., 0], "av": 10 ** y[..., 3] - 0.05}


def metrics(samples: np.ndarray, cat: Catalogue, seed: int = 0) -> dict[str, dict[str, float]]:
    """``seed``: the PIT's tie-breaking draws (fixed, so a report is reproducible)."""
    truth = physical_scored(to_network(cat.theta))
    post = physical_scored(samples)
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, float]] = {}
    for name in SCORED:
        s, t = post[name], truth[name]
        mean = s.mean(axis=1)
        cov68, cov95 = coverage_at(truth_quantiles(s[:, :, None], t[:, None], rng), (0.68, 0.95))[:, 0]
        out[name] = {
            "bias": float(np.mean(mean - t)),
            "rmse": float(np.sqrt(np.mean((mean - t) ** 2))),
            "coverage68": float(cov68),
            "coverage95": float(cov95),
        }
    return out
