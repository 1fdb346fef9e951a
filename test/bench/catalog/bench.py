"""Catalog benchmark: a 1M-row Gaia-like table as CSV and as Parquet → Arrow → model inputs
(values, errors, observed masks for G, BP, RP, parallax, pmra, pmdec with the same quality rules),
Cradle (Node, via cradle_side.ts) against pandas and pyarrow, in one run; then the CSV converted to
Parquet in batches (`catalog convert`, via convert_side.ts) against pyarrow's streamed CSV reader and
ParquetWriter, and to FITS (two streamed passes) against astropy reading the CSV whole and writing
FITS, each in its own process (time and peak RSS). Prints times and ratios.
CATALOG_BENCH_ROWS overrides the row count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[3]
ROWS = int(os.environ.get("CATALOG_BENCH_ROWS", "1000000"))


def gaia_like(n: int) -> pa.Table:
    rng = np.random.default_rng(1)
    g = rng.uniform(8, 21, n)
    bp_rp = rng.uniform(0, 4, n)
    missing = rng.random(n) < 0.05

    def masked(values: np.ndarray, mask: np.ndarray) -> pa.Array:
        return pa.array(values, mask=mask)

    return pa.table(
        {
            "source_id": pa.array(rng.integers(1, 2**62, n), pa.int64()),
            "ra": rng.uniform(0, 360, n),
            "dec": np.degrees(np.arcsin(rng.uniform(-1, 1, n))),
            "parallax": masked(rng.normal(2, 1, n), missing),
            "parallax_error": masked(rng.uniform(0.01, 0.5, n), missing),
            "pmra": masked(rng.normal(0, 10, n), missing),
            "pmra_error": masked(rng.uniform(0.01, 0.5, n), missing),
            "pmdec": masked(rng.normal(0, 10, n), missing),
            "pmdec_error": masked(rng.uniform(0.01, 0.5, n), missing),
            "ruwe": masked(rng.lognormal(0, 0.2, n), missing),
            "phot_g_mean_mag": g,
            "phot_g_mean_flux_over_error": 10 ** rng.uniform(1, 4, n),
            "phot_bp_mean_mag": masked(g + 0.4 * bp_rp, rng.random(n) < 0.08),
            "phot_bp_mean_flux_over_error": 10 ** rng.uniform(1, 3, n),
            "phot_rp_mean_mag": masked(g - 0.6 * bp_rp, rng.random(n) < 0.08),
            "phot_rp_mean_flux_over_error": 10 ** rng.uniform(1, 3, n),
            "phot_bp_rp_excess_factor": 1.15 + 0.05 * bp_rp + rng.normal(0, 0.02, n),
            "bp_rp": bp_rp,
        }
    )


def excess_flag(c: np.ndarray, bp: np.ndarray, rp: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Riello et al. 2021 Table 2 / Eq. 18, |C*| > 3σ."""
    x = bp - rp
    f = np.where(
        x < 0.5,
        1.154360 + 0.033772 * x + 0.032277 * x**2,
        np.where(
            x < 4,
            1.162004 + 0.011464 * x + 0.049255 * x**2 - 0.005879 * x**3,
            1.057572 + 0.140537 * x,
        ),
    )
    return np.abs(c - f) > 3 * (0.0059898 + 8.817481e-12 * g**7.618399)


def model_inputs(df: pd.DataFrame) -> dict[str, int]:
    out: dict[str, int] = {}
    ln = 2.5 / np.log(10)
    zp = {"g": 0.0027553202, "bp": 0.00279017, "rp": 0.0037793818}
    ruwe_bad = (df["ruwe"] > 1.4).to_numpy()
    g = df["phot_g_mean_mag"].to_numpy(dtype=float)
    bp = df["phot_bp_mean_mag"].to_numpy(dtype=float)
    rp = df["phot_rp_mean_mag"].to_numpy(dtype=float)
    excess = excess_flag(df["phot_bp_rp_excess_factor"].to_numpy(dtype=float), bp, rp, g)
    for band, values in (("g", g), ("bp", bp), ("rp", rp)):
        err = np.sqrt(
            (ln / df[f"phot_{band}_mean_flux_over_error"].to_numpy(dtype=float)) ** 2 + zp[band] ** 2
        )
        observed = np.isfinite(values) & np.isfinite(err)
        if band != "g":
            observed &= ~excess
        values = np.where(observed, values, np.nan)
        err = np.where(observed, err, np.nan)
        out[f"gaia.{band}"] = int(observed.sum())
    for name, column in (
        ("gaia.parallax", "parallax"),
        ("pmra", "pmra"),
        ("pmdec", "pmdec"),
    ):
        v = df[column].to_numpy(dtype=float)
        e = df[f"{column}_error"].to_numpy(dtype=float)
        observed = np.isfinite(v) & np.isfinite(e) & ~ruwe_bad
        out[name] = int(observed.sum())
    return out


def timed(action):  # type: ignore[no-untyped-def]
    """Runs action; returns (result, wall seconds, CPU seconds of this process, all threads)."""
    wall = time.perf_counter()
    cpu = time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def cradle(path: Path) -> dict[str, object]:
    result = subprocess.run(
        [
            "node",
            "--import",
            "tsx",
            str(Path(__file__).with_name("cradle_side.ts")),
            str(path),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def pyarrow_convert(source: Path, out: Path) -> None:
    """The peer of `catalog convert` CSV → Parquet: pyarrow's streamed CSV reader into a ParquetWriter
    (zstd, row groups of 65,536 rows, as Cradle writes); prints seconds and peak RSS as JSON."""
    start = time.perf_counter()
    writer = None
    rows = 0
    for batch in pacsv.open_csv(source):
        if writer is None:
            writer = pq.ParquetWriter(out, batch.schema, compression="zstd")
        writer.write_batch(batch, row_group_size=65536)
        rows += batch.num_rows
    assert writer is not None
    writer.close()
    # VmHWM, not getrusage's ru_maxrss, which Linux carries over from the parent across fork and exec.
    status = Path("/proc/self/status").read_text()
    peak = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024
    print(json.dumps({"rows": rows, "seconds": time.perf_counter() - start, "peakMiB": peak}))


def astropy_fits(source: Path, out: Path) -> None:
    """The peer of `catalog convert` CSV → FITS: astropy's fast CSV reader into a Table, written as a
    FITS binary table (astropy has no streamed path); prints seconds and peak RSS as JSON."""
    from astropy.table import Table

    start = time.perf_counter()
    table = Table.read(source, format="ascii.csv", fast_reader=True)
    table.write(out, format="fits")
    status = Path("/proc/self/status").read_text()
    peak = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024
    print(json.dumps({"rows": len(table), "seconds": time.perf_counter() - start, "peakMiB": peak}))


def in_child(command: list[str]) -> dict[str, float]:
    result = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def convert_comparison(csv_path: Path) -> None:
    side = Path(__file__).with_name("convert_side.ts")
    mine = in_child(
        ["node", "--import", "tsx", str(side), str(csv_path), str(csv_path.with_suffix(".c.parquet"))]
    )
    peer = in_child(
        [
            sys.executable,
            __file__,
            "--pyarrow-convert",
            str(csv_path),
            str(csv_path.with_suffix(".p.parquet")),
        ]
    )
    assert pq.read_table(csv_path.with_suffix(".c.parquet")).num_rows == peer["rows"] == ROWS
    print(
        f"CSV → Parquet in batches: Cradle {mine['seconds']:.2f} s, peak RSS {mine['peakMiB']:.0f} MiB; "
        f"pyarrow open_csv + ParquetWriter {peer['seconds']:.2f} s, peak RSS {peer['peakMiB']:.0f} MiB; "
        f"ratio Cradle/peer time {mine['seconds'] / peer['seconds']:.2f}, memory {mine['peakMiB'] / peer['peakMiB']:.2f}"
    )
    fits_mine = in_child(
        ["node", "--import", "tsx", str(side), str(csv_path), str(csv_path.with_suffix(".c.fits"))]
    )
    fits_peer = in_child(
        [sys.executable, __file__, "--astropy-fits", str(csv_path), str(csv_path.with_suffix(".a.fits"))]
    )
    from astropy.io import fits

    with (
        fits.open(csv_path.with_suffix(".c.fits")) as mine_hdus,
        fits.open(csv_path.with_suffix(".a.fits")) as peer_hdus,
    ):
        assert mine_hdus[1].header["NAXIS2"] == peer_hdus[1].header["NAXIS2"] == ROWS
        np.testing.assert_array_equal(mine_hdus[1].data["source_id"], peer_hdus[1].data["source_id"])
    print(
        f"CSV → FITS: Cradle (streamed, two passes) {fits_mine['seconds']:.2f} s, peak RSS {fits_mine['peakMiB']:.0f} MiB; "
        f"astropy Table.read + write {fits_peer['seconds']:.2f} s, peak RSS {fits_peer['peakMiB']:.0f} MiB; "
        f"ratio Cradle/peer time {fits_mine['seconds'] / fits_peer['seconds']:.2f}, memory "
        f"{fits_mine['peakMiB'] / fits_peer['peakMiB']:.2f}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        table = gaia_like(ROWS)
        csv_path = Path(tmp) / "gaia.csv"
        parquet_path = Path(tmp) / "gaia.parquet"
        pacsv.write_csv(table, csv_path)
        pq.write_table(table, parquet_path)
        print(
            f"{ROWS} rows; CSV {csv_path.stat().st_size / 1e6:.0f} MB, Parquet {parquet_path.stat().st_size / 1e6:.0f} MB"
        )

        df, pandas_csv, pandas_csv_cpu = timed(lambda: pd.read_csv(csv_path))
        reference, pandas_inputs, pandas_inputs_cpu = timed(lambda: model_inputs(df))
        _, pyarrow_csv, pyarrow_csv_cpu = timed(lambda: pacsv.read_csv(csv_path))
        pdf, pyarrow_parquet, pyarrow_parquet_cpu = timed(lambda: pq.read_table(parquet_path).to_pandas())
        _, parquet_inputs, parquet_inputs_cpu = timed(lambda: model_inputs(pdf))
        print(
            f"pyarrow.csv.read_csv (multithreaded, Arrow only): wall {pyarrow_csv:.2f} s, CPU {pyarrow_csv_cpu:.2f} s"
        )
        peers = {
            "CSV": (
                "pandas.read_csv + numpy",
                pandas_csv,
                pandas_csv_cpu,
                pandas_inputs,
                pandas_inputs_cpu,
            ),
            "Parquet": (
                "pyarrow.parquet + to_pandas + numpy",
                pyarrow_parquet,
                pyarrow_parquet_cpu,
                parquet_inputs,
                parquet_inputs_cpu,
            ),
        }
        for label, path in (("CSV", csv_path), ("Parquet", parquet_path)):
            result = cradle(path)
            assert result["observed"] == reference, (
                label,
                result["observed"],
                reference,
            )
            name, read, read_cpu, inputs, inputs_cpu = peers[label]
            wall = float(result["readSeconds"]) + float(result["inputsSeconds"])
            cpu = float(result["readCpuSeconds"]) + float(result["inputsCpuSeconds"])
            print(
                f"{label}: Cradle read {result['readSeconds']:.2f} s (CPU {result['readCpuSeconds']:.2f}) + inputs "
                f"{result['inputsSeconds']:.2f} s (CPU {result['inputsCpuSeconds']:.2f}); {name}: read {read:.2f} s "
                f"(CPU {read_cpu:.2f}) + inputs {inputs:.2f} s (CPU {inputs_cpu:.2f}); ratio Cradle/peer wall "
                f"{wall / (read + inputs):.2f}, CPU {cpu / (read_cpu + inputs_cpu):.2f}"
            )
        print("observed counts agree:", json.dumps(reference))
        convert_comparison(csv_path)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--pyarrow-convert"]:
        pyarrow_convert(Path(sys.argv[2]), Path(sys.argv[3]))
    elif sys.argv[1:2] == ["--astropy-fits"]:
        astropy_fits(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
