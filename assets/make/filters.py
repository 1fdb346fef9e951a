"""Passbands (speclite 1.0 curves) and the Vega spectrum (pyphot 2.1, CALSPEC alpha_lyr_stis_011).

Bands and the canonical names used across Cradle: gaia.g/bp/rp (Gaia DR3 = EDR3 passbands, Riello et al.
2021), tmass.j/h/ks (Cohen, Wheaton & Megeath 2003), wise.w1..w4 (Wright et al. 2010). All ten curves are
photon-counting relative spectral responses (speclite integrates every curve as photons; the 2MASS and WISE
papers define their RSRs per photon and the Gaia DR3 passbands are per photon), so the synthetic flux is
<F> = int F(l) S(l) l dl / int S(l) l dl. The curves are stored at their native sampling.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import numpy as np
from astropy.io import fits
from astropy.table import Table

from .gridfile import GridBuilder

BANDS: list[tuple[str, str]] = [
    ("gaia.g", "gaiadr3-G"),
    ("gaia.bp", "gaiadr3-BP"),
    ("gaia.rp", "gaiadr3-RP"),
    ("tmass.j", "twomass-J"),
    ("tmass.h", "twomass-H"),
    ("tmass.ks", "twomass-Ks"),
    ("wise.w1", "wise2010-W1"),
    ("wise.w2", "wise2010-W2"),
    ("wise.w3", "wise2010-W3"),
    ("wise.w4", "wise2010-W4"),
]

VEGA_RANGE_AA = (2000.0, 320000.0)


def speclite_filter_dir() -> Path:
    import speclite

    return Path(speclite.__file__).parent / "data" / "filters"


def pyphot_vega_file() -> Path:
    import pyphot

    return Path(pyphot.__file__).parent / "libs" / "alpha_lyr_stis_011.fits"


def read_band(file_stem: str) -> tuple[np.ndarray, np.ndarray]:
    """Wavelength (Angstrom) and response of one speclite curve."""
    table = Table.read(speclite_filter_dir() / f"{file_stem}.ecsv", format="ascii.ecsv")
    wave = np.asarray(table["wavelength"].to("Angstrom").value, dtype=np.float64)
    resp = np.asarray(table["response"], dtype=np.float64)
    return wave, resp


def read_vega() -> tuple[np.ndarray, np.ndarray]:
    """CALSPEC Vega (Bohlin et al. 2020 flux scale), Angstrom and erg/s/cm2/A, cut to the bands' span."""
    with fits.open(pyphot_vega_file()) as hdul:
        data = hdul[1].data
        wave = np.asarray(data["WAVELENGTH"], dtype=np.float64)
        flux = np.asarray(data["FLUX"], dtype=np.float64)
    keep = (wave >= VEGA_RANGE_AA[0]) & (wave <= VEGA_RANGE_AA[1])
    return wave[keep], flux[keep]


def build_filters() -> dict[str, object]:
    grid = GridBuilder(
        name="filters",
        description="Ten photon-counting passbands (Gaia DR3, 2MASS, WISE) at native sampling",
        source={
            "package": "speclite",
            "version": metadata.version("speclite"),
            "papers": [
                "Riello et al. 2021, A&A 649, A3 (Gaia EDR3/DR3 passbands)",
                "Cohen, Wheaton & Megeath 2003, AJ 126, 1090 (2MASS RSRs)",
                "Wright et al. 2010, AJ 140, 1868 (WISE RSRs)",
            ],
        },
        licence="speclite: BSD-3-Clause; curves are public mission products (ESA Gaia, IPAC 2MASS/WISE)",
    )
    for name, stem in BANDS:
        wave, resp = read_band(stem)
        grid.add(f"{name}.wavelength", wave, "float64", "Angstrom", f"speclite {stem}.ecsv")
        grid.add(f"{name}.response", resp, "float64", "", "photon-counting relative response")
    grid.notes.append("All curves are per photon: <F> = int F S l dl / int S l dl.")
    return grid.write()


def build_vega() -> dict[str, object]:
    wave, flux = read_vega()
    grid = GridBuilder(
        name="vega",
        description="Vega spectrum (CALSPEC alpha_lyr_stis_011), 0.2-32 um",
        source={
            "package": "pyphot",
            "version": metadata.version("pyphot"),
            "file": "pyphot/libs/alpha_lyr_stis_011.fits",
            "papers": [
                "Bohlin, Hubeny & Rauch 2020, AJ 160, 21",
                "Bohlin & Gilliland 2004, AJ 127, 3508",
            ],
        },
        licence="CALSPEC (STScI), public domain; pyphot: MIT",
    )
    grid.add("wavelength", wave, "float64", "Angstrom")
    grid.add("flux", flux.astype(np.float32), "float32", "erg s-1 cm-2 Angstrom-1")
    grid.notes.append("Vega magnitudes: Vega has magnitude 0 in every band (no 0.03 offset).")
    return grid.write()
