"""The benchmark's two worlds: tracks read from ysoisochrone, and the simulator's physics through
forward_batch.mjs (needs node and the repository's assets/grids)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import scipy.io as sio

from cradle_models.adaptation import shift_data as sd


def test_tracks_reproduce_the_ysoisochrone_nodes() -> None:
    import ysoisochrone

    mat = sio.loadmat(Path(ysoisochrone.__file__).parent / "data" / sd.REAL.tracks)
    log_age = mat["log_age"].ravel()
    mass = mat["mass"].ravel()
    i, j = 60, 80
    theta = np.array([[log_age[i], mass[j], 100.0, 0.0]])
    atm = sd.atmosphere(theta, sd.REAL)
    assert np.log10(atm["teff"][0]) == pytest.approx(mat["logt_logl"][i, j, 0], abs=1e-12)
    assert atm["logL"][0] == pytest.approx(mat["logt_logl"][i, j, 1], abs=1e-12)
    # L = 4πR²σT⁴ in solar units, g = GM/R²
    assert atm["radius"][0] ** 2 * (atm["teff"][0] / 5772.0) ** 4 == pytest.approx(
        10 ** atm["logL"][0], rel=1e-12
    )
    assert sd.LOGG_SUN == pytest.approx(4.438, abs=1e-3)


def test_round_trip_of_the_parameter_transform() -> None:
    theta = sd.draw_theta(50, np.random.default_rng(0))
    np.testing.assert_allclose(sd.from_network(sd.to_network(theta)), theta, rtol=1e-12)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the simulator's physics")
def test_the_two_worlds_see_the_same_stars_differently() -> None:
    rng = np.random.default_rng(3)
    theta = sd.draw_theta(12, rng)
    # every star gets XP and LAMOST where it can (the other surveys' spectra cost time, not coverage)
    draws = {k: np.zeros(12) if k in ("gaia.xp", "spectrum.lamost") else np.ones(12) for k in sd.COVERAGE}
    sim, sim_rows = sd.observe(theta, sd.SIMULATED, np.random.default_rng(4), draws)
    real, real_rows = sd.observe(theta, sd.REAL, np.random.default_rng(4), draws)
    common = np.intersect1d(sim_rows, real_rows)
    assert common.size >= 8
    s = sim.take(np.searchsorted(sim_rows, common))
    r = real.take(np.searchsorted(real_rows, common))
    np.testing.assert_array_equal(s.theta, r.theta)
    for cat in (s, r):
        phot = cat.modalities["photometry"]
        assert np.all(np.isfinite(phot.values))
        assert phot.values.shape[1] == len(sd.PHOT_INPUTS)
        xp = cat.modalities["gaia.xp"]
        g = phot.values[:, 0]
        assert not np.any(xp.present & (g >= 17.65))
        assert xp.values.shape[1] == 343 // sd.XP_BIN
        lamost = cat.modalities["spectrum.lamost"]
        assert lamost.values.shape[1] == sd.SURVEY_BINS["spectrum.lamost"]
        assert lamost.present.any()
    # the shift is real: colours differ by far more than the noise for the same θ
    ds = s.modalities["photometry"].values[:, 1] - s.modalities["photometry"].values[:, 5]
    dr = r.modalities["photometry"].values[:, 1] - r.modalities["photometry"].values[:, 5]
    assert np.mean(np.abs(dr - ds)) > 0.1
