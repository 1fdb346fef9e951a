"""The real-data arm's data handling (real_da.py): the app's model inputs as a photometry modality, the
simulated stars observed as the real ones are, and the resampling towards the real stars' parallax and G.
The arm itself (training + the validation clusters) is run by its command, not here."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cradle_models.adaptation.encoders import PHOTOMETRY
from cradle_models.adaptation.real_da import like_real, observed_as, photometry
from cradle_models.adaptation.shift_data import PHOT_INPUTS, Catalogue, Observed


def _frame(n: int, rng: np.random.Generator, plx: np.ndarray, g: np.ndarray) -> pd.DataFrame:
    cols: dict[str, np.ndarray] = {}
    for name in PHOT_INPUTS:
        value = plx if name == "gaia.parallax" else g + rng.normal(0, 0.5, n)
        cols[name] = value
        cols[f"{name}.err"] = np.full(n, 0.01)
        cols[f"{name}.observed"] = np.ones(n, dtype=bool)
    return pd.DataFrame(cols)


def test_photometry_masks_the_unobserved_and_fills_a_missing_error_with_the_typical_one() -> None:
    rng = np.random.default_rng(0)
    frame = _frame(3, rng, np.array([5.0, 6.0, 7.0]), np.array([12.0, 13.0, 14.0]))
    frame.loc[0, "tmass.j.observed"] = False
    frame.loc[1, "tmass.ks.err"] = np.nan
    typical = np.arange(1, len(PHOT_INPUTS) + 1) / 100
    m = photometry(frame, typical)
    j, ks = PHOT_INPUTS.index("tmass.j"), PHOT_INPUTS.index("tmass.ks")
    assert not m.mask[0, j] and m.values[0, j] == 0.0 and m.errors[0, j] == 0.0
    assert m.mask[1, ks] and m.errors[1, ks] == typical[ks]
    assert m.mask.sum() == 3 * len(PHOT_INPUTS) - 1


def _catalogue(values: np.ndarray, mask: np.ndarray) -> Catalogue:
    n = values.shape[0]
    return Catalogue(
        np.zeros((n, 4)),
        {PHOTOMETRY: Observed(values, np.full(values.shape, 0.01), mask, np.ones(n, dtype=bool))},
    )


def test_simulated_stars_lose_what_the_real_stars_lack() -> None:
    rng = np.random.default_rng(1)
    p = len(PHOT_INPUTS)
    sim = _catalogue(rng.normal(size=(2000, p)), np.ones((2000, p), dtype=bool))
    real_mask = np.ones((50, p), dtype=bool)
    real_mask[:, PHOT_INPUTS.index("wise.w1")] = False  # no real star has W1
    real_mask[:25, PHOT_INPUTS.index("tmass.ks")] = False  # half lack Ks
    out = observed_as(sim, _catalogue(np.zeros((50, p)), real_mask), rng).modalities[PHOTOMETRY]
    assert not out.mask[:, PHOT_INPUTS.index("wise.w1")].any()
    assert np.all(out.values[~out.mask] == 0.0)
    assert abs(out.mask[:, PHOT_INPUTS.index("tmass.ks")].mean() - 0.5) < 0.05
    assert out.mask[:, PHOT_INPUTS.index("gaia.g")].all()


def test_resampled_simulated_stars_follow_the_real_parallax_and_magnitude() -> None:
    rng = np.random.default_rng(2)
    p = len(PHOT_INPUTS)
    n_sim = 40000
    sim_values = np.zeros((n_sim, p))
    sim_values[:, PHOT_INPUTS.index("gaia.parallax")] = 10 ** rng.uniform(-0.2, 1.2, n_sim)
    sim_values[:, PHOT_INPUTS.index("gaia.g")] = rng.uniform(6, 17, n_sim)
    real_values = np.zeros((3000, p))
    real_values[:, PHOT_INPUTS.index("gaia.parallax")] = 10 ** rng.normal(0.8, 0.1, 3000)
    real_values[:, PHOT_INPUTS.index("gaia.g")] = rng.normal(13, 1.0, 3000)
    ones = np.ones((1, p), dtype=bool)
    sim = _catalogue(sim_values, np.repeat(ones, n_sim, axis=0))
    real = _catalogue(real_values, np.repeat(ones, 3000, axis=0))
    drawn = like_real(sim, real, 20000, rng).modalities[PHOTOMETRY].values
    lp = np.log10(drawn[:, PHOT_INPUTS.index("gaia.parallax")])
    g = drawn[:, PHOT_INPUTS.index("gaia.g")]
    assert abs(lp.mean() - 0.8) < 0.02 and abs(lp.std() - 0.1) < 0.02
    assert abs(g.mean() - 13) < 0.1 and abs(g.std() - 1.0) < 0.1


def test_pairs_take_the_twin_nearest_in_g_observed_as_its_partner() -> None:
    from cradle_models.adaptation.real_da import RealStars, pairs

    rng = np.random.default_rng(3)
    p = len(PHOT_INPUTS)
    g = PHOT_INPUTS.index("gaia.g")
    real_values = np.zeros((6, p))
    real_values[:, g] = [10.0, 12.0, 14.0, 11.0, 13.0, 15.0]
    real_mask = np.ones((6, p), dtype=bool)
    real_mask[:, PHOT_INPUTS.index("tmass.j")] = False
    stars = RealStars(
        _catalogue(real_values, real_mask),
        np.array(["pleiades", "pleiades", "pleiades", "alpha_per", "alpha_per", "alpha_per"]),
        np.full(6, ""),
        {},
    )
    twin_g = np.array([9.9, 12.2, 13.7, 16.0])
    frame = _frame(4, rng, np.full(4, 7.4), twin_g)
    frame["gaia.g"] = twin_g
    theta = np.column_stack([np.full(4, 8.08), [1.3, 1.0, 0.8, 0.5], np.full(4, 135.0), np.full(4, 0.1)])
    sim, real = pairs(stars, {"pleiades": (frame, theta)}, 10, np.full(p, 0.02), rng)
    assert real.theta.shape[0] == 3  # only the pair cluster's members, however many are asked for
    np.testing.assert_array_equal(real.modalities[PHOTOMETRY].values[:, g], [10.0, 12.0, 14.0])
    np.testing.assert_array_equal(sim.modalities[PHOTOMETRY].values[:, g], [9.9, 12.2, 13.7])
    np.testing.assert_array_equal(sim.theta[:, 1], [1.3, 1.0, 0.8])
    assert not sim.modalities[PHOTOMETRY].mask[:, PHOT_INPUTS.index("tmass.j")].any()
