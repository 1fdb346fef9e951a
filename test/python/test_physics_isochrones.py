"""Isochrone interpolation at nodes that were not shipped (PMS and main sequence): ysoisochrone's grids
are 0.01 dex in log age and log mass; assets/make keeps every second node, so every odd node is a true
held-out point. The engine's interpolation there is compared with ysoisochrone's own values (the
reference), per grid.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from physics_oracles import REPO, run_bridge

sys.path.insert(0, str(REPO))
from assets.make.isochrones import end_main_sequence  # noqa: E402

sio = pytest.importorskip("scipy.io")
ysoisochrone = pytest.importorskip("ysoisochrone")

GRIDS = {
    "baraffe2015": "Baraffe_AgeMassGrid_YSO_builtin_matrix.mat",
    "feiden2016": "Feiden_AgeMassGrid_YSO_builtin_matrix.mat",
    "mist_v1p2": "MIST_v1p2_AgeMassGrid_YSO_builtin_matrix.mat",
    "parsec_v1p2": "PARSECv1p2_AgeMassGrid_YSO_builtin_matrix.mat",
    "parsec_v2p0": "PARSECv2p0_AgeMassGrid_YSO_builtin_matrix.mat",
}


def held_out(file: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    m = sio.loadmat(Path(ysoisochrone.__file__).parent / "data" / file)
    mass = m["mass"].ravel()
    age = m["log_age"].ravel()
    tl = m["logt_logl"]
    ai, mi = np.meshgrid(np.arange(1, age.size - 1, 2), np.arange(1, mass.size - 1, 2), indexing="ij")
    ai, mi = ai.ravel(), mi.ravel()
    # the shipped grids stop at the end of the main sequence (assets/make); compare the nodes they cover
    post_ms = end_main_sequence(tl[..., 0], tl[..., 1])
    keep = np.isfinite(tl[ai, mi, 0]) & np.isfinite(tl[ai, mi, 1]) & ~post_ms[ai, mi]
    ai, mi = ai[keep][::7], mi[keep][::7]
    return mass[mi], age[ai], tl[ai, mi, 0], tl[ai, mi, 1]


def test_held_out_nodes_of_the_pms_grids() -> None:
    cases = {name: held_out(file) for name, file in GRIDS.items()}
    reqs = [
        {"kind": "isochrone", "set": name, "massInit": m.tolist(), "logAge": a.tolist(), "mh": [0.0] * m.size}
        for name, (m, a, _, _) in cases.items()
    ]
    lines = []
    for (name, (_, _, lt, ll)), ans in zip(cases.items(), run_bridge(reqs), strict=True):
        teff = np.array([np.nan if v is None else v for v in ans["teff"]], dtype=float)
        log_l = np.array([np.nan if v is None else v for v in ans["logL"]], dtype=float)
        ok = np.isfinite(teff)
        dt = np.abs(np.log10(teff[ok]) - lt[ok])
        dl = np.abs(log_l[ok] - ll[ok])
        lines.append(
            f"{name}: n={ok.sum()} |dlogTeff| median {np.median(dt):.1e} p95 {np.percentile(dt, 95):.1e}; "
            f"|dlogL| median {np.median(dl):.1e} p95 {np.percentile(dl, 95):.1e}"
        )
        assert ok.mean() > 0.9, f"{name}: only {ok.mean():.0%} of held-out nodes interpolated"
        assert np.median(dt) < 1e-3 and np.median(dl) < 5e-3, lines[-1]
        assert np.percentile(dt, 95) < 0.01, lines[-1]
    print("\n" + "\n".join(lines))
