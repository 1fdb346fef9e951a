"""XP-like spectra against the real Gaia DR3 XP spectra in ../shared/data/fits/real-gaia-xp/.

For each real star a model SED is fitted by grid search over (Teff, log g, A_V), [M/H] 0, R_V 3.1, with
the flux scale free (the model is for R = 1 Rsun at 10 pc): the best fit gives the 'literature-like'
parameters, and chi^2/dof says how well the XP-like model reproduces the calibrated spectrum's shape. The
real flux errors are ~0.5 %, far below the model's own systematics (atmosphere grid, the Gaussian LSF
approximation), so chi^2 is computed with those errors plus a 3 % model floor in quadrature; both are
printed.

The red star (file row 6), Gaia DR3 5853498713190525696, is Proxima Centauri (RA 217.39, Dec -62.68;
M5.5V at 1.30 pc, so A_V ~ 0; literature Teff ~2900-3100 K, log g ~5.2, e.g. Ribas et al. 2017, A&A
603, A58). Its fit is also reported at those literature parameters (Teff 2900-3100 K, log g 5.0-5.5,
A_V 0), not only at the free best fit, which reaches for A_V ~ 2 to bend the BT-Settl shape toward the
real one.

Measured (2026-11-26, after the BP/RP merge was made GaiaXPy's 635-643 nm ramp instead of an FWHM blend
over 640-680 nm, and M-dwarf temperatures were added to the fit grid): the blue star (file row 4,
5762406957886626816) fits best at Teff 20000 K, log g 5.0, A_V 0 with chi^2/dof 2.83 (3 % floor; was
3.3); Proxima's free best fit is 3100 K / 5.0 / A_V 2.0 at 19.5 (was 32 with Teff >= 3500 K only), and
32.5 at literature parameters (2900 K, 5.5, A_V 0). Proxima's remaining misfit is the library's M-dwarf
shape: residuals of -25 % to +75 % around the TiO bands (444-456, 612, 636-696 nm) that no LSF width
removes (BP and RP widths x0.7-1.5 were tried) and that projecting the model onto the XP bases leaves
as they are; BT-Settl is the only library below 3500 K here. The bounds below guard these figures.
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
# M dwarfs (BT-Settl; the join to CK04 starts at 3500 K)
COOL = [(t, g) for t in range(2600, 3600, 100) for g in (4.5, 5.0, 5.5)]
PROXIMA = 5853498713190525696
PROXIMA_RA_DEC = (217.392, -62.676)
BLUE = 5762406957886626816
FLOOR = 0.03


def test_xp_like_spectra_reproduce_real_xp_shapes() -> None:
    require_shared(XP_FILE)
    with fits.open(XP_FILE) as hdul:
        data = hdul[1].data
        # the file's source_id column holds row ids (4, 6); the stars are told apart by position
        real = [
            (
                PROXIMA if abs(float(r["ra"]) - PROXIMA_RA_DEC[0]) < 0.05 else BLUE,
                np.asarray(r["flux"], float),
                np.asarray(r["flux_error"], float),
            )
            for r in data
        ]
    assert sorted(sid for sid, _, _ in real) == sorted([PROXIMA, BLUE]), (
        "expected Proxima Cen and the blue star"
    )
    grid = [(t, g, a) for t in TEFFS for g in LOGGS for a in AVS if not (t > 12000 and g < 3.5)]
    grid += [(t, g, a) for t, g in COOL for a in AVS if a <= 3.0]
    grid += [(t, g, a) for t in TEFFS if t > 12000 for g in (5.0,) for a in AVS if a <= 1.0]
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
        dof = int(ok.sum()) - 3
        sig = np.sqrt(err[ok] ** 2 + (FLOOR * flux[ok]) ** 2)
        w = 1 / sig**2
        fits_ = []
        for (t, g, a), m in zip(grid, models, strict=True):
            scale = np.sum(w * flux[ok] * m[ok]) / np.sum(w * m[ok] ** 2)
            chi2 = float(np.sum(((flux[ok] - scale * m[ok]) / sig) ** 2))
            chi2_raw = float(np.sum(((flux[ok] - scale * m[ok]) / err[ok]) ** 2))
            fits_.append((chi2 / dof, chi2_raw / dof, t, g, a))
        best = min(fits_)
        print(
            f"\nXP star {sid}: best Teff {best[2]} K, log g {best[3]}, A_V {best[4]}: "
            f"chi2/dof = {best[0]:.2f} (with {FLOOR:.0%} model floor), {best[1]:.1f} (real errors only)"
        )
        if sid == PROXIMA:
            lit = min(f for f in fits_ if 2900 <= f[2] <= 3100 and f[3] >= 5.0 and f[4] == 0.0)
            print(
                f"XP star {sid} (Proxima Cen) at literature-like Teff {lit[2]} K, log g {lit[3]}, A_V 0: "
                f"chi2/dof = {lit[0]:.2f} (with {FLOOR:.0%} floor), {lit[1]:.1f} (real errors only)"
            )
            assert best[2] < 3500, "Proxima Cen should fit as an M dwarf"
            assert best[0] < 25.0
            assert lit[0] < 40.0
        else:
            assert best[2] >= 12000
            assert best[0] < 3.5, f"XP star {sid}: chi2/dof {best[0]:.2f} with a {FLOOR:.0%} floor"
