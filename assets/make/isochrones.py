"""Isochrone grids: PARSEC v1.2S at 7 metallicities (ASteCA copy) and solar PMS grids (ysoisochrone).

Two layouts, both indexed by (initial mass, log age, [M/H]) nodes:

* `isochrones-parsec12`: one isochrone per (log age, [M/H]) with its rows in increasing initial mass, kept
  at their own (phase-following) mass sampling. Rows are thinned by a Douglas-Peucker pass along initial
  mass: a row is dropped only if linear interpolation between the rows kept around it reproduces
  log Teff, log L, log g and the current mass within TOL (so the PMS, turn-off and RGB stay resolved).
  Stored per row: initial mass (float64), current/initial mass, log Teff, log L, log g, log radius (R from
  L and Teff), the last five quantised to uint16 (errors recorded in the manifest, all < 2e-4 dex).
* `isochrones-<track>` (Baraffe 2015, Feiden 2016, MIST v1.2, PARSEC v1.2 and v2.0 as ysoisochrone
  resamples them): a regular (log age, log mass) grid of log Teff and log L at solar metallicity, thinned
  from 0.01 to 0.02 dex in both axes and quantised to uint16 (error < 1e-5 dex), stopped at the end of the
  main sequence (see end_main_sequence). Current mass = initial
  mass (no mass loss before the main sequence ends); log g and R follow from (M, L, Teff) in the reader.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import numpy as np
import scipy.io as sio

from .gridfile import SHARED_DATA, GridBuilder

PARSEC_DIR = SHARED_DATA / "physics" / "ASteCA" / "parsec12_ubvrijhk"
PARSEC_FILES = [
    "0.000500",
    "0.005500",
    "0.010500",
    "0.015500",
    "0.020500",
    "0.025500",
    "0.030000",
]
# Douglas-Peucker tolerances (dex for logs, Msun for current mass)
TOL = {"logTe": 0.003, "logL": 0.01, "logg": 0.01, "mact": 0.01}
TEFF_SUN = 5772.0  # K, IAU 2015 Resolution B3
POST_MS_DEX = 0.1  # fall of log Teff below the track's maximum that marks the end of the main sequence

YSO_TRACKS: list[tuple[str, str, str]] = [
    (
        "baraffe2015",
        "Baraffe_AgeMassGrid_YSO_builtin_matrix.mat",
        "Baraffe et al. 2015, A&A 577, A42",
    ),
    (
        "feiden2016",
        "Feiden_AgeMassGrid_YSO_builtin_matrix.mat",
        "Feiden 2016, A&A 593, A99 (non-magnetic)",
    ),
    (
        "mist_v1p2",
        "MIST_v1p2_AgeMassGrid_YSO_builtin_matrix.mat",
        "Choi et al. 2016, ApJ 823, 102",
    ),
    (
        "parsec_v1p2",
        "PARSECv1p2_AgeMassGrid_YSO_builtin_matrix.mat",
        "Bressan et al. 2012, MNRAS 427, 127",
    ),
    (
        "parsec_v2p0",
        "PARSECv2p0_AgeMassGrid_YSO_builtin_matrix.mat",
        "Nguyen et al. 2022, A&A 665, A126",
    ),
]


def read_parsec_file(path: Path) -> tuple[float, dict[float, np.ndarray]]:
    """[M/H] from the header and {logAge: rows[Mini, Mact, logL, logTe, logg]} (rows sorted by Mini)."""
    mh: float | None = None
    rows: list[list[float]] = []
    with path.open() as fh:
        for line in fh:
            if line.startswith("#"):
                m = re.search(r"\[M/H\]\s*=\s*([-+0-9.]+)", line)
                if m and mh is None:
                    mh = float(m.group(1))
                continue
            parts = line.split()
            if len(parts) < 7:
                continue
            rows.append([float(p) for p in parts[1:7]])
    if mh is None:
        raise ValueError(f"{path}: no '[M/H] =' in the header comments")
    table = np.asarray(rows)
    out: dict[float, np.ndarray] = {}
    for age in np.unique(table[:, 0]):
        sel = table[table[:, 0] == age][:, 1:]
        sel = sel[np.argsort(sel[:, 0], kind="stable")]
        # equal initial masses at a phase boundary: keep the first, the interpolant needs strict order
        keep = np.concatenate([[True], np.diff(sel[:, 0]) > 0])
        out[round(float(age), 4)] = sel[keep]
    return mh, out


def douglas_peucker(x: np.ndarray, ys: list[np.ndarray], tols: list[float]) -> np.ndarray:
    """Indices of rows to keep so that linear interpolation in x reproduces every y within its tolerance."""
    keep = np.zeros(len(x), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(x) - 1)]
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        t = (x[i + 1 : j] - x[i]) / (x[j] - x[i])
        worst = -1.0
        split = -1
        for y, tol in zip(ys, tols, strict=True):
            interp = y[i] + t * (y[j] - y[i])
            err = np.abs(interp - y[i + 1 : j]) / tol
            k = int(np.argmax(err))
            if err[k] > worst:
                worst, split = float(err[k]), i + 1 + k
        if worst > 1.0:
            keep[split] = True
            stack.append((i, split))
            stack.append((split, j))
    return np.flatnonzero(keep)


def radius_rsun(log_l: np.ndarray, log_te: np.ndarray) -> np.ndarray:
    """Stefan-Boltzmann: R/Rsun = sqrt(L/Lsun) (Teff_sun/Teff)^2 with the IAU 2015 nominal Teff_sun."""
    return np.sqrt(10.0**log_l) * (TEFF_SUN / 10.0**log_te) ** 2


def build_parsec() -> dict[str, object]:
    mhs: list[float] = []
    ages: list[float] | None = None
    columns: dict[str, list[np.ndarray]] = {k: [] for k in ("mini", "mact", "logTe", "logL", "logg")}
    offsets = [0]
    raw_rows = 0
    for stem in PARSEC_FILES:
        mh, isos = read_parsec_file(PARSEC_DIR / f"{stem}.dat")
        mhs.append(mh)
        these = sorted(isos)
        if ages is None:
            ages = these
        elif these != ages:
            raise ValueError(f"{PARSEC_DIR / stem}.dat: log ages differ from {PARSEC_FILES[0]}.dat")
        for age in these:
            rows = isos[age]
            raw_rows += len(rows)
            mini, mact, log_l, log_te, logg = rows.T
            idx = douglas_peucker(
                np.log10(mini),
                [log_te, log_l, logg, mact],
                [TOL["logTe"], TOL["logL"], TOL["logg"], TOL["mact"]],
            )
            for key, col in zip(("mini", "mact", "logL", "logTe", "logg"), rows.T, strict=True):
                columns[key].append(col[idx])
            offsets.append(offsets[-1] + len(idx))
    assert ages is not None
    cat = {k: np.concatenate(v) for k, v in columns.items()}
    grid = GridBuilder(
        name="isochrones-parsec12",
        description="PARSEC v1.2S isochrones with the PMS, 7 [M/H] x 83 log ages, rows by initial mass",
        source={
            "data": "CMD 2.7 output as in asteca/ASteCA @ 6dfe89d8 (isochrones/parsec12_ubvrijhk)",
            "model": "PARSEC v1.2S (no TP-AGB)",
            "papers": [
                "Bressan et al. 2012, MNRAS 427, 127",
                "Chen et al. 2014, MNRAS 444, 2525",
                "Tang et al. 2014, MNRAS 445, 4287",
            ],
        },
        licence="PARSEC model output, free to use with citation; ASteCA repository MIT",
    )
    grid.axis(
        "mh",
        "dex",
        mhs,
        "[M/H] from each file's header (Z = " + ", ".join(PARSEC_FILES) + ")",
    )
    grid.axis("log_age", "log10 yr", ages)
    grid.add(
        "offsets",
        np.asarray(offsets),
        "int32",
        "",
        "rows of isochrone (mh i, age j) are offsets[i*nAge+j] .. offsets[i*nAge+j+1]",
    )
    grid.add("mass_init", cat["mini"], "float64", "Msun")
    grid.add_quantised("mass_ratio", cat["mact"] / cat["mini"], "", "current mass / initial mass")
    grid.add_quantised("log_teff", cat["logTe"], "log10 K")
    grid.add_quantised("log_lum", cat["logL"], "log10 Lsun")
    grid.add_quantised("logg", cat["logg"], "log10 cm s-2")
    grid.add_quantised(
        "log_radius",
        np.log10(radius_rsun(cat["logL"], cat["logTe"])),
        "log10 Rsun",
        "Stefan-Boltzmann from L, Teff",
    )
    grid.notes.append(
        f"Rows thinned from {raw_rows} to {len(cat['mini'])} by Douglas-Peucker in log initial mass with "
        f"tolerances {TOL}."
    )
    return grid.write()


def ysoisochrone_data_dir() -> Path:
    import ysoisochrone

    return Path(ysoisochrone.__file__).parent / "data"


def end_main_sequence(log_te: np.ndarray, log_l: np.ndarray) -> np.ndarray:
    """Mask [age, mass] of nodes past the main sequence.

    Per mass: the first age after the track's hottest point (the ZAMS end of the PMS Henyey contraction,
    or the upper main sequence) at which log Teff has fallen by more than POST_MS_DEX while log L has
    risen by more than POST_MS_DEX (a star expanding off the main sequence, not a brown dwarf cooling at
    falling L), and every later age. These grids are for young stars; past the MS they change faster than
    their age step (interpolating would cross the Hertzsprung gap), so the reader returns 'outside' there
    and evolved stars come from parsec12.
    """
    mask = np.zeros(log_te.shape, dtype=bool)
    for j in range(log_te.shape[1]):
        col = log_te[:, j]
        ok = np.flatnonzero(np.isfinite(col))
        if ok.size == 0:
            continue
        k_max = ok[np.argmax(col[ok])]
        lum = log_l[:, j]
        later = ok[(ok > k_max) & (col[ok] < col[k_max] - POST_MS_DEX) & (lum[ok] > lum[k_max] + POST_MS_DEX)]
        if later.size:
            mask[later[0] :, j] = True
    return mask


def build_yso_track(name: str, file: str, paper: str) -> dict[str, object]:
    mat = sio.loadmat(ysoisochrone_data_dir() / file)
    mass = np.asarray(mat["mass"], dtype=np.float64).ravel()
    log_age = np.asarray(mat["log_age"], dtype=np.float64).ravel()
    tl = np.asarray(mat["logt_logl"], dtype=np.float64)
    if tl.shape != (log_age.size, mass.size, 2):
        raise ValueError(f"{file}: logt_logl has shape {tl.shape}, expected ({log_age.size}, {mass.size}, 2)")
    tl = tl.copy()
    cut = end_main_sequence(tl[..., 0], tl[..., 1])
    tl[cut] = np.nan
    ai = np.arange(0, log_age.size, 2)
    mi = np.arange(0, mass.size, 2)
    grid = GridBuilder(
        name=f"isochrones-{name}",
        description=f"{name} tracks as a regular (log age, log mass) grid at solar metallicity",
        source={
            "package": "ysoisochrone",
            "version": metadata.version("ysoisochrone"),
            "file": file,
            "papers": [paper],
        },
        licence="ysoisochrone: MIT; track data free to use with citation of the model paper",
    )
    grid.axis("log_age", "log10 yr", log_age[ai])
    grid.axis("log_mass", "log10 Msun", np.log10(mass[mi]))
    grid.add_quantised("log_teff", tl[ai][:, mi, 0], "log10 K", "shape [age, mass]; missing = no model")
    grid.add_quantised("log_lum", tl[ai][:, mi, 1], "log10 Lsun")
    grid.notes.append(
        f"Nodes past the main sequence (log Teff {POST_MS_DEX} dex below and log L {POST_MS_DEX} dex above "
        f"the track's hottest point) "
        f"are left out ({int(cut.sum())} of {cut.size}): use isochrones-parsec12 for evolved stars."
    )
    return grid.write()
