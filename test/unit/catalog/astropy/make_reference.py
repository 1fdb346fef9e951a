"""Writes reference.json: astropy's answers for the sexagesimal and cross-match tests.

Run with the project's venv: native-models/.venv/bin/python test/unit/catalog/astropy/make_reference.py
"""

import json
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.coordinates import SkyCoord, match_coordinates_sky

rng = np.random.default_rng(20240611)


def sexagesimal(value: float, hours: bool, style: int, signed: bool) -> str:
    sign = "-" if value < 0 else ("+" if signed else "")
    whole, rest = divmod(abs(value), 1)
    minutes, seconds = divmod(rest * 3600, 60)
    w, m, s = int(whole), int(minutes), f"{seconds:06.3f}"
    if style == 0:
        return f"{sign}{w:02d}:{m:02d}:{s}"
    if style == 1:
        return f"{sign}{w:02d} {m:02d} {s}"
    letter = "h" if hours else "d"
    return f"{sign}{w:02d}{letter}{m:02d}m{s}s"


ras, decs = [], []
for k in range(60):
    ra_h = rng.uniform(0, 24)
    # Declinations near zero as well, where a '-00' sign is easily lost.
    dec = rng.uniform(-90, 90) if k % 3 else rng.uniform(-1, 1)
    ras.append(sexagesimal(ra_h, True, k % 3, False))
    decs.append(sexagesimal(dec, False, (k + 1) % 3, True))
coords = SkyCoord(ras, decs, unit=(u.hourangle, u.deg))
angles = [
    {"ra": r, "dec": d, "raDeg": float(a), "decDeg": float(b)}
    for r, d, a, b in zip(ras, decs, coords.ra.deg, coords.dec.deg, strict=True)
]


def field(n: int, ra0: float, dec0: float, size: float) -> tuple[np.ndarray, np.ndarray]:
    return ra0 + rng.uniform(-size, size, n), dec0 + rng.uniform(-size, size, n)


# A field of 0.05 deg around (150, 2), plus a clump of 0.1 arcsec, plus a pole and the RA wrap.
ra_a, dec_a = field(250, 150.0, 2.0, 0.05)
ra_b, dec_b = field(300, 150.0, 2.0, 0.05)
ca, cb = field(80, 150.01, 2.01, 0.1 / 3600), field(120, 150.01, 2.01, 0.1 / 3600)
pa, pb = field(20, 0.0, 89.99, 0.01), field(20, 0.0, 89.99, 0.01)
wa, wb = field(20, 0.0, -30.0, 0.01), field(20, 0.0, -30.0, 0.01)
ra_a = np.concatenate([ra_a, ca[0], pa[0], wa[0]]) % 360
dec_a = np.concatenate([dec_a, ca[1], pa[1], wa[1]])
ra_b = np.concatenate([ra_b, cb[0], pb[0], wb[0]]) % 360
dec_b = np.concatenate([dec_b, cb[1], pb[1], wb[1]])
a = SkyCoord(ra_a * u.deg, dec_a * u.deg)
b = SkyCoord(ra_b * u.deg, dec_b * u.deg)
idx, sep, _ = match_coordinates_sky(a, b)
xmatch = {
    "a": {"ra": ra_a.tolist(), "dec": dec_a.tolist()},
    "b": {"ra": ra_b.tolist(), "dec": dec_b.tolist()},
    "nearest": idx.tolist(),
    "separationArcsec": sep.arcsec.tolist(),
}

out = Path(__file__).with_name("reference.json")
out.write_text(json.dumps({"angles": angles, "xmatch": xmatch}) + "\n")
