"""Parquet the simulator and `cradle fits convert` stream out, read by astropy's own Parquet reader: their
writers decide astropy's description from the schema (parquet-astropy.ts, schemaAstropyLayout), so the
mock catalogue carries its units and descriptions, truth's cluster_id (int32, null for field stars) reads
as a masked int32 column while pyarrow still reads its nulls as nulls, and a FITS table's TNULL integer
and text columns come through as astropy wrote them."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from astropy.io import fits
from astropy.table import MaskedColumn, Table

ROOT = Path(__file__).resolve().parents[2]
SPLINE = (
    ROOT.parent
    / "shared"
    / "data"
    / "physics"
    / "gaia-dr3-photometric-uncertainties"
    / "LogErrVsMagSpline.csv"
)


def cradle(*args: str) -> None:
    result = subprocess.run(
        ["node", str(ROOT / "bin" / "cradle.mjs"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def read_astropy(path: Path) -> Table:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # numpy's NaN-to-int cast of a masked integer cell (see parquet-astropy.ts).
        warnings.filterwarnings("ignore", "invalid value encountered in cast", RuntimeWarning)
        return Table.read(path)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SPLINE.exists():
        pytest.skip("../shared/data/physics (Gaia uncertainty spline) is absent")
    out = tmp_path_factory.mktemp("sim") / "run"
    cradle("simulate", "--preset", "demo", "--stars", "300", "--workers", "0", "--quiet", "--out", str(out))
    return out


def test_astropy_reads_the_catalogue_units(run: Path) -> None:
    catalog = read_astropy(run / "catalog.parquet")
    assert len(catalog) == 300
    assert str(catalog["phot_g_mean_mag"].unit) == "mag"
    assert str(catalog["parallax"].unit) == "mas"
    assert str(catalog["pmra"].unit) == "mas / yr"
    assert str(catalog["ra"].unit) == "deg"
    assert catalog["parallax"].description == "parallax"
    # No column of the catalogue can be null but its floats (NaN to astropy): no mask columns.
    assert not any(name.endswith(".mask") for name in catalog.colnames)
    assert catalog["source_id"].dtype == np.int64
    expected = pq.read_table(run / "catalog.parquet").column("source_id").to_numpy()
    np.testing.assert_array_equal(catalog["source_id"], expected)


def test_truth_cluster_id_is_masked_where_null(run: Path) -> None:
    truth = read_astropy(run / "truth.parquet")
    arrow = pq.read_table(run / "truth.parquet")
    nulls = arrow.column("cluster_id").is_null().to_numpy(zero_copy_only=False)
    assert 0 < nulls.sum() < len(nulls), "the demo holds field stars and cluster members"
    cluster_id = truth["cluster_id"]
    assert isinstance(cluster_id, MaskedColumn)
    assert cluster_id.dtype == np.int32
    np.testing.assert_array_equal(cluster_id.mask, nulls)
    np.testing.assert_array_equal(
        cluster_id[~nulls], arrow.column("cluster_id").drop_null().to_numpy().astype(np.int32)
    )
    # Field stars are population 0, and only they have no cluster.
    np.testing.assert_array_equal(nulls, truth["population"] == 0)
    assert truth["population"].dtype == np.int8 and not hasattr(truth["population"], "mask")
    assert truth["has_disk"].dtype == bool and not hasattr(truth["has_disk"], "mask")
    assert str(truth["distance_pc"].unit) == "pc"
    # pandas (through pyarrow) still sees nulls in the data column.
    assert arrow.to_pandas()["cluster_id"].isna().to_numpy().tolist() == nulls.tolist()


def test_astropy_reads_fits_convert_parquet(tmp_path: Path) -> None:
    source = tmp_path / "source.fits"
    columns = [
        fits.Column(name="id", format="J", null=-1, array=np.array([1, -1, 3], dtype=np.int32)),
        fits.Column(name="count", format="I", array=np.array([4, 5, 6], dtype=np.int16)),
        fits.Column(
            name="flux", format="E", unit="mJy", array=np.array([1.5, np.nan, 2.5], dtype=np.float32)
        ),
        fits.Column(name="name", format="6A", array=np.array(["alpha", "b", "gamma"])),
    ]
    fits.BinTableHDU.from_columns(columns).writeto(source)
    out = tmp_path / "out.parquet"
    cradle("fits", "convert", str(source), str(out))
    got = read_astropy(out)
    assert got.colnames == ["id", "count", "flux", "name"]
    assert isinstance(got["id"], MaskedColumn) and got["id"].dtype == np.int32
    np.testing.assert_array_equal(got["id"].mask, [False, True, False])
    np.testing.assert_array_equal(got["id"][[0, 2]], [1, 3])
    assert got["count"].dtype == np.int16 and not hasattr(got["count"], "mask")
    assert str(got["flux"].unit) == "mJy"
    assert got["name"].dtype == np.dtype("<U6")
    assert got["name"].tolist() == ["alpha", "b", "gamma"]
    assert pq.read_table(out).column("id").null_count == 1
