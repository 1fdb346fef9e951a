"""Gaia XP noise calibration from the real calibrated XP spectra in ../shared/data/fits/real-gaia-xp/.

The sampled spectra (336-1020 nm in 2 nm steps, W m-2 nm-1; Gaia DR3 `XP_SAMPLED`, the same values
GaiaXPy's `calibrate` gives from the continuous coefficients in XP_CONTINUOUS_RAW.fits) carry a flux error
per sample. Per wavelength we store k(lambda) = geometric mean over the stars of sigma^2 / f: the
photon-noise law sigma = sqrt(k f) that the engine applies to a model spectrum, so the relative error grows
as 10^(0.2 m) with magnitude like real XP in its photon-limited regime (bright and intermediate stars;
faint, background-limited stars are noisier than this law). Only two real stars are available, a red one
and a blue one, so k is well determined where both have flux and is an average of two estimates.
"""

from __future__ import annotations

import numpy as np
from astropy.io import fits

from .gridfile import SHARED_DATA, GridBuilder

XP_FILE = SHARED_DATA / "fits" / "real-gaia-xp" / "XP_SAMPLED_RAW_dr3int6.fits"
XP_WAVELENGTH_NM = np.arange(336.0, 1020.0 + 1e-9, 2.0)


def build_xp_noise() -> dict[str, object]:
    with fits.open(XP_FILE) as hdul:
        data = hdul[1].data
        flux = np.stack([np.asarray(f, dtype=np.float64) for f in data["flux"]])
        err = np.stack([np.asarray(e, dtype=np.float64) for e in data["flux_error"]])
        ids = [int(s) for s in data["source_id"]]
    if flux.shape[1] != XP_WAVELENGTH_NM.size:
        raise ValueError(
            f"{XP_FILE}: flux has {flux.shape[1]} samples, expected {XP_WAVELENGTH_NM.size} (336-1020 nm)"
        )
    ok = (flux > 0) & (err > 0)
    logk = np.where(ok, np.log(np.where(ok, err**2 / np.where(ok, flux, 1.0), 1.0)), np.nan)
    k = np.exp(np.nanmean(logk, axis=0))
    grid = GridBuilder(
        name="xp-noise",
        description="Gaia XP sampled-spectrum noise law sigma = sqrt(k(lambda) f), from real DR3 spectra",
        source={
            "data": "Gaia DR3 XP spectra shipped with GaiaXPy's tests (XP_SAMPLED_RAW_dr3int6.fits)",
            "source_ids_in_file": ids,
            "papers": [
                "De Angeli et al. 2023, A&A 674, A2",
                "Montegriffo et al. 2023, A&A 674, A3",
            ],
        },
        licence="Gaia DR3 data (ESA/Gaia/DPAC), CC BY-SA 3.0 IGO; file from GaiaXPy (BSD-3-Clause)",
    )
    grid.add("wavelength", XP_WAVELENGTH_NM, "float64", "nm")
    grid.add("k", k, "float64", "W m-2 nm-1", "sigma^2 / f per sample (photon-noise law)")
    grid.notes.append(f"Calibrated on {len(ids)} stars; geometric mean of sigma^2/f where both have flux.")
    return grid.write()
