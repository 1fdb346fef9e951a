"""Catalog engine against independent Python references, through the `cradle catalog` CLI.

- cross-match: astropy's match_coordinates_sky on random catalogs gives the same pairs and separations;
- Parquet written by pyarrow (several codecs, nulls, int64 ids, lists) reads with the same values;
- VOTable and ECSV written by Cradle read back in astropy with their units;
- gzipped ECSV and CSV (the Gaia archive's bulk-download form) read as astropy reads them, and a
  Gaia DR3 bulk file's `null` missing values as astropy reads them with its documented fill_values;
- a BINARY/BINARY2 VOTable of megabytes (decoded in pieces) reads as astropy reads it;
- a byte-by-byte (AAS MRT) table of megabytes written by astropy, plain and gzipped, reads as astropy
  reads it;
- a table converted to FITS reads in astropy with the same values, nulls, arrays and units;
- a CSV column of numbers that ends in text keeps every cell as written, as astropy reads it;
- ECSV array columns read as astropy reads them, and Cradle's read in astropy as arrays;
- observed counts on real validation tables equal the counts computed here from the published rules.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
from pathlib import Path

import astropy.units as u
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from astropy.coordinates import SkyCoord, match_coordinates_sky
from astropy.io import fits
from astropy.io.votable import from_table
from astropy.table import MaskedColumn, Table

ROOT = Path(__file__).resolve().parents[2]
VALIDATION = ROOT.parent / "shared" / "data" / "real-stars" / "validation"


def cradle(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(ROOT / "bin" / "cradle.mjs"), "catalog", *args],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )


def ok(*args: str) -> str:
    result = cradle(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def random_sky(
    rng: np.random.Generator, n: int, ra0: float, dec0: float, size: float
) -> tuple[np.ndarray, np.ndarray]:
    ra = (ra0 + size * (rng.random(n) - 0.5)) % 360
    dec = dec0 + size * (rng.random(n) - 0.5)
    return ra, dec


@pytest.mark.parametrize("ra0,dec0", [(0.0, 0.0), (150.0, 88.5), (275.0, -37.0)])
def test_xmatch_matches_astropy(tmp_path: Path, ra0: float, dec0: float) -> None:
    rng = np.random.default_rng(int(ra0) + 11)
    ra_a, dec_a = random_sky(rng, 2000, ra0, dec0, 0.5)
    # B: a jittered copy of 70% of A (offsets up to ~1.5 arcsec) plus unrelated stars.
    pick = rng.random(2000) < 0.7
    jitter = 1.5 / 3600
    ra_b = (
        np.concatenate(
            [
                ra_a[pick] + jitter * rng.standard_normal(pick.sum()) / np.cos(np.radians(dec_a[pick])) / 2,
                random_sky(rng, 1000, ra0, dec0, 0.5)[0],
            ]
        )
        % 360
    )
    dec_b = np.concatenate(
        [
            dec_a[pick] + jitter * rng.standard_normal(pick.sum()) / 2,
            random_sky(rng, 1000, ra0, dec0, 0.5)[1],
        ]
    )
    a = pd.DataFrame({"id_a": np.arange(2000), "ra": ra_a, "dec": dec_a})
    b = pd.DataFrame({"id_b": np.arange(len(ra_b)), "ra": ra_b, "dec": dec_b})
    a.to_csv(tmp_path / "a.csv", index=False, float_format="%.12f")
    b.to_csv(tmp_path / "b.csv", index=False, float_format="%.12f")
    out = tmp_path / "m.parquet"
    summary = json.loads(
        ok(
            "xmatch",
            str(tmp_path / "a.csv"),
            str(tmp_path / "b.csv"),
            "--radius",
            "1arcsec",
            str(out),
        )
    )

    ca = SkyCoord(a["ra"].to_numpy(), a["dec"].to_numpy(), unit="deg")
    cb = SkyCoord(b["ra"].to_numpy(), b["dec"].to_numpy(), unit="deg")
    idx, d2d, _ = match_coordinates_sky(ca, cb)
    within = d2d < 1 * u.arcsec
    got = pq.read_table(out).to_pandas()
    assert len(got) == 2000
    assert summary["matched"] == int(within.sum())
    matched = got["id_b"].notna().to_numpy()
    np.testing.assert_array_equal(matched, within)
    np.testing.assert_array_equal(got["id_b"].to_numpy()[matched].astype(int), idx[within])
    np.testing.assert_allclose(
        got["separation_arcsec"].to_numpy()[matched],
        d2d.arcsec[within],
        rtol=0,
        atol=1e-6,
    )
    assert within.sum() > 500


def test_parquet_from_pyarrow_reads(tmp_path: Path) -> None:
    table = pa.table(
        {
            "source_id": pa.array([4295806720, 6728162648254144128, None], pa.int64()),
            "phot_g_mean_mag": pa.array([12.5, None, 17.25], pa.float32()),
            "parallax": pa.array([1.5, 2.25, float("nan")], pa.float64()),
            "name": pa.array(["a", None, "c d"]),
            "ok": pa.array([True, False, None]),
        }
    )
    for codec in ("snappy", "zstd", "gzip", "none"):
        path = tmp_path / f"t_{codec}.parquet"
        pq.write_table(table, path, compression=codec)
        out = tmp_path / f"t_{codec}.ecsv"
        ok("convert", str(path), str(out))
        back = Table.read(out)
        assert list(back["source_id"].filled(-1)) == [
            4295806720,
            6728162648254144128,
            -1,
        ]
        assert back["source_id"].dtype == np.int64
        g = back["phot_g_mean_mag"]
        assert float(g[0]) == 12.5 and bool(g.mask[1]) and float(g[2]) == 17.25
        assert np.isnan(float(back["parallax"][2]))
        assert list(back["name"].filled("")) == ["a", "", "c d"]
        assert bool(back["ok"][0]) and not bool(back["ok"][1]) and bool(back["ok"].mask[2])


def test_votable_and_ecsv_units_survive_in_astropy(tmp_path: Path) -> None:
    t = Table()
    t["source_id"] = np.array([1, 6728162648254144128], dtype=np.int64)
    t["ra"] = [10.5, 275.176999] * u.deg
    t["pmra"] = [1.5, -2.25] * u.mas / u.yr
    t["phot_g_mean_mag"] = [12.5, 17.136] * u.mag
    t.write(tmp_path / "in.ecsv")
    for ext in ("vot", "ecsv", "parquet", "mrt"):
        out = tmp_path / f"out.{ext}"
        ok("convert", str(tmp_path / "in.ecsv"), str(out))
        if ext == "parquet":
            back = pq.read_table(out)
            assert back.schema.field("ra").metadata[b"unit"] == b"deg"
            assert back.column("source_id").to_pylist() == [1, 6728162648254144128]
            continue
        back = Table.read(out, format="ascii.mrt") if ext == "mrt" else Table.read(out)
        assert back["ra"].unit == u.deg, ext
        assert back["pmra"].unit == u.mas / u.yr, ext
        assert back["phot_g_mean_mag"].unit == u.mag, ext
        assert list(back["source_id"]) == [1, 6728162648254144128]
        np.testing.assert_array_equal(np.asarray(back["pmra"]), [1.5, -2.25])


def converted_like_astropy(source: Path, reference: Table, out: Path) -> pa.Table:
    """`cradle catalog convert` of a `gaia_like` table in `source` to Parquet, checked against astropy's
    read of the same file."""
    ok("convert", str(source), str(out))
    back = pq.read_table(out)
    assert back.column("source_id").to_pylist() == [int(v) for v in reference["source_id"]], source
    flags = "phot_variable_flag"
    assert back.column(flags).to_pylist() == list(reference[flags]), source
    for name in ("ra", "parallax", "phot_g_mean_mag"):
        mine = back.column(name).to_numpy(zero_copy_only=False).astype(float)
        ref = np.ma.filled(np.ma.asarray(reference[name], dtype=float), np.nan)
        np.testing.assert_array_equal(mine, ref, err_msg=f"{source} {name}")
    return back


def gaia_like(seed: int, n: int) -> Table:
    """A Gaia-like table: 64-bit ids, units, masked floats, strings and a 3-element array column."""
    rng = np.random.default_rng(seed)
    t = Table()
    t["source_id"] = rng.integers(1, 2**62, n, dtype=np.int64)
    t["ra"] = rng.uniform(0, 360, n) * u.deg
    t["parallax"] = np.ma.masked_array(rng.normal(1, 0.5, n), mask=rng.random(n) < 0.2) * u.mas
    t["phot_g_mean_mag"] = np.ma.masked_array(
        rng.uniform(5, 21, n).astype(np.float32), mask=rng.random(n) < 0.1
    )
    t["phot_variable_flag"] = np.where(rng.random(n) < 0.1, "VARIABLE", "NOT_AVAILABLE")
    t["xp"] = rng.normal(size=(n, 3))
    return t


def test_gzipped_ecsv_and_csv_read_as_astropy_reads_them(tmp_path: Path) -> None:
    t = gaia_like(5, 3000)
    t.remove_column("xp")
    for ext in ("ecsv", "csv"):
        plain = tmp_path / f"GaiaSource_000000-003111.{ext}"
        t.write(plain, format="ascii.ecsv" if ext == "ecsv" else "ascii.csv", delimiter=",")
        packed = tmp_path / f"{plain.name}.gz"
        packed.write_bytes(gzip.compress(plain.read_bytes()))
        reference = Table.read(packed, format="ascii.ecsv" if ext == "ecsv" else "ascii.csv")
        back = converted_like_astropy(packed, reference, tmp_path / f"{ext}.parquet")
        if ext == "ecsv":
            assert back.schema.field("parallax").metadata[b"unit"] == b"mas"


def test_ecsv_array_columns_as_astropy_reads_and_writes_them(tmp_path: Path) -> None:
    # astropy writes a 3-element column as JSON text with subtype float64[3]; NaN as NaN.
    t = gaia_like(17, 300)
    t["xp"][5, 1] = np.nan
    source = tmp_path / "arrays.ecsv"
    t.write(source, format="ascii.ecsv")
    reference = Table.read(source)
    back = converted_like_astropy(source, reference, tmp_path / "arrays.parquet")
    xp = np.array([[np.nan if v is None else v for v in row] for row in back.column("xp").to_pylist()])
    np.testing.assert_array_equal(xp, np.asarray(reference["xp"]))
    # And Cradle's ECSV of an array column reads in astropy as that array (the NaN, a missing element
    # to Cradle, as a masked one).
    written = tmp_path / "written.ecsv"
    ok("convert", str(tmp_path / "arrays.parquet"), str(written))
    again = np.ma.filled(Table.read(written)["xp"], np.nan)
    np.testing.assert_array_equal(again, np.asarray(reference["xp"]))


def test_votable_fixed_arrays_stay_fixed_as_in_astropy(tmp_path: Path) -> None:
    # A FIELD with arraysize="3" is an (n, 3) column in astropy: Cradle reads it as a fixed-size list
    # (Parquet fixed_size_list) and writes it back with its arraysize.
    t = gaia_like(23, 200)
    source = tmp_path / "arrays.vot"
    from_table(t).to_xml(str(source), tabledata_format="binary2")
    assert 'arraysize="3"' in source.read_text(errors="replace")
    reference = Table.read(source)
    back = converted_like_astropy(source, reference, tmp_path / "arrays.parquet")
    assert back.schema.field("xp").type == pa.list_(pa.float64(), 3)
    np.testing.assert_array_equal(np.array(back.column("xp").to_pylist()), np.asarray(reference["xp"]))
    written = tmp_path / "written.vot"
    ok("convert", str(tmp_path / "arrays.parquet"), str(written))
    assert 'name="xp" datatype="double" arraysize="3"' in written.read_text()
    np.testing.assert_array_equal(np.asarray(Table.read(written)["xp"]), np.asarray(reference["xp"]))


def test_multidimensional_arrays_keep_their_shape_as_in_astropy(tmp_path: Path) -> None:
    # A (2, 3) array per row. ECSV: subtype float64[2,3]. VOTable: the first arraysize dimension varies
    # fastest (VOTable 1.4 Sect. 2.2), so (2, 3) is "3x2"; astropy 8 writes it "2x3", which its own
    # reader (like Cradle's) then takes as (3, 2): the reference is astropy's read of each file.
    rng = np.random.default_rng(31)
    t = Table({"source_id": np.arange(40, dtype=np.int64), "cube": rng.normal(size=(40, 2, 3))})
    for fmt, name in (("ascii.ecsv", "cube.ecsv"), ("votable", "cube.vot")):
        source = tmp_path / name
        if fmt == "votable":
            from_table(t).to_xml(str(source), tabledata_format="binary2")
        else:
            t.write(source, format=fmt)
            assert "float64[2,3]" in source.read_text()
        reference = np.asarray(Table.read(source)["cube"])
        out = tmp_path / f"{name}.parquet"
        ok("convert", str(source), str(out))
        back = pq.read_table(out)
        rows, cols = reference.shape[1:]
        assert back.schema.field("cube").type == pa.list_(pa.list_(pa.float64(), cols), rows), name
        np.testing.assert_array_equal(np.array(back.column("cube").to_pylist()), reference, err_msg=name)
        for ext in ("ecsv", "vot"):
            written = tmp_path / f"{name}.out.{ext}"
            ok("convert", str(out), str(written))
            again = np.asarray(Table.read(written)["cube"])
            np.testing.assert_array_equal(again, reference, err_msg=f"{name} -> {ext}")


def test_integer_and_float32_arrays_keep_their_type_as_in_astropy(tmp_path: Path) -> None:
    # Arrays of int16, int64 (Gaia-sized ids beyond 2^53, and int64's largest value), uint8 and float32:
    # astropy keeps each element type and value; Cradle read them all as doubles until 2026-11-29, and
    # int64 elements beyond 2^53 were rounded until 2026-11-29 (later).
    rng = np.random.default_rng(37)
    n = 30
    t = Table({"source_id": np.arange(n, dtype=np.int64)})
    t["flags"] = rng.integers(-300, 300, (n, 4)).astype(np.int16)
    t["ids"] = rng.integers(2**53 + 1, 2**63 - 1, (n, 2), dtype=np.int64)
    t["ids"][0] = [2**63 - 1, 6728162648254144129]
    t["bytes"] = rng.integers(0, 255, (n, 3)).astype(np.uint8)
    t["sig"] = rng.normal(size=(n, 3)).astype(np.float32)
    want = {
        "flags": pa.int16(),
        "ids": pa.int64(),
        "bytes": pa.uint8(),
        "sig": pa.float32(),
    }
    for fmt, name in (
        ("ascii.ecsv", "typed.ecsv"),
        ("tabledata", "typed-td.vot"),
        ("binary2", "typed-b2.vot"),
    ):
        source = tmp_path / name
        if fmt == "ascii.ecsv":
            t.write(source, format=fmt)
        else:
            from_table(t).to_xml(str(source), tabledata_format=fmt)
        reference = Table.read(source)
        out = tmp_path / f"{name}.parquet"
        ok("convert", str(source), str(out))
        back = pq.read_table(out)
        for column, element in want.items():
            assert back.schema.field(column).type.value_type == element, f"{name} {column}"
            np.testing.assert_array_equal(
                np.array(back.column(column).to_pylist()), np.asarray(reference[column]), err_msg=name
            )
        for ext in ("ecsv", "vot", "fits"):
            written = tmp_path / f"{name}.out.{ext}"
            ok("convert", str(out), str(written))
            again = Table.read(written)
            for column in want:
                dtype = reference[column].dtype
                got = again[column].dtype  # FITS: big-endian
                assert (got.kind, got.itemsize) == (dtype.kind, dtype.itemsize), f"{name} -> {ext} {column}"
                np.testing.assert_array_equal(
                    np.asarray(again[column]), np.asarray(reference[column]), err_msg=f"{name} -> {ext}"
                )


def test_text_after_numbers_keeps_its_spelling_as_in_astropy(tmp_path: Path) -> None:
    # A column of numbers whose last cells are text is a text column, its cells as written.
    # The second row, every cell empty, is a row of missing values (not a VizieR dashes row).
    source = tmp_path / "late_text.csv"
    source.write_text("id,n\n1.50,1\n,\n007,2\n1e3,3\n+5,4\nA12,5\n")
    reference = Table.read(source, format="ascii.csv")
    out = tmp_path / "late_text.parquet"
    ok("convert", str(source), str(out))
    back = pq.read_table(out)
    assert back.column("id").to_pylist() == [
        None if m else v for v, m in zip(reference["id"], reference["id"].mask, strict=True)
    ]
    assert back.column("n").to_pylist() == [
        None if m else int(v) for v, m in zip(reference["n"], reference["n"].mask, strict=True)
    ]


def test_one_column_masked_cells_read_as_astropy_writes_them(tmp_path: Path) -> None:
    # astropy writes a one-column table's masked cell as "", which is not a blank line.
    table = Table({"g": MaskedColumn([12.5, 0.0, 14.25, 0.0], mask=[False, True, False, True])})
    for fmt, name in (("ascii.csv", "one.csv"), ("ascii.ecsv", "one.ecsv")):
        source = tmp_path / name
        table.write(source, format=fmt)
        assert '""' in source.read_text()
        out = tmp_path / f"{name}.parquet"
        ok("convert", str(source), str(out))
        assert pq.read_table(out).column("g").to_pylist() == [12.5, None, 14.25, None]


def test_gaia_bulk_ecsv_nulls_read_as_astropy_documents(tmp_path: Path) -> None:
    # Gaia DR3's GaiaSource_*.csv.gz files write `null` where ECSV has an empty cell; astropy reads
    # them with fill_values=("null", "0") (its "Reading Gaia Data Tables" section).
    n = 2000
    rng = np.random.default_rng(9)
    t = gaia_like(9, n)
    t.remove_column("xp")
    t["phot_bp_n_obs"] = np.ma.masked_array(rng.integers(0, 300, n), mask=rng.random(n) < 0.15)
    t["has_xp_continuous"] = np.ma.masked_array(rng.random(n) < 0.5, mask=rng.random(n) < 0.1)
    plain = tmp_path / "ecsv_with_empty.ecsv"
    t.write(plain, format="ascii.ecsv", delimiter=",")
    lines = plain.read_text().split("\n")
    body = [
        line if line.startswith("#") or not line else ",".join(f or "null" for f in line.split(","))
        for line in lines
    ]
    gaia = tmp_path / "GaiaSource_000000-003111.csv.gz"
    gaia.write_bytes(gzip.compress("\n".join(body).encode()))
    assert b"null" in gzip.decompress(gaia.read_bytes())
    reference = Table.read(gaia, format="ascii.ecsv", fill_values=("null", "0"))
    back = converted_like_astropy(gaia, reference, tmp_path / "gaia.parquet")
    for name in ("phot_bp_n_obs", "has_xp_continuous"):
        ref = reference[name]
        expected = [None if m else v.item() for v, m in zip(ref.data, ref.mask, strict=True)]
        assert back.column(name).to_pylist() == expected, name
    flags = back.column("has_xp_continuous").to_pylist()
    assert sum(v is None for v in flags) > 0


def test_large_binary2_votable_reads_as_astropy_reads_it(tmp_path: Path) -> None:
    # Megabytes of base64: the stream is decoded in pieces, rows straddling their boundaries.
    n = 120_000
    t = gaia_like(7, n)
    for serialisation in ("binary2", "binary"):
        path = tmp_path / f"big_{serialisation}.vot"
        votable = from_table(t)
        votable.get_first_table().format = serialisation
        votable.to_xml(str(path))
        reference = Table.read(path)
        back = converted_like_astropy(path, reference, tmp_path / f"{serialisation}.parquet")
        assert back.num_rows == n
        xp = np.array(back.column("xp").to_pylist(), dtype=float)
        np.testing.assert_array_equal(xp, np.asarray(reference["xp"], dtype=float))


def test_large_mrt_reads_as_astropy_reads_it(tmp_path: Path) -> None:
    # Megabytes of text: the data are streamed, lines straddling the read chunks.
    n = 60_000
    t = gaia_like(11, n)
    t.remove_column("xp")
    # astropy's MRT writer cannot fill a masked float32 column.
    t["phot_g_mean_mag"] = t["phot_g_mean_mag"].astype(np.float64)
    plain = tmp_path / "big.mrt"
    t.write(plain, format="ascii.mrt")
    packed = tmp_path / "big.mrt.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    reference = Table.read(plain, format="ascii.mrt")
    for source in (plain, packed):
        back = converted_like_astropy(source, reference, tmp_path / f"{source.name}.parquet")
        assert back.num_rows == n
        assert back.schema.field("parallax").metadata[b"unit"] == b"mas"


def test_fits_output_reads_in_astropy(tmp_path: Path) -> None:
    n = 500
    rng = np.random.default_rng(13)
    t = gaia_like(13, n)
    t["phot_bp_n_obs"] = np.ma.masked_array(rng.integers(0, 300, n), mask=rng.random(n) < 0.15)
    t["has_xp_continuous"] = rng.random(n) < 0.5
    t["parallax"].description = "Parallax"
    source = tmp_path / "gaia.vot"
    t.write(source, format="votable")
    reference = Table.read(source)
    out = tmp_path / "gaia.fits"
    ok("convert", str(source), str(out))
    back = Table.read(out)
    assert back.colnames == reference.colnames
    assert list(back["source_id"]) == list(reference["source_id"])
    assert list(back["phot_variable_flag"]) == list(reference["phot_variable_flag"])
    assert list(back["has_xp_continuous"]) == list(reference["has_xp_continuous"])
    for name in ("ra", "parallax", "phot_g_mean_mag", "phot_bp_n_obs"):
        mine = np.ma.filled(np.ma.asarray(back[name], dtype=float), np.nan)
        ref = np.ma.filled(np.ma.asarray(reference[name], dtype=float), np.nan)
        np.testing.assert_array_equal(mine, ref, err_msg=name)
    np.testing.assert_array_equal(np.asarray(back["xp"]), np.asarray(reference["xp"]))
    assert back["ra"].unit == u.deg
    assert back["parallax"].unit == u.mas
    assert "Parallax" in str(fits.getheader(out, 1).comments["TTYPE3"])


needs_validation = pytest.mark.skipif(not VALIDATION.exists(), reason=f"{VALIDATION} is absent")


def inspect(path: Path) -> dict[str, dict[str, object]]:
    return json.loads(ok("inspect", str(path), "--json"))["quantities"]


@needs_validation
def test_observed_counts_gaia_table() -> None:
    path = VALIDATION / "gyro-interp" / "Rebull_2016_X_GDR3_supplemented.csv"
    q = inspect(path)
    df = pd.read_csv(path)
    assert q["gaia.g"]["observed"] == int(df["phot_g_mean_mag"].notna().sum())
    # Parallax: value and error present, RUWE ≤ 1.4 (Lindegren et al. 2021).
    good = df["parallax"].notna() & df["parallax_error"].notna() & ~(df["ruwe"] > 1.4)
    assert q["gaia.parallax"]["observed"] == int(good.sum())
    # BP = G + (BP − G), dropped where |C*| > 3σ_C* (Riello et al. 2021 Table 2, Eq. 18).
    x = df["bp_rp"].to_numpy()
    f = np.where(
        x < 0.5,
        1.154360 + 0.033772 * x + 0.032277 * x**2,
        np.where(
            x < 4,
            1.162004 + 0.011464 * x + 0.049255 * x**2 - 0.005879 * x**3,
            1.057572 + 0.140537 * x,
        ),
    )
    bp = df["phot_g_mean_mag"] + df["bp_g"]
    rp = df["phot_g_mean_mag"] - df["g_rp"]
    x2 = (bp - rp).to_numpy()
    f = np.where(
        x2 < 0.5,
        1.154360 + 0.033772 * x2 + 0.032277 * x2**2,
        np.where(
            x2 < 4,
            1.162004 + 0.011464 * x2 + 0.049255 * x2**2 - 0.005879 * x2**3,
            1.057572 + 0.140537 * x2,
        ),
    )
    c_star = df["phot_bp_rp_excess_factor"].to_numpy() - f
    sigma = 0.0059898 + 8.817481e-12 * df["phot_g_mean_mag"].to_numpy() ** 7.618399
    excess = np.abs(c_star) > 3 * sigma
    bp_err_ok = df["phot_bp_mean_flux_over_error"].notna()
    observed_bp = bp.notna() & bp_err_ok & ~excess
    assert q["gaia.bp"]["observed"] == int(observed_bp.sum())
    assert q["gaia.bp"]["flagged"]["gaiaBpRpExcess"] == int((excess & bp.notna()).sum())


@needs_validation
def test_observed_counts_2mass_and_wise_votables() -> None:
    tm_path = VALIDATION / "canovas-rhooph" / "sample_common_x_2mass-result.vot"
    tm = Table.read(tm_path).to_pandas()
    q = inspect(tm_path)
    for index, band, column in ((0, "j", "Jmag"), (1, "h", "Hmag"), (2, "ks", "Kmag")):
        letter = tm["ph_qual"].fillna("").str.slice(index, index + 1)
        good = tm[column].notna() & tm[f"e_{column}"].notna() & ~letter.isin(list("UXEF"))
        assert q[f"tmass.{band}"]["observed"] == int(good.sum()), band
    wise_path = VALIDATION / "canovas-rhooph" / "sample_common_x_wise-result.vot"
    wi = Table.read(wise_path).to_pandas()
    q = inspect(wise_path)
    for index in range(4):
        column = f"W{index + 1}mag"
        letter = wi["ph_qual"].fillna("").str.slice(index, index + 1)
        cc = wi["cc_flag"].fillna("").str.slice(index, index + 1)
        good = (
            wi[column].notna()
            & wi[f"e_{column}"].notna()
            & ~letter.isin(list("UXZ"))
            & ~cc.isin(list("DPHO"))
        )
        assert q[f"wise.w{index + 1}"]["observed"] == int(good.sum()), column


@needs_validation
def test_flux_to_magnitude_matches_archive_magnitudes(tmp_path: Path) -> None:
    """Cánovas et al.'s λF_λ band fluxes (W/m²) → Vega magnitudes vs the archive magnitudes of the same
    stars."""
    folder = VALIDATION / "canovas-rhooph"
    bands = [
        "tmass.j",
        "tmass.h",
        "tmass.ks",
        "wise.w1",
        "wise.w2",
        "wise.w3",
        "wise.w4",
    ]
    out = tmp_path / "inputs.parquet"
    summary = json.loads(
        ok(
            "inputs",
            str(folder / "tab_ap_4.dat"),
            str(out),
            "--variables",
            ",".join(bands),
        )
    )
    assert summary["observed"] == {band: 48 for band in bands}
    inputs = pq.read_table(out).to_pandas()
    inputs["source_id"] = Table.read(
        folder / "tab_ap_4.dat", readme=str(folder / "readme.txt"), format="ascii.cds"
    )["source_ID"]
    tm = Table.read(folder / "sample_common_x_2mass-result.vot").to_pandas()
    wi = Table.read(folder / "sample_common_x_wise-result.vot").to_pandas()
    joined = inputs.merge(tm, on="source_id").merge(wi, on="source_id")
    assert len(joined) == 48
    # Median |Δm| against the archive: the zero points (Cohen et al. 2003; Jarrett et al. 2011) are
    # isophotal, the paper's fluxes were made with slightly different effective wavelengths.
    for band, mag, tolerance in (
        ("tmass.j", "Jmag", 0.02),
        ("tmass.h", "Hmag", 0.03),
        ("tmass.ks", "Kmag", 0.02),
        ("wise.w1", "W1mag", 0.03),
        ("wise.w2", "W2mag", 0.03),
        ("wise.w3", "W3mag", 0.1),
        ("wise.w4", "W4mag", 0.06),
    ):
        diff = np.nanmedian(np.abs(joined[band].to_numpy() - joined[mag].to_numpy(dtype=float)))
        assert diff < tolerance, (band, diff)


def test_bad_input_is_one_clear_line(tmp_path: Path) -> None:
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b\n1,2\n3\n")
    result = cradle("inspect", str(ragged), "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == f"cradle: {ragged}: line 3: ragged row: 1 fields where the header has 2"
    result = cradle("convert", str(ragged), str(tmp_path / "out.parquet"))
    assert result.returncode == 1
    assert not (tmp_path / "out.parquet").exists()
    assert list(tmp_path.glob("*.tmp")) == []


def test_inputs_refuses_names_that_are_not_quantities(tmp_path: Path) -> None:
    # A misspelt variable used to give a column of NaN, unobserved for every star, without a word.
    table = tmp_path / "gaia.csv"
    table.write_text("source_id,phot_g_mean_mag\n1,15\n")
    out = tmp_path / "inputs.csv"
    for variables, message in (
        ("gaia.g,nope.x", "--variables: 'nope.x' is not a canonical quantity"),
        ("", "--variables: '' is not a canonical quantity"),
        ("gaia.g,gaia.g", "--variables: 'gaia.g' is listed twice"),
    ):
        result = cradle("inputs", str(table), str(out), "--variables", variables)
        assert result.returncode == 1, variables
        assert message in result.stderr, result.stderr
        assert not out.exists()


def test_read_flags_are_checked_and_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n")
    for flag, value, message in (
        ("--format", "xlsx", "argument 'xlsx' is invalid. Allowed choices are csv, tsv, ecsv"),
        ("--delimiter", ";;", "argument ';;' is invalid. expected one character"),
        ("--delimiter", '"', "argument '\"' is invalid. expected one character"),
    ):
        result = cradle("inspect", str(table), flag, value)
        assert result.returncode == 1, (flag, value)
        assert message in result.stderr, result.stderr
    # Far more output than a pipe buffer holds, read by a reader that stops after one line (`| head -1`).
    Table({"x": np.arange(20000.0), "y": np.arange(20000.0)}).write(tmp_path / "rows.fits")
    reader = subprocess.Popen(
        [
            "node",
            str(ROOT / "bin" / "cradle.mjs"),
            "fits",
            "rows",
            str(tmp_path / "rows.fits"),
            "--rows",
            "0:19999",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()
    assert reader.wait(timeout=120) == 0
    assert reader.stderr.read() == b""


def test_map_takes_repeated_settings_before_or_after_the_file(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("G,BPmag\n15,15.5\n")
    env = {**os.environ, "CRADLE_HOME": str(tmp_path / "home")}

    def cradle_map(*args: str) -> dict[str, object]:
        result = subprocess.run(
            ["node", str(ROOT / "bin" / "cradle.mjs"), "catalog", "map", *args],
            cwd=ROOT,
            env=env,
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        quantities: dict[str, object] = json.loads(result.stdout)["quantities"]
        return quantities

    both = cradle_map("--set", "gaia.g=G", "--set", "gaia.bp=BPmag", str(table))
    assert both == {"gaia.g": {"column": "G"}, "gaia.bp": {"column": "BPmag"}}
    assert cradle_map(str(table), "--unset", "gaia.bp") == {"gaia.g": {"column": "G"}}


def test_astropy_parquet_units_and_masks_come_through(tmp_path: Path) -> None:
    # astropy writes a masked column to Parquet as data plus a '.mask' column, described (with the
    # units) in its 'table_meta_yaml' entry. A streamed conversion lost the units, and every
    # conversion wrote the masked values as real data beside a 'm.mask' column.
    t = Table()
    t["ra"] = [1.0, 2.0, 3.0] * u.deg
    t["m"] = MaskedColumn([1, -2, 3], mask=[False, True, False], dtype="i4", unit="mag")
    t["s"] = MaskedColumn(["a", "b", "c"], mask=[True, False, False])
    source = tmp_path / "astropy.parquet"
    t.write(source)
    for ext in ("ecsv", "fits", "vot"):
        out = tmp_path / f"out.{ext}"
        ok("convert", str(source), str(out))
        back = Table.read(out)
        assert back.colnames == ["ra", "m", "s"], ext
        assert back["ra"].unit == u.deg and back["m"].unit == u.mag, ext
        assert list(np.ma.getmaskarray(back["m"])) == [False, True, False], ext
        kept = [int(v) for v, m in zip(back["m"], np.ma.getmaskarray(back["m"]), strict=True) if not m]
        assert kept == [1, 3], ext
        if ext == "ecsv":  # FITS and VOTable text has no null of its own
            assert list(np.ma.getmaskarray(back["s"])) == [True, False, False], ext
    # Cradle's own Parquet: nulls for pyarrow, and astropy's mask columns and metadata for astropy.
    out = tmp_path / "out.parquet"
    ok("convert", str(source), str(out))
    back_pa = pq.read_table(out)
    assert back_pa.column_names == ["ra", "m", "m.mask", "s", "s.mask"]
    assert back_pa.column("m").to_pylist() == [1, None, 3]
    assert back_pa.column("s").to_pylist() == [None, "b", "c"]
    back = Table.read(out)
    assert back.colnames == ["ra", "m", "s"]
    assert back["ra"].unit == u.deg and back["m"].unit == u.mag
    assert list(np.ma.getmaskarray(back["m"])) == [False, True, False]
    assert list(np.ma.getmaskarray(back["s"])) == [True, False, False]
