"""Parquet written by `cradle catalog convert` read by astropy's own Parquet reader: units,
descriptions, UCDs (column meta), null masks and dtypes of float, integer (64-bit beyond 2^53
included), text, boolean and fixed-length array columns, as astropy wrote the source table."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import numpy as np
from astropy.table import Column, MaskedColumn, Table

ROOT = Path(__file__).resolve().parents[2]


def source_table() -> Table:
    t = Table()
    t["ra"] = Column([1.5, 2.5, 3.5], unit="deg", description="Right ascension")
    t["ra"].meta["ucd"] = "pos.eq.ra"
    t["n"] = MaskedColumn(np.array([1, 2, 3], dtype=np.int32), mask=[False, True, False])
    t["source_id"] = MaskedColumn(
        np.array([6728162648254144128, 2, 3], dtype=np.int64), mask=[False, True, False]
    )
    t["label"] = MaskedColumn(["ab", "c", "dé€"], mask=[False, True, False])
    t["ok"] = MaskedColumn([True, False, True], mask=[False, False, True])
    t["always"] = [True, False, True]
    t["xp"] = Column(np.arange(6.0).reshape(3, 2), unit="mag")
    return t


def test_astropy_reads_cradle_parquet(tmp_path: Path) -> None:
    source = tmp_path / "source.vot"
    source_table().write(source, format="votable")
    out = tmp_path / "out.parquet"
    result = subprocess.run(
        ["node", str(ROOT / "bin" / "cradle.mjs"), "catalog", "convert", str(source), str(out), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with warnings.catch_warnings():
        # numpy's NaN-to-int cast of the masked int32 cell (see parquet-astropy.ts).
        warnings.filterwarnings("ignore", "invalid value encountered in cast", RuntimeWarning)
        got = Table.read(out)
    want = source_table()
    assert got.colnames == want.colnames
    for name in want.colnames:
        assert got[name].dtype == want[name].dtype, name
        assert got[name].unit == want[name].unit, name
        assert getattr(got[name], "mask", None) is not None or not hasattr(want[name], "mask"), name
        if hasattr(want[name], "mask"):
            np.testing.assert_array_equal(got[name].mask, want[name].mask)
            np.testing.assert_array_equal(got[name][~want[name].mask], want[name][~want[name].mask])
        else:
            np.testing.assert_array_equal(got[name], want[name])
    assert got["ra"].description == "Right ascension"
    assert got["ra"].meta["ucd"] == "pos.eq.ra"
