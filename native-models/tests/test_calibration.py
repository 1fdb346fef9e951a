"""Calibration metrics on posteriors with known calibration: exact, over-confident and biased."""

from __future__ import annotations

import numpy as np
import pytest

from cradle_models.calibration.accuracy import accuracy_table
from cradle_models.calibration.coverage import coverage_at, truth_quantiles
from cradle_models.calibration.sbc import sbc_ranks, sbc_uniformity
from cradle_models.calibration.tarp import tarp

N, S = 2000, 200


def _conjugate(scale: float, shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """θ ~ N(0, 1), x = θ + N(0, 0.5²): the posterior is N(0.8 x, 0.2); samples widened by ``scale``."""
    rng = np.random.default_rng(0)
    theta = rng.standard_normal((N, 2))
    x = theta + 0.5 * rng.standard_normal((N, 2))
    samples = 0.8 * x[:, None, :] + shift + scale * np.sqrt(0.2) * rng.standard_normal((N, S, 2))
    return samples, theta


def test_hand_worked_quantiles_and_coverage() -> None:
    samples = np.broadcast_to(np.arange(10, dtype=float).reshape(1, 10, 1), (4000, 10, 1))  # 0..9
    u = truth_quantiles(samples, np.full((4000, 1), 2.0), np.random.default_rng(1))
    # 2 below, 1 equal among 10 samples: u uniform on [2/11, 4/11]
    assert u.min() >= 2 / 11 and u.max() <= 4 / 11 and abs(u.mean() - 3 / 11) < 0.002
    cov = coverage_at(np.array([[0.5], [0.2], [0.9], [0.7]]), (0.5, 0.9))
    assert np.allclose(cov[:, 0], [0.5, 1.0])  # |u - 0.5| ≤ 0.25: 0.5 and 0.7; ≤ 0.45: all


def test_exact_posterior_is_calibrated() -> None:
    samples, theta = _conjugate(1.0)
    cov = coverage_at(truth_quantiles(samples, theta, np.random.default_rng(1)), (0.5, 0.68, 0.9, 0.95))
    assert np.all(np.abs(cov - np.array([0.5, 0.68, 0.9, 0.95])[:, None]) < 0.03)
    assert min(sbc_uniformity(sbc_ranks(samples, theta), S)) > 0.001
    result = tarp(samples, theta)
    assert result.max_deviation < 0.05 and abs(result.atc) < 0.5


def test_few_samples_neither_bias_coverage_nor_sbc() -> None:
    """64 samples of an exact posterior: the randomised PIT covers at the nominal levels (the plain
    fraction of samples below the truth would give 0.877 at 90%), and SBC ranks, binned unevenly
    (65 ranks in 16 bins), pass the χ² test."""
    rng = np.random.default_rng(3)
    n, s = 40_000, 64
    samples = rng.standard_normal((n, s, 1))
    theta = rng.standard_normal((n, 1))
    levels = np.array([0.5, 0.68, 0.9, 0.95])
    cov = coverage_at(truth_quantiles(samples, theta, rng), levels)[:, 0]
    assert np.all(np.abs(cov - levels) < 4 * np.sqrt(levels * (1 - levels) / n))
    assert sbc_uniformity(sbc_ranks(samples, theta), s)[0] > 0.001


def test_over_confident_and_biased_posteriors_are_flagged() -> None:
    samples, theta = _conjugate(0.5)
    cov = coverage_at(truth_quantiles(samples, theta, np.random.default_rng(1)), (0.68,))
    # truth within ±0.5σ_samples·z: expected coverage 2Φ(0.5·0.994) − 1 ≈ 0.38
    assert np.all(np.abs(cov - 0.38) < 0.04)
    assert max(sbc_uniformity(sbc_ranks(samples, theta), S)) < 1e-6
    result = tarp(samples, theta)
    assert result.atc < -1.0 and result.ks_pvalue < 1e-6  # curve below the diagonal: over-confident
    biased, theta = _conjugate(1.0, shift=0.5)
    assert max(sbc_uniformity(sbc_ranks(biased, theta), S)) < 1e-6
    table = accuracy_table(biased, theta, ["a", "b"], {"first half": np.arange(N) < N // 2})
    assert abs(table["all"]["bias"]["a"] - 0.5) < 0.05  # type: ignore[index]
    assert table["first half"]["stars"] == N // 2


def test_tarp_matches_the_reference_tarp_package() -> None:
    """Same standardised samples and reference points → the ``tarp`` package's ECP (Lemos et al. 2023)."""
    import tarp as tarp_package

    from cradle_models.calibration.tarp import reference_points, standardise

    for scale in (1.0, 0.6):
        samples, theta = _conjugate(scale)
        s, t = standardise(samples, theta)
        refs = reference_points(t, seed=3)
        ours = tarp(samples, theta, references=refs)
        ecp, alpha = tarp_package.get_tarp_coverage(
            np.transpose(s, (1, 0, 2)), t, references=refs, norm=False, num_alpha_bins=40
        )
        # the package's ECP at its bin edges a_k is the fraction of f below a_k (the last edge holds all)
        mine = np.array([(ours.f < a).mean() for a in alpha[1:-1]])
        assert np.allclose(ecp[1:-1], mine, atol=1e-9)
        assert ecp[-1] == pytest.approx(1.0)
