"""The Robitaille (2017) sedfitter-layout loader against a small model set written with astropy.

The real grids are not shipped (and not in ../shared/data), so this builds a three-model, two-filter set in
exactly sedfitter's layout (ConvolvedFluxes.write: HDU 0 keywords FILTWAV/NMODELS/NAP, HDU 1 MODEL_NAME,
TOTAL_FLUX, TOTAL_FLUX_ERR per aperture, HDU 2 APERTURE) and checks the engine reads it back, and that a
mismatched model order is refused with a message naming the file and column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from physics_oracles import run_bridge

NAMES = ["s---s-i_00001_01", "s---s-i_00002_01", "s---s-i_00003_01"]


def write_set(root: Path, convolved_names: list[str]) -> dict[str, np.ndarray]:
    (root / "convolved").mkdir(parents=True)
    (root / "models.conf").write_text("name = s---s-i\nlength_subdir = 2\naperture_dependent = yes\n")
    Table(
        {"MODEL_NAME": NAMES, "star.radius": [1.0, 2.0, 3.5], "star.temperature": [4000.0, 5000.0, 6000.0]}
    ).write(root / "parameters.fits")
    rng = np.random.default_rng(3)
    out = {}
    for filt, wav in (("2K", 2.159), ("WISE4", 22.1)):
        flux = rng.uniform(0.1, 100, size=(3, 4)).astype(np.float32)
        err = (0.05 * flux).astype(np.float32)
        h0 = fits.PrimaryHDU()
        h0.header["FILTWAV"] = wav
        h0.header["NMODELS"] = 3
        h0.header["NAP"] = 4
        t1 = fits.BinTableHDU(
            Table({"MODEL_NAME": convolved_names, "TOTAL_FLUX": flux, "TOTAL_FLUX_ERR": err}),
            name="CONVOLVED_FLUXES",
        )
        t2 = fits.BinTableHDU(Table({"APERTURE": np.array([100.0, 1000.0, 1e4, 1e5])}), name="APERTURES")
        fits.HDUList([h0, t1, t2]).writeto(root / "convolved" / f"{filt}.fits")
        out[filt] = flux
    return out


def test_loader_reads_a_sedfitter_model_set(tmp_path: Path) -> None:
    fluxes = write_set(tmp_path, NAMES)
    (ans,) = run_bridge([{"kind": "robitaille", "dir": str(tmp_path), "filters": ["2K", "WISE4"]}])
    assert ans["modelNames"] == NAMES
    assert ans["config"]["length_subdir"] == "2"
    assert ans["parameters"]["star.temperature"] == [4000.0, 5000.0, 6000.0]
    for filt, flux in fluxes.items():
        got = ans["filters"][filt]
        np.testing.assert_allclose(np.asarray(got["flux"]).reshape(3, 4), flux, rtol=1e-7)
        assert got["apertures"] == [100.0, 1000.0, 1e4, 1e5]
    assert abs(ans["filters"]["2K"]["wavelengthUm"] - 2.159) < 1e-12


def test_loader_refuses_models_out_of_order(tmp_path: Path) -> None:
    write_set(tmp_path, list(reversed(NAMES)))
    with pytest.raises(AssertionError, match=r"2K\.fits: HDU 1 column MODEL_NAME row 0"):
        run_bridge([{"kind": "robitaille", "dir": str(tmp_path), "filters": ["2K"]}])
