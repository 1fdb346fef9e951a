"""Gaia XP continuous → sampled spectra: Cradle (`cradle catalog xp`) against gaiaxpy.calibrate on the real
DR3 files in ../shared/data/fits/real-gaia-xp/ (one with a missing BP band), read from the FITS files
through the FITS engine and from an archive-style CSV (arrays as bracketed text). Flux and flux error
agree to 1e-6 relative; samples gaiaxpy leaves empty (a missing band) are empty in Cradle too.
"""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from astropy.table import Table

ROOT = Path(__file__).resolve().parents[2]
XP = ROOT.parent / "shared" / "data" / "fits" / "real-gaia-xp"
FILES = ["XP_CONTINUOUS_RAW.fits", "XP_CONTINUOUS_RAW_with_missing_BP.fits"]

pytestmark = pytest.mark.skipif(not XP.exists(), reason=f"{XP} is absent")


def cradle_catalog(*args: str) -> None:
    """`cradle catalog ARGS`, which must succeed."""
    result = subprocess.run(
        ["node", str(ROOT / "bin" / "cradle.mjs"), "catalog", *args],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr


def reference(path: Path) -> tuple[list[int], np.ndarray, np.ndarray]:
    import gaiaxpy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spectra, sampling = gaiaxpy.calibrate(str(path), save_file=False)
    assert len(sampling) == 343 and sampling[0] == 336 and sampling[-1] == 1020
    flux = np.array([np.asarray(f, dtype=float) for f in spectra["flux"]])
    error = np.array([np.asarray(e, dtype=float) for e in spectra["flux_error"]])
    return [int(s) for s in spectra["source_id"]], flux, error


def compare(out: Path, ids: list[int], flux: np.ndarray, error: np.ndarray) -> None:
    got = pq.read_table(out).to_pandas()
    assert [int(s) for s in got["source_id"]] == ids
    got_flux = np.array([np.asarray(f, dtype=float) for f in got["flux"]])
    got_error = np.array([np.asarray(e, dtype=float) for e in got["flux_error"]])
    np.testing.assert_array_equal(np.isnan(got_flux), np.isnan(flux))
    np.testing.assert_allclose(got_flux, flux, rtol=1e-6, atol=0, equal_nan=True)
    np.testing.assert_allclose(got_error, error, rtol=1e-6, atol=0, equal_nan=True)


@pytest.mark.parametrize("name", FILES)
def test_xp_from_fits_matches_gaiaxpy(tmp_path: Path, name: str) -> None:
    ids, flux, error = reference(XP / name)
    out = tmp_path / "spectra.parquet"
    cradle_catalog("xp", str(XP / name), str(out))
    compare(out, ids, flux, error)


@pytest.mark.parametrize("name", FILES)
def test_xp_from_archive_csv_matches_gaiaxpy(tmp_path: Path, name: str) -> None:
    ids, flux, error = reference(XP / name)
    table = Table.read(XP / name)
    csv = tmp_path / "xp.csv"
    with csv.open("w") as handle:
        handle.write(",".join(table.colnames) + "\n")
        for row in table:
            cells = []
            for column in table.colnames:
                value = row[column]
                if isinstance(value, np.ndarray) and value.ndim == 1:
                    cells.append('"[' + ", ".join(repr(float(v)) for v in value) + ']"')
                elif np.ma.is_masked(value) or (isinstance(value, float) and np.isnan(value)):
                    cells.append("")
                else:
                    cells.append(repr(value.item() if hasattr(value, "item") else value))
            handle.write(",".join(cells) + "\n")
    out = tmp_path / "spectra.parquet"
    cradle_catalog("xp", str(csv), str(out))
    compare(out, ids, flux, error)


@pytest.mark.parametrize("fmt", ["csv", "ecsv", "fits", "xml"])
def test_gaiaxpy_sampled_outputs_are_model_inputs(tmp_path: Path, fmt: str) -> None:
    """gaiaxpy's saved sampled spectra, in each format it writes (CSV with tuples as text, ECSV, FITS,
    VOTable), are Gaia XP model inputs as they are: `cradle catalog inputs --variables gaia.xp` gives
    gaiaxpy's own flux and error, the BP-less star's blue samples missing."""
    import gaiaxpy

    name = "XP_CONTINUOUS_RAW_with_missing_BP.fits"
    ids, flux, error = reference(XP / name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gaiaxpy.calibrate(
            str(XP / name),
            save_file=True,
            output_path=str(tmp_path),
            output_file="sampled",
            output_format=fmt,
        )
    (saved,) = [p for p in tmp_path.iterdir() if p.name.startswith("sampled.")]
    out = tmp_path / "inputs.parquet"
    cradle_catalog("inputs", str(saved), str(out), "--variables", "gaia.xp")
    got = pq.read_table(out).to_pandas()
    got_flux = np.array([np.asarray(f, dtype=float) for f in got["gaia.xp"]])
    got_error = np.array([np.asarray(e, dtype=float) for e in got["gaia.xp.err"]])
    assert list(got["gaia.xp.observed"]) == [1] * len(ids)
    np.testing.assert_array_equal(np.isnan(got_flux), np.isnan(flux))
    # rtol 1e-6: gaiaxpy writes the FITS errors as float32.
    np.testing.assert_allclose(got_flux, flux, rtol=1e-6, atol=0, equal_nan=True)
    np.testing.assert_allclose(got_error, error, rtol=1e-6, atol=0, equal_nan=True)
