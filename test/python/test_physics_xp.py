"""XP-like spectra against the real Gaia DR3 XP spectra in ../shared/data/fits/real-gaia-xp/.

For each real star, a model SED is fitted by grid search over (Teff, A_V) at log g 4.5 (dwarfs) and 2.5
(giants), [M/H] 0, R_V 3.1, with the flux scale free (distance and radius are unknown): the best fit
gives the 'literature-like' parameters, and chi^2/dof says how well the XP-like model reproduces the
calibrated spectrum's shape. The real flux errors are ~0.5 %, far below the model's own systematics
(atmosphere grid, the Gaussian LSF approximation), so chi^2 is computed with those errors plus a 3 %
model floor in quadrature; both are printed.

Measured (2026-11-26): the blue star (source 5762406957886626816, file row id 4) fits at Teff 20000 K,
A_V 0 with chi^2/dof = 3.3 (3 % floor; 23.7 with the real errors alone). The red star (5853498713190525696,
row id 6) fits only to chi^2/dof = 32: its TiO bands want an M giant below 3500 K, which neither CK04
(Teff >= 3500 K) nor the shipped BT-Settl (log g >= 4 below 4100 K) contains. The bounds below guard those
figures against regressions; the red star's is a known library gap, not a target.
"""

from __future__ import annotations

import numpy as np
from astropy.io import fits
from physics_oracles import SHARED, require_shared, run_bridge

XP_FILE = SHARED / "fits" / "real-gaia-xp" / "XP_SAMPLED_RAW_dr3int6.fits"
TEFFS = [
    3500,
    3750,
    4000,
    4250,
    4500,
    4750,
    5000,
    5250,
    5500,
    5750,
    6000,
    6500,
    7000,
    7500,
    8000,
    9000,
    10000,
    11000,
    12000,
    14000,
    16000,
    20000,
    25000,
]
AVS = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 7.0, 8.0]
LOGGS = [4.5, 2.5]
FLOOR = 0.03


def test_xp_like_spectra_reproduce_real_xp_shapes() -> None:
    require_shared(XP_FILE)
    with fits.open(XP_FILE) as hdul:
        data = hdul[1].data
        real = [
            (int(r["source_id"]), np.asarray(r["flux"], float), np.asarray(r["flux_error"], float))
            for r in data
        ]
    grid = [(t, g, a) for t in TEFFS for g in LOGGS for a in AVS if not (t > 12000 and g < 3.5)]
    reqs = [
        {
            "kind": "xp",
            "teff": t,
            "logg": g,
            "mh": 0.0,
            "radius": 1.0,
            "distance": 10.0,
            "av": a,
            "rv": 3.1,
            "library": "kurucz",
        }
        for t, g, a in grid
    ]
    models = [np.asarray(ans["flux"]) for ans in run_bridge(reqs)]
    for sid, flux, err in real:
        ok = (flux > 0) & (err > 0)
        best = None
        for (t, g, a), m in zip(grid, models, strict=True):
            sig = np.sqrt(err[ok] ** 2 + (FLOOR * flux[ok]) ** 2)
            w = 1 / sig**2
            scale = np.sum(w * flux[ok] * m[ok]) / np.sum(w * m[ok] ** 2)
            chi2 = float(np.sum(((flux[ok] - scale * m[ok]) / sig) ** 2))
            chi2_raw = float(np.sum(((flux[ok] - scale * m[ok]) / err[ok]) ** 2))
            if best is None or chi2 < best[0]:
                best = (chi2, chi2_raw, t, g, a)
        assert best is not None
        dof = int(ok.sum()) - 3
        print(
            f"\nXP star {sid}: best Teff {best[2]} K, log g {best[3]}, A_V {best[4]}: "
            f"chi2/dof = {best[0] / dof:.2f} (with {FLOOR:.0%} model floor), "
            f"{best[1] / dof:.1f} (real errors only)"
        )
        bound = 5.0 if best[2] >= 5000 else 40.0
        assert best[0] / dof < bound, f"XP star {sid}: chi2/dof {best[0] / dof:.2f} with a {FLOOR:.0%} floor"
