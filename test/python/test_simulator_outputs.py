"""The simulator's catalogue files against independent readers: the streamed FITS catalogue and truth
(astropy, with its checksum verification) hold the same values as the Parquet ones (pyarrow) of the same
run; source_id encodes the level-12 nested HEALPix pixel of (ra, dec) as Gaia DR3 does (astropy-healpix);
and the small demo holds field stars as well as cluster members."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import astropy.units as u
import numpy as np
import pyarrow.parquet as pq
import pytest
from astropy.io import fits
from astropy_healpix import HEALPix

REPO = Path(__file__).resolve().parents[2]
SPLINE = (
    REPO.parent
    / "shared"
    / "data"
    / "physics"
    / "gaia-dr3-photometric-uncertainties"
    / "LogErrVsMagSpline.csv"
)


def simulate(out: Path, *flags: str) -> None:
    subprocess.run(
        [
            "node",
            str(REPO / "bin" / "cradle.mjs"),
            "simulate",
            "--preset",
            "demo",
            "--stars",
            "300",
            "--workers",
            "0",
            "--quiet",
            "--out",
            str(out),
            *flags,
        ],
        check=True,
        cwd=REPO,
        capture_output=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not SPLINE.exists():
        pytest.skip("../shared/data/physics (Gaia uncertainty spline) is absent")
    root = tmp_path_factory.mktemp("sim")
    simulate(root / "parquet")
    simulate(root / "fits", "--format", "fits")
    return root / "parquet", root / "fits"


@pytest.mark.parametrize("name", ["catalog", "truth"])
def test_fits_matches_parquet(runs: tuple[Path, Path], name: str) -> None:
    parquet_dir, fits_dir = runs
    expected = pq.read_table(parquet_dir / f"{name}.parquet").to_pandas()
    with warnings.catch_warnings():
        warnings.simplefilter("error", category=fits.verify.VerifyWarning)
        warnings.filterwarnings("error", message=".*[Cc]hecksum.*")
        with fits.open(fits_dir / f"{name}.fits", checksum=True) as hdul:
            assert hdul[1].header["EXTNAME"] == name.upper()
            data = hdul[1].data
            columns = hdul[1].columns
            assert len(data) == len(expected) == 300
            for column in expected.columns:
                if column.endswith(".mask"):
                    # astropy's mask of a column with nulls (parquet-astropy.ts): no FITS column of its own
                    assert np.array_equal(expected[column], expected[column.removesuffix(".mask")].isna())
                    continue
                got = np.asarray(data[column])
                want = expected[column].to_numpy()
                tnull = columns[column].null
                if tnull is not None:
                    # integer nulls: TNULL in FITS, null in Parquet
                    assert np.array_equal(got == tnull, expected[column].isna().to_numpy())
                    keep = got != tnull
                    assert np.array_equal(got[keep], want[keep].astype(np.int64)), column
                elif got.dtype.kind == "f":
                    assert np.allclose(got, want.astype(float), rtol=0, atol=0, equal_nan=True), column
                else:
                    assert np.array_equal(got.astype(want.dtype), want), column


def test_source_id_encodes_the_level_12_healpix_pixel(
    runs: tuple[Path, Path],
) -> None:
    catalog = pq.read_table(runs[0] / "catalog.parquet").to_pandas()
    ids = catalog["source_id"].to_numpy(np.int64)
    assert len(np.unique(ids)) == len(ids)
    healpix = HEALPix(nside=4096, order="nested")
    pixels = healpix.lonlat_to_healpix(catalog["ra"].to_numpy() * u.deg, catalog["dec"].to_numpy() * u.deg)
    # Gaia DR3 documentation, gaia_source.source_id: HEALPix level 12 = source_id // 2^35.
    assert np.array_equal(ids // 2**35, pixels)


def test_small_demo_holds_field_stars_and_clusters(runs: tuple[Path, Path]) -> None:
    truth = pq.read_table(runs[0] / "truth.parquet").to_pandas()
    counts = truth["population"].value_counts()
    assert counts.get(0, 0) >= 20, f"field stars: {counts.to_dict()}"
    assert counts.get(1, 0) >= 20, f"cluster members: {counts.to_dict()}"
