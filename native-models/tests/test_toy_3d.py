"""The talk's 3D example (section II): conditioning on z, and marginalising z away with M_E."""

from __future__ import annotations

import numpy as np
from helpers import c2st, sample_physical

Z_OBSERVED = 2.0


def _check(samples: np.ndarray, mean: np.ndarray, cov: np.ndarray, label: str) -> None:
    sd = np.sqrt(np.diag(cov))
    assert np.all(np.abs(samples.mean(0) - mean) < 0.1 * sd), (label, samples.mean(0), mean)
    assert np.allclose(np.cov(samples.T), cov, atol=0.1 * sd.max() ** 2), (label, np.cov(samples.T), cov)
    accuracy = c2st(samples, np.random.default_rng(3).multivariate_normal(mean, cov, len(samples)))
    print(f"3D example {label}: C2ST = {accuracy:.4f}")
    assert accuracy <= 0.55


def test_z_observed_gives_the_conditional(gaussian_3d) -> None:  # type: ignore[no-untyped-def]
    sim, model, variables = gaussian_3d
    values = np.array([np.nan, np.nan, Z_OBSERVED])
    observed = np.array([False, False, True])
    ids, samples = sample_physical(model, variables, values, np.zeros(3), observed, 10_000, seed=4)
    assert list(ids) == [0, 1]
    _check(samples, *sim.conditional_xy(Z_OBSERVED), "p(x, y | z)")


def test_edge_mask_cutting_z_gives_the_marginal(gaussian_3d) -> None:  # type: ignore[no-untyped-def]
    sim, model, variables = gaussian_3d
    values = np.array([np.nan, np.nan, Z_OBSERVED])
    observed = np.array([False, False, True])
    allowed = np.array([[True, True, False], [True, True, False], [False, False, True]])
    _, samples = sample_physical(
        model, variables, values, np.zeros(3), observed, 10_000, seed=5, edge_allowed=allowed
    )
    _check(samples, *sim.marginal_xy(), "p(x, y) under M_E")
    # The cut really removes z: another observed z gives the same samples from the same noise.
    _, other = sample_physical(
        model,
        variables,
        np.array([np.nan, np.nan, -1.0]),
        np.zeros(3),
        observed,
        10_000,
        seed=5,
        edge_allowed=allowed,
    )
    assert np.array_equal(samples, other)
