"""Extinction parity: the engine's G23 and F99 A(lambda)/A(V) vs dust_extinction 1.7 (<= 0.1 % relative)."""

from __future__ import annotations

import numpy as np
import pytest
from physics_oracles import run_bridge

pe = pytest.importorskip("dust_extinction.parameter_averages")
import astropy.units as u  # noqa: E402

CASES = [("G23", rv) for rv in (2.3, 2.5, 3.1, 4.0, 5.0, 5.6)] + [
    ("F99", rv) for rv in (2.0, 2.5, 3.1, 4.0, 6.0)
]
RANGES = {"G23": (0.0912, 32.0), "F99": (0.1, 1.0 / 0.3)}  # micron


def waves(law: str) -> np.ndarray:
    lo, hi = RANGES[law]
    # dense log grid plus the piece boundaries of each law
    grid = np.geomspace(lo, hi, 1500)
    edges = [0.3, 0.33, 0.9, 1.1, 0.27, 0.26, 0.4110, 0.4670, 0.547, 0.6, 1.22, 2.65]
    return np.unique(np.concatenate([grid, [e for e in edges if lo <= e <= hi]]))


def test_g23_and_f99_match_dust_extinction() -> None:
    reqs = [
        {
            "kind": "extinction",
            "law": law,
            "rv": rv,
            "wavelength": (waves(law) * 1e4).tolist(),
        }
        for law, rv in CASES
    ]
    answers = run_bridge(reqs)
    report = []
    for (law, rv), ans in zip(CASES, answers, strict=True):
        model = getattr(pe, law)(Rv=rv)
        ref = model(waves(law) * u.micron)
        got = np.asarray(ans["axav"])
        rel = np.abs(got / ref - 1.0)
        report.append(f"{law} R={rv}: max rel {rel.max():.2e}")
        assert rel.max() <= 1e-3, (
            f"{law} R(V)={rv}: worst at {waves(law)[np.argmax(rel)]:.4f} um, rel {rel.max():.2e}"
        )
    print("; ".join(report))
