"""Atmosphere grids reduced to what Cradle needs: Castelli-Kurucz 2004 (8 [M/H]) and BT-Settl CIFIST (solar).

Reduction, the same for both libraries:
* wavelength: bin-averaged (flux-conserving) onto log-uniform bins, R = 200 from 0.30 to 1.05 um (Gaia,
  XP) and R = 50 from 1.05 to 30 um (2MASS, WISE); the value stored for a bin is the mean F_lambda over
  it, placed at the bin's geometric centre;
* Kurucz past 10 um has only 10.02, 20, 40 ... um: there F_lambda is interpolated log-log between the
  model's own points, a power law whose index is 3.9-4.0, i.e. the Rayleigh-Jeans tail (README of the data);
* BT-Settl files are resampled one by one (their sampling differs) and every one is rescaled so that
  int F dlambda = sigma Teff^4 over its full 0.01-30 um span: this repairs the few files the data README
  flags as off in total flux (0.82-0.88 and 1.06). `lte027.0-4.0` stops at 23.2 um and is extended with
  F ~ lambda^-4 from its last point;
* flux: log10 F_lambda (erg s-1 cm-2 A-1 at the stellar surface) quantised to uint16 over the grid's
  range (max error recorded in the manifest, ~2e-4 dex); a node without a model holds 65535 and has
  mask 0. The reader fills such nodes (hot low-gravity Kurucz corners, BT-Settl log g < 4 below 4100 K)
  from the nearest gravity at the same Teff and [M/H], and says so in its flags.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from astropy.io import fits

from .gridfile import SHARED_DATA, GridBuilder

ATMOS = SHARED_DATA / "physics" / "atmospheres"
CK04 = ATMOS / "Thesis_picaso-master" / "grid" / "ck04models"
BTSETTL = ATMOS / "lephare-data" / "sed" / "STAR" / "BD_NEW"
CK_MH = [
    ("ckm25", -2.5),
    ("ckm20", -2.0),
    ("ckm15", -1.5),
    ("ckm10", -1.0),
    ("ckm05", -0.5),
    ("ckp00", 0.0),
    ("ckp02", 0.2),
    ("ckp05", 0.5),
]
CK_LOGG = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0]
SIGMA_SB = 5.670374419e-5  # erg s-1 cm-2 K-4 (CODATA 2018)


def wavelength_bins() -> tuple[np.ndarray, np.ndarray]:
    """Bin edges and geometric centres (Angstrom)."""
    opt = np.exp(np.arange(np.log(3000.0), np.log(10500.0), 1.0 / 200.0))
    ir = np.exp(np.arange(np.log(10500.0), np.log(300000.0) + 1e-9, 1.0 / 50.0))
    edges = np.concatenate([opt, ir])
    return edges, np.sqrt(edges[:-1] * edges[1:])


def bin_average(
    wave: np.ndarray,
    flux: np.ndarray,
    edges: np.ndarray,
    loglog_from: float | None = None,
) -> np.ndarray:
    """Mean of the piecewise-linear (or, past `loglog_from`, piecewise power-law) F over each bin."""
    fine = np.union1d(wave, edges)
    if loglog_from is not None:
        # sub-sample the sparse tail so the trapezoid follows the power law
        fine = np.union1d(fine, np.exp(np.linspace(np.log(loglog_from), np.log(edges[-1]), 2000)))
    fine = fine[(fine >= edges[0]) & (fine <= edges[-1])]
    f = np.interp(fine, wave, flux)
    if loglog_from is not None:
        ok = flux > 0
        tail = fine > loglog_from
        f[tail] = 10 ** np.interp(np.log10(fine[tail]), np.log10(wave[ok]), np.log10(flux[ok]))
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(fine))])
    at = np.interp(edges, fine, cum)
    return np.diff(at) / np.diff(edges)


def read_ck04() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Teff axis, log10 F [mh, teff, logg, wave] (NaN = no model) and the sparse-tail power-law indices."""
    edges, _ = wavelength_bins()
    teffs = sorted(int(p.stem.split("_")[1]) for p in (CK04 / "ckp00").glob("ckp00_*.fits"))
    out = np.full((len(CK_MH), len(teffs), len(CK_LOGG), edges.size - 1), np.nan)
    slopes: list[float] = []
    for i, (folder, _) in enumerate(CK_MH):
        for j, teff in enumerate(teffs):
            path = CK04 / folder / f"{folder}_{teff}.fits"
            with fits.open(path) as hdul:
                data = hdul[1].data
                wave = np.asarray(data["WAVELENGTH"], dtype=np.float64)
                for k, g in enumerate(CK_LOGG):
                    col = f"g{int(round(g * 10)):02d}"
                    flux = np.asarray(data[col], dtype=np.float64)
                    if not np.any(flux > 0):
                        continue
                    binned = bin_average(wave, flux, edges, loglog_from=100200.0)
                    out[i, j, k] = np.log10(np.maximum(binned, 1e-300))
                    a, b = np.searchsorted(wave, [100200.0, 200000.0])
                    slopes.append(-np.log(flux[b] / flux[a]) / np.log(wave[b] / wave[a]))
    return np.asarray(teffs, dtype=np.float64), out, np.asarray(slopes)


def read_btsettl() -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    edges, _ = wavelength_bins()
    pat = re.compile(r"lte(\d+\.\d)-(\d\.\d)-0\.0a\+0\.0\.BT-Settl\.spec\.txt$")
    found: dict[tuple[float, float], Path] = {}
    for p in BTSETTL.glob("lte*.BT-Settl.spec.txt"):
        m = pat.search(p.name)
        if m is None:
            raise ValueError(f"{p}: file name does not follow lteTTT.T-G.G-0.0a+0.0.BT-Settl.spec.txt")
        found[(float(m.group(1)) * 100.0, float(m.group(2)))] = p
    teffs = sorted({t for t, _ in found})
    loggs = sorted({g for _, g in found})
    out = np.full((len(teffs), len(loggs), edges.size - 1), np.nan)
    notes: list[str] = []
    for (teff, g), path in sorted(found.items()):
        raw = np.loadtxt(path)
        if raw.ndim != 2 or raw.shape[1] != 2:
            raise ValueError(f"{path}: expected two columns (wavelength A, F_lambda), got shape {raw.shape}")
        wave, flux = raw[:, 0], raw[:, 1]
        order = np.argsort(wave)
        wave, flux = wave[order], flux[order]
        wave, uniq = np.unique(wave, return_index=True)
        flux = flux[uniq]
        total = float(np.sum(0.5 * (flux[1:] + flux[:-1]) * np.diff(wave)))
        ratio = total / (SIGMA_SB * teff**4)
        if abs(ratio - 1.0) > 0.05:
            notes.append(f"{path.name}: int F / sigma T^4 = {ratio:.3f}, rescaled to 1")
        flux = flux / ratio
        if wave[-1] < edges[-1]:
            notes.append(f"{path.name}: ends at {wave[-1] / 1e4:.1f} um, extended with F ~ lambda^-4")
            last_w, last_f = wave[-1], flux[-1]
            ext = np.exp(np.linspace(np.log(last_w), np.log(edges[-1] * 1.001), 200))[1:]
            wave = np.concatenate([wave, ext])
            flux = np.concatenate([flux, last_f * (ext / last_w) ** -4])
        binned = bin_average(wave, flux, edges)
        out[teffs.index(teff), loggs.index(g)] = np.log10(np.maximum(binned, 1e-300))
    return np.asarray(teffs), np.asarray(loggs), out, notes


def build_kurucz() -> dict[str, object]:
    edges, centres = wavelength_bins()
    teffs, logf, slopes = read_ck04()
    grid = GridBuilder(
        name="atmos-kurucz",
        description=(
            "Castelli-Kurucz 2004 ATLAS9 surface fluxes, 8 [M/H], bin-averaged to R=200 (0.3-1.05 um)"
            " / R=50 (1.05-30 um)"
        ),
        source={
            "data": "STScI ck04models, copy in vivikuss/Thesis_picaso-master @ 400dbe91 (grid/ck04models)",
            "papers": ["Castelli & Kurucz 2003, IAU Symp. 210, A20"],
        },
        licence="Castelli & Kurucz 2004 models: free to reuse with citation (STScI distribution)",
    )
    grid.axis("mh", "dex", [m for _, m in CK_MH])
    grid.axis("teff", "K", teffs)
    grid.axis("logg", "log10 cm s-2", CK_LOGG)
    grid.add("wavelength", centres, "float64", "Angstrom", "geometric bin centres")
    grid.add("bin_edges", edges, "float64", "Angstrom")
    grid.add(
        "mask",
        np.isfinite(logf[..., 0]).astype(np.uint8),
        "uint8",
        "",
        "[mh, teff, logg]: 1 = model exists",
    )
    err = grid.add_quantised(
        "log_flux",
        logf,
        "log10 erg s-1 cm-2 A-1",
        "[mh, teff, logg, wavelength], surface flux",
    )
    grid.notes.append(f"Quantisation error <= {err:.2e} dex.")
    grid.notes.append(
        f"Past 10 um: log-log interpolation between the model's own points; the 10-20 um power-law index is "
        f"{slopes.min():.2f}-{slopes.max():.2f} (Rayleigh-Jeans = 4)."
    )
    grid.notes.append(
        "No models below 3500 K: the reader joins BT-Settl there"
        " (see electron/forward/physics/atmospheres.ts)."
    )
    return grid.write()


def build_btsettl() -> dict[str, object]:
    edges, centres = wavelength_bins()
    teffs, loggs, logf, notes = read_btsettl()
    grid = GridBuilder(
        name="atmos-btsettl",
        description="BT-Settl CIFIST2015 surface fluxes, solar, bin-averaged like atmos-kurucz",
        source={
            "data": "lephare-photoz/lephare-data @ 9cdd12b7 (sed/STAR/BD_NEW)",
            "papers": [
                "Allard, Homeier & Freytag 2012, RSPTA 370, 2765",
                "Baraffe et al. 2015, A&A 577, A42",
            ],
        },
        licence="BT-Settl models (c) Allard et al., free to reuse with citation",
    )
    grid.axis("mh", "dex", [0.0])
    grid.axis("teff", "K", teffs)
    grid.axis("logg", "log10 cm s-2", loggs)
    grid.add("wavelength", centres, "float64", "Angstrom", "geometric bin centres")
    grid.add("bin_edges", edges, "float64", "Angstrom")
    grid.add(
        "mask",
        np.isfinite(logf[..., 0]).astype(np.uint8)[None],
        "uint8",
        "",
        "[mh, teff, logg]",
    )
    err = grid.add_quantised("log_flux", logf[None], "log10 erg s-1 cm-2 A-1", "[mh, teff, logg, wavelength]")
    grid.notes.append(f"Quantisation error <= {err:.2e} dex.")
    grid.notes.extend(notes)
    return grid.write()


# ---- high-resolution windows for survey spectra (LAMOST/BOSS optical, APOGEE H band) ----
# BT-Settl's own sample points. Up to 5900 K the files sample the optical on even Angstroms (2 A) or, for
# 4100-5900 K below ~7500 A, on multiples of 5 A, and H on multiples of 5 A: the union of those points
# holds every such file exactly, jagged molecular bands included (resampling onto a log grid had clipped
# peaks by up to 10 % after the LSF). Hotter files are sampled irregularly (1.4-5 A, their own points) and
# are interpolated linearly onto the same points: where their sampling is coarser than a survey's LSF,
# single-sample lines then differ from the file's own interpolant by a few % (test_physics_survey.py).
HIRES_WINDOWS = [(3550.0, 10500.0, (2.0, 5.0)), (15000.0, 17100.0, (5.0,))]
HIRES_TEFF = [2000.0 + 200.0 * i for i in range(26)]  # 2000-7000 K
HIRES_LOGG = [2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5]


def hires_wavelength() -> np.ndarray:
    """The union of BT-Settl's 2 A and 5 A sample points in the optical window, 5 A in H."""
    parts = [
        np.unique(np.concatenate([np.arange(lo, hi + 1e-6, step) for step in steps]))
        for lo, hi, steps in HIRES_WINDOWS
    ]
    return np.concatenate(parts)


def build_btsettl_hires() -> dict[str, object]:
    """Every BT-Settl model on the (Teff, log g) nodes; nodes the data lack (log g < 4 at Teff <= 4000 K)
    are stored as missing (mask 0) and filled by the reader from the nearest gravity."""
    wave = hires_wavelength()
    out = np.full((len(HIRES_TEFF), len(HIRES_LOGG), wave.size), np.nan)
    for i, teff in enumerate(HIRES_TEFF):
        for j, g in enumerate(HIRES_LOGG):
            path = BTSETTL / f"lte{teff / 100:05.1f}-{g:.1f}-0.0a+0.0.BT-Settl.spec.txt"
            if not path.exists():
                continue
            raw = np.loadtxt(path)
            w, f = raw[:, 0], raw[:, 1]
            order = np.argsort(w)
            w, f = w[order], f[order]
            total = float(np.sum(0.5 * (f[1:] + f[:-1]) * np.diff(w)))
            f = f * (SIGMA_SB * teff**4) / total
            out[i, j] = np.log10(np.maximum(np.interp(wave, w, f), 1e-300))
    grid = GridBuilder(
        name="spectra-btsettl",
        description="BT-Settl CIFIST surface fluxes at native resolution in 0.355-1.05 um and 1.50-1.71 um",
        source={
            "data": "lephare-photoz/lephare-data @ 9cdd12b7 (sed/STAR/BD_NEW)",
            "papers": ["Allard, Homeier & Freytag 2012, RSPTA 370, 2765"],
        },
        licence="BT-Settl models (c) Allard et al., free to reuse with citation",
    )
    grid.axis("teff", "K", HIRES_TEFF)
    grid.axis("logg", "log10 cm s-2", HIRES_LOGG)
    grid.add(
        "wavelength",
        wave,
        "float64",
        "Angstrom",
        "BT-Settl sample points: 2 A and 5 A in 3550-10500 A, 5 A in H",
    )
    grid.add(
        "mask",
        np.isfinite(out[..., 0]).astype(np.uint8),
        "uint8",
        "",
        "[teff, logg]: 1 = model exists (BT-Settl has log g >= 4 only at Teff <= 4000 K)",
    )
    err = grid.add_quantised(
        "log_flux",
        out,
        "log10 erg s-1 cm-2 A-1",
        "[teff, logg, wavelength], surface flux",
    )
    grid.notes.append(
        "BT-Settl's own 2 A / 5 A sample points (exact for Teff <= 5900 K; hotter files, sampled"
        f" irregularly, are interpolated linearly); quantisation <= {err:.1e} dex."
    )
    grid.notes.append(
        "Library resolution: R ~ 2500-5000 optical, ~3000 in H (APOGEE-like spectra are library-limited)."
    )
    grid.notes.append(
        "Each spectrum rescaled to int F dlambda = sigma Teff^4 over its full file (as atmos-btsettl)."
    )
    grid.notes.append(
        f"{int(np.isfinite(out[..., 0]).sum())} of {out.shape[0] * out.shape[1]} nodes hold a model; the"
        " rest (log g < 4 at Teff <= 4000 K) are filled by the reader from the nearest gravity."
    )
    return grid.write()
