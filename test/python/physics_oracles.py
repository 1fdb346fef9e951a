"""Shared helpers for the physics parity tests: paths, the TypeScript bridge, and reference spectra."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from astropy.io import fits

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
CK04 = SHARED / "physics" / "atmospheres" / "Thesis_picaso-master" / "grid" / "ck04models"
BTSETTL = SHARED / "physics" / "atmospheres" / "lephare-data" / "sed" / "STAR" / "BD_NEW"


def run_bridge(requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send requests to test/python/physics_bridge.ts and return its answers."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "requests.json"
        path.write_text(json.dumps(requests))
        out = subprocess.run(
            [
                "node",
                "--import",
                "tsx",
                str(REPO / "test" / "python" / "physics_bridge.ts"),
                str(path),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if out.returncode != 0:
        raise AssertionError(f"physics bridge failed: {out.stderr.strip()}")
    answers: list[dict[str, Any]] = json.loads(out.stdout)
    return answers


def require_shared(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is absent (shared data not checked out next to the repo)")


def fine_grid() -> np.ndarray:
    """R = 5000 log grid over 0.3-30 um: fine enough that every integration scheme agrees."""
    return np.exp(np.arange(np.log(3000.0), np.log(300000.0), 1.0 / 5000.0))


def kurucz_spectrum(folder: str, teff: int, logg: float) -> tuple[np.ndarray, np.ndarray]:
    """A native CK04 model resampled (log-log) to the fine grid."""
    with fits.open(CK04 / folder / f"{folder}_{teff}.fits") as hdul:
        data = hdul[1].data
        wave = np.asarray(data["WAVELENGTH"], dtype=np.float64)
        flux = np.asarray(data[f"g{int(round(logg * 10)):02d}"], dtype=np.float64)
    ok = flux > 0
    grid = fine_grid()
    return grid, 10 ** np.interp(np.log10(grid), np.log10(wave[ok]), np.log10(flux[ok]))


def btsettl_spectrum(teff: int, logg: float) -> tuple[np.ndarray, np.ndarray]:
    raw = np.loadtxt(BTSETTL / f"lte{teff / 100:05.1f}-{logg:.1f}-0.0a+0.0.BT-Settl.spec.txt")
    wave, flux = raw[:, 0], raw[:, 1]
    order = np.argsort(wave)
    grid = fine_grid()
    return grid, np.interp(grid, wave[order], flux[order])


def blackbody(teff: float) -> tuple[np.ndarray, np.ndarray]:
    grid = fine_grid()
    h, c, k = 6.62607015e-27, 2.99792458e10, 1.380649e-16
    lam = grid * 1e-8
    return grid, 2 * h * c**2 / lam**5 / np.expm1(h * c / (lam * k * teff)) * 1e-8
