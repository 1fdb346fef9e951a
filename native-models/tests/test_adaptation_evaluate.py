"""The DA benchmark's coverage (cradle_models.adaptation.evaluate) is unbiased for 32 samples per star."""

from __future__ import annotations

import numpy as np
import pytest

from cradle_models.adaptation.evaluate import metrics
from cradle_models.adaptation.shift_data import Catalogue, from_network


def test_coverage_of_exact_posteriors_is_nominal_with_32_samples() -> None:
    # Truth and samples are draws from the same Gaussian per star (an exact posterior); the percentile
    # intervals of 32 draws (numpy type 7) would give 0.64 / 0.90 here.
    rng = np.random.default_rng(3)
    n, samples = 20_000, 32
    centre = np.stack(
        [rng.uniform(6.5, 9.5, n), rng.uniform(-0.5, 0.3, n), rng.uniform(2, 3, n), rng.uniform(-1, 0.5, n)],
        axis=1,
    )
    sigma = np.array([0.2, 0.05, 0.02, 0.1])
    truth = centre + sigma * rng.normal(size=(n, 4))
    draws = centre[:, None, :] + sigma * rng.normal(size=(n, samples, 4))
    figures = metrics(draws, Catalogue(from_network(truth), {}))
    for name in ("log_age", "av"):
        assert figures[name]["coverage68"] == pytest.approx(0.68, abs=0.012), name
        assert figures[name]["coverage95"] == pytest.approx(0.95, abs=0.006), name
    assert figures["log_age"]["bias"] == pytest.approx(0.0, abs=0.01)
