"""The Simformer on a linear Gaussian model with per-star noise: posterior against the analytic one."""

from __future__ import annotations

import numpy as np
from helpers import c2st, sample_physical


def _star(sim):  # type: ignore[no-untyped-def]
    theta = np.array([0.3, -0.2])
    sigma = np.array([0.5, 0.4, 0.6])
    x = sim.matrix @ theta + sim.offset + np.array([0.2, -0.3, 0.1])
    values = np.concatenate([[np.nan, np.nan], x])
    errors = np.concatenate([[0.0, 0.0], sigma])
    return x, sigma, values, errors


def test_posterior_matches_analytic_mean_covariance_and_c2st(linear_gaussian) -> None:  # type: ignore[no-untyped-def]
    sim, model, variables = linear_gaussian
    x, sigma, values, errors = _star(sim)
    observed = np.array([False, False, True, True, True])
    ids, samples = sample_physical(model, variables, values, errors, observed, 10_000, seed=1)
    assert list(ids) == [0, 1]
    mean, cov = sim.posterior(x, sigma)
    sd = np.sqrt(np.diag(cov))
    assert np.all(np.abs(samples.mean(0) - mean) < 0.1 * sd)
    assert np.allclose(np.sqrt(np.diag(np.cov(samples.T))), sd, rtol=0.1)
    ref = np.random.default_rng(7).multivariate_normal(mean, cov, 10_000)
    accuracy = c2st(samples, ref)
    print(f"linear Gaussian C2ST = {accuracy:.4f}")
    assert accuracy <= 0.55


def test_per_star_uncertainty_changes_the_posterior_width(linear_gaussian) -> None:  # type: ignore[no-untyped-def]
    sim, model, variables = linear_gaussian
    x, _, values, _ = _star(sim)
    observed = np.array([False, False, True, True, True])
    widths = []
    for s in (0.35, 0.75):
        errors = np.array([0.0, 0.0, s, s, s])
        _, samples = sample_physical(model, variables, values, errors, observed, 4000, seed=2)
        widths.append(samples.std(0))
        analytic = np.sqrt(np.diag(sim.posterior(x, np.full(3, s))[1]))
        assert np.allclose(samples.std(0), analytic, rtol=0.2), (s, samples.std(0), analytic)
    assert np.all(widths[1] > widths[0] * 1.2)
