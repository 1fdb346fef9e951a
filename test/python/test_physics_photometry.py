"""Synthetic photometry parity: the engine's AB and Vega magnitudes vs speclite and pyphot (<= 1 mmag)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from physics_oracles import (
    CK04,
    blackbody,
    btsettl_spectrum,
    kurucz_spectrum,
    require_shared,
    run_bridge,
)

speclite_filters = pytest.importorskip("speclite.filters")
pyphot = pytest.importorskip("pyphot")
import astropy.units as u  # noqa: E402
from pyphot.vega import Vega  # noqa: E402

BANDS = {
    "gaia.g": "gaiadr3-G",
    "gaia.bp": "gaiadr3-BP",
    "gaia.rp": "gaiadr3-RP",
    "tmass.j": "twomass-J",
    "tmass.h": "twomass-H",
    "tmass.ks": "twomass-Ks",
    "wise.w1": "wise2010-W1",
    "wise.w2": "wise2010-W2",
    "wise.w3": "wise2010-W3",
    "wise.w4": "wise2010-W4",
}


def spectra() -> list[tuple[str, np.ndarray, np.ndarray]]:
    require_shared(CK04)
    out = [
        ("ck p00 5750/4.5", *kurucz_spectrum("ckp00", 5750, 4.5)),
        ("ck p00 3500/4.5", *kurucz_spectrum("ckp00", 3500, 4.5)),
        ("ck m15 10000/4.0", *kurucz_spectrum("ckm15", 10000, 4.0)),
        ("ck p02 30000/4.5", *kurucz_spectrum("ckp02", 30000, 4.5)),
        ("bt-settl 2500/5.0", *btsettl_spectrum(2500, 5.0)),
        ("blackbody 1200 K", *blackbody(1200.0)),
    ]
    return out


def pyphot_filter(stem: str) -> Any:
    curve = speclite_filters.load_filter(stem)
    return pyphot.Filter(curve.wavelength, curve.response, name=stem, dtype="photon", unit="AA")


def test_ab_and_vega_magnitudes_match_speclite_and_pyphot() -> None:
    specs = spectra()
    answers = run_bridge(
        [{"kind": "photometry", "wavelength": w.tolist(), "flux": f.tolist()} for _, w, f in specs]
    )
    with Vega(flavor="stis_011") as vega:
        vega_wave = np.asarray(vega.wavelength.to("AA").value)
        vega_flux = np.asarray(vega.flux.value)
    worst_ab = 0.0
    worst_vega = 0.0
    for (label, wave, flux), ans in zip(specs, answers, strict=True):
        for band, stem in BANDS.items():
            curve = speclite_filters.load_filter(stem)
            ref_ab = float(curve.get_ab_magnitude(flux * u.erg / (u.s * u.cm**2 * u.AA), wave * u.AA))
            pf = pyphot_filter(stem)
            ref_vega = float(
                -2.5 * np.log10(pf.get_flux(wave, flux).value / pf.get_flux(vega_wave, vega_flux).value)
            )
            d_ab = abs(ans["ab"][band] - ref_ab)
            d_vega = abs(ans["vega"][band] - ref_vega)
            worst_ab = max(worst_ab, d_ab)
            worst_vega = max(worst_vega, d_vega)
            assert d_ab <= 1e-3, f"{label} {band}: AB {ans['ab'][band]:.5f} vs speclite {ref_ab:.5f}"
            assert d_vega <= 1e-3, f"{label} {band}: Vega {ans['vega'][band]:.5f} vs pyphot {ref_vega:.5f}"
    print(
        f"worst |dAB| vs speclite = {worst_ab * 1e3:.4f} mmag; "
        f"worst |dVega| vs pyphot = {worst_vega * 1e3:.4f} mmag"
    )
