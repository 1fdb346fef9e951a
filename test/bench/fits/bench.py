"""FITS engine benchmark: `cradle fits stats` over every column of a 1,000,000-row, 30-column
Gaia-like BINTABLE, against astropy (Table.read + the same statistics) and fitsio (fitsio.read + the
same statistics), each in its own process, timed wall-clock with peak resident memory.

The table is generated once into test/bench/out/ (gitignored). Run: `npm run bench -- fits`.
Target (issue 3): Cradle no slower than the faster peer; peak memory under 1.5x the file size.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
OUT = ROOT / "test" / "bench" / "out"
FILE = OUT / "gaia_like_1m.fits"
ROWS = 1_000_000

PEER = r"""
import json, sys, time, warnings
import numpy as np
path, which = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if which == "astropy":
    from astropy.table import Table
    table = Table.read(path, hdu=1)
    columns = {name: table[name] for name in table.colnames}
else:
    import fitsio
    data = fitsio.read(path, ext=1)
    columns = {name: data[name] for name in data.dtype.names}
stats = {}
for name, column in columns.items():
    values = np.ma.getdata(column)
    if values.dtype.kind not in "iuf" or values.ndim != 1:
        continue
    mask = np.ma.getmaskarray(column) if which == "astropy" else np.zeros(len(values), bool)
    nan = np.isnan(values) if values.dtype.kind == "f" else np.zeros(len(values), bool)
    valid = values[~mask & ~nan]
    stats[name] = {"min": valid.min().item(), "max": valid.max().item(), "mean": float(valid.mean(dtype=np.float64)),
                   "nan": int(nan.sum()), "nulls": int((mask & ~nan).sum())}
print(json.dumps({"seconds": time.perf_counter() - start, "columns": len(stats)}))
"""


def generate() -> None:
    from astropy.io import fits

    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(42)
    n = ROWS
    nan_some = lambda a, frac: np.where(rng.random(n) < frac, np.nan, a)
    cols = [
        fits.Column("source_id", "K", array=rng.integers(0, 2**62, n, dtype=np.int64)),
        fits.Column(
            "solution_id", "K", array=np.full(n, 1636148068921376768, dtype=np.int64)
        ),
        fits.Column("random_index", "K", array=rng.permutation(n).astype(np.int64)),
        fits.Column(
            "designation", "28A", array=np.array([f"Gaia DR3 {i}" for i in range(n)])
        ),
        fits.Column("ra", "D", unit="deg", array=rng.uniform(0, 360, n)),
        fits.Column("dec", "D", unit="deg", array=rng.uniform(-90, 90, n)),
        fits.Column(
            "parallax", "D", unit="mas", array=nan_some(rng.normal(1, 2, n), 0.2)
        ),
        fits.Column(
            "parallax_error",
            "E",
            unit="mas",
            array=rng.gamma(2, 0.05, n).astype(np.float32),
        ),
        fits.Column(
            "pmra", "D", unit="mas/yr", array=nan_some(rng.normal(0, 10, n), 0.2)
        ),
        fits.Column("pmra_error", "E", array=rng.gamma(2, 0.05, n).astype(np.float32)),
        fits.Column(
            "pmdec", "D", unit="mas/yr", array=nan_some(rng.normal(0, 10, n), 0.2)
        ),
        fits.Column("pmdec_error", "E", array=rng.gamma(2, 0.05, n).astype(np.float32)),
        fits.Column("ruwe", "E", array=rng.lognormal(0, 0.2, n).astype(np.float32)),
        fits.Column(
            "phot_g_mean_mag",
            "E",
            unit="mag",
            array=rng.uniform(3, 21, n).astype(np.float32),
        ),
        fits.Column(
            "phot_bp_mean_mag",
            "E",
            unit="mag",
            array=nan_some(rng.uniform(3, 22, n), 0.05).astype(np.float32),
        ),
        fits.Column(
            "phot_rp_mean_mag",
            "E",
            unit="mag",
            array=nan_some(rng.uniform(3, 20, n), 0.05).astype(np.float32),
        ),
        fits.Column(
            "bp_rp",
            "E",
            unit="mag",
            array=nan_some(rng.normal(1, 0.5, n), 0.05).astype(np.float32),
        ),
        fits.Column(
            "radial_velocity",
            "E",
            unit="km/s",
            array=nan_some(rng.normal(0, 30, n), 0.9).astype(np.float32),
        ),
        fits.Column(
            "teff_gspphot",
            "E",
            unit="K",
            array=nan_some(rng.uniform(3000, 9000, n), 0.4).astype(np.float32),
        ),
        fits.Column(
            "logg_gspphot",
            "E",
            array=nan_some(rng.uniform(0, 5, n), 0.4).astype(np.float32),
        ),
        fits.Column(
            "mh_gspphot",
            "E",
            array=nan_some(rng.normal(0, 0.3, n), 0.4).astype(np.float32),
        ),
        fits.Column(
            "ag_gspphot",
            "E",
            unit="mag",
            array=nan_some(rng.gamma(1, 0.3, n), 0.4).astype(np.float32),
        ),
        fits.Column(
            "distance_gspphot",
            "E",
            unit="pc",
            array=nan_some(rng.gamma(2, 800, n), 0.4).astype(np.float32),
        ),
        fits.Column("l", "D", unit="deg", array=rng.uniform(0, 360, n)),
        fits.Column("b", "D", unit="deg", array=rng.uniform(-90, 90, n)),
        fits.Column("ecl_lon", "D", unit="deg", array=rng.uniform(0, 360, n)),
        fits.Column(
            "phot_g_n_obs",
            "I",
            bzero=32768,
            array=rng.integers(0, 65535, n).astype(np.uint16),
        ),
        fits.Column(
            "visibility_periods_used",
            "I",
            bzero=32768,
            array=rng.integers(0, 40, n).astype(np.uint16),
        ),
        fits.Column(
            "ipd_frac_multi_peak",
            "I",
            null=-1,
            array=np.where(rng.random(n) < 0.01, -1, rng.integers(0, 100, n)).astype(
                np.int16
            ),
        ),
        fits.Column(
            "phot_variable_flag",
            "13A",
            array=np.where(rng.random(n) < 0.1, "VARIABLE", "NOT_AVAILABLE"),
        ),
    ]
    hdu = fits.BinTableHDU.from_columns(cols, name="GAIA")
    partial = FILE.with_suffix(".partial")
    hdu.writeto(partial, overwrite=True)
    partial.rename(FILE)


def measure(command: list[str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one child process, run from a
    fresh Python so the peak is that child's alone. CPU time is reported beside wall time because a
    shared machine's load inflates wall time unevenly."""
    wrapper = (
        "import resource, subprocess, sys, time, json\n"
        "start = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - start\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "cpu = usage.ru_utime + usage.ru_stime\n"
        "print(json.dumps({'wall': wall, 'cpu': cpu, 'peak': usage.ru_maxrss / 1024, 'rc': r.returncode,"
        " 'out': r.stdout, 'err': r.stderr}))\n"
    )
    result = json.loads(
        subprocess.run(
            [sys.executable, "-c", wrapper, *command],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    if result["rc"] != 0:
        raise SystemExit(f"{command[0]} failed: {result['err']}")
    return result["wall"], result["cpu"], result["peak"], result["out"]


def main() -> None:
    if not FILE.exists():
        print(f"generating {FILE} ...", flush=True)
        generate()
    size_mib = FILE.stat().st_size / 2**20
    print(f"file: {FILE.name}, {ROWS} rows x 30 columns, {size_mib:.0f} MiB")
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    runs: dict[str, list[tuple[float, float, float]]] = {
        "cradle": [],
        "engine": [],
        "astropy": [],
        "fitsio": [],
    }
    cradle_command = ["node", str(ROOT / "bin" / "cradle.mjs"), "fits"]
    engine_script = Path(__file__).with_name("cradle-stats.ts")
    engine_command = ["node", "--import", "tsx", str(engine_script), str(FILE), "1"]
    cradle_out = ""
    for _ in range(repeats):
        wall, cpu, peak, cradle_out = measure(
            [*cradle_command, "stats", str(FILE), "--hdu", "1", "--json"]
        )
        runs["cradle"].append((wall, cpu, peak))
        wall, cpu, peak, engine_out = measure(engine_command)
        runs["engine"].append((wall, cpu, peak))
        if json.loads(engine_out) != json.loads(cradle_out):
            raise SystemExit("the engine-only run disagrees with the CLI")
        for peer in ("astropy", "fitsio"):
            wall, cpu, peak, _ = measure([sys.executable, "-c", PEER, str(FILE), peer])
            runs[peer].append((wall, cpu, peak))
    startup_wall, startup_cpu, _, _ = measure([*cradle_command, "--help"])
    cradle_stats = json.loads(cradle_out)["columns"]
    best = {
        name: (min(r[0] for r in rs), min(r[1] for r in rs), max(r[2] for r in rs))
        for name, rs in runs.items()
    }
    for name, (wall, cpu, peak) in best.items():
        print(
            f"{name:8s} best of {repeats}: wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
            f"peak RSS {peak:6.0f} MiB ({peak / size_mib:.2f}x file)"
        )
    print(
        "cradle = the `cradle fits stats` command; engine = the same call without the CLI shell "
        "(cradle-stats.ts)"
    )
    print(
        f"cradle CLI start-up alone (fits --help): wall {startup_wall:.2f} s, cpu {startup_cpu:.2f} s"
    )
    for who in ("cradle", "engine"):
        for k, label in ((0, "wall"), (1, "cpu")):
            faster = min(best["astropy"][k], best["fitsio"][k])
            print(
                f"{who:6s} {label:4s} ratio /astropy {best[who][k] / best['astropy'][k]:.2f}, "
                f"/fitsio {best[who][k] / best['fitsio'][k]:.2f}, "
                f"/faster peer {best[who][k] / faster:.2f} (target <= 1)"
            )
    print(
        f"cradle peak / file: {best['cradle'][2] / size_mib:.2f} (target < 1.5); "
        f"columns with statistics: {len(cradle_stats)}"
    )


if __name__ == "__main__":
    main()
