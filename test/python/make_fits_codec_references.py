"""Write the astropy references that the vitest codec, checksum and WCS tests read.

    native-models/.venv/bin/python test/python/make_fits_codec_references.py

Outputs (committed, small):
  test/fixtures/fits/codecs.fits            one tile-compressed HDU per algorithm / dither mode
  test/fixtures/fits/codec-references.json  per HDU (and per real file in ../shared/data/fits): shape,
                                            dtype, SHA-256 of astropy's decoded pixels (little-endian,
                                            C order) and a few sample values; CHECKSUM/DATASUM of files;
                                            WCS pixel -> world pairs from astropy.wcs.
test_fits_codecs.py::test_committed_references_are_current re-runs this into a temporary folder and
checks the committed JSON still matches astropy.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "fits"

REAL_FILES = [
    ("astropy/compressed/m13_rice.fits", 1),
    ("astropy/compressed/m13_gzip.fits", 1),
    ("astropy/compressed/m13_hcomp.fits", 1),
    ("astropy/compressed/m13_plio.fits", 1),
    ("astropy/compressed/compressed_with_nan.fits", 1),
    ("astropy/comp.fits", 1),
    ("astropy/compressed_float_bzero.fits", 1),
    ("nom-tam-fits/m13real_rice.fits", 1),
    ("nom-tam-blackbox/fpack.fits.fz", 1),
]


def fixture_hdus() -> list[tuple[str, fits.CompImageHDU]]:
    rng = np.random.default_rng(42)
    yy, xx = np.indices((14, 19))
    smooth = 500 + 80 * np.exp(-((xx - 7) ** 2 + (yy - 6) ** 2) / 12.0)
    i16 = np.round(smooth + rng.normal(0, 4, smooth.shape)).astype(np.int16)
    u8 = (i16 % 256).astype(np.uint8)
    i32 = i16.astype(np.int32) * 100003
    f32 = (smooth + rng.normal(0, 2, smooth.shape)).astype(np.float32)
    f32[2, 3:6] = np.nan
    f32[9, :4] = 0.0
    mask = ((xx + yy) % 5 == 0).astype(np.int32) * (1 + xx)
    cases: list[tuple[str, np.ndarray, dict[str, object]]] = [
        ("rice int16", i16, {"compression_type": "RICE_1", "tile_shape": (4, 19)}),
        ("rice uint8", u8, {"compression_type": "RICE_1", "tile_shape": (5, 8)}),
        ("rice int32", i32, {"compression_type": "RICE_1"}),
        ("gzip1 int16", i16, {"compression_type": "GZIP_1", "tile_shape": (7, 19)}),
        ("gzip2 int32", i32, {"compression_type": "GZIP_2", "tile_shape": (6, 10)}),
        ("plio mask", mask, {"compression_type": "PLIO_1"}),
        (
            "hcompress smooth",
            i16,
            {
                "compression_type": "HCOMPRESS_1",
                "tile_shape": (14, 19),
                "hcomp_scale": 3,
                "hcomp_smooth": 1,
            },
        ),
        (
            "dither1 float32",
            f32,
            {
                "compression_type": "RICE_1",
                "tile_shape": (5, 19),
                "quantize_method": 1,
                "dither_seed": 8765,
            },
        ),
        (
            "dither2 float32",
            f32,
            {
                "compression_type": "GZIP_2",
                "tile_shape": (5, 19),
                "quantize_method": 2,
                "dither_seed": 3,
            },
        ),
        (
            "nodither float64",
            f32.astype(np.float64),
            {
                "compression_type": "RICE_1",
                "tile_shape": (7, 19),
                "quantize_method": -1,
            },
        ),
    ]
    return [(label, fits.CompImageHDU(data, name=f"C{i}", **kw)) for i, (label, data, kw) in enumerate(cases)]  # type: ignore[arg-type]


def digest(data: np.ndarray) -> dict[str, object]:
    little = np.ascontiguousarray(data.astype(data.dtype.newbyteorder("<")))
    flat = little.ravel()
    picks = np.linspace(0, flat.size - 1, 5).astype(int)
    return {
        "shape": list(data.shape),
        "dtype": little.dtype.str,
        "sha256": hashlib.sha256(little.tobytes()).hexdigest(),
        "finite_sum": float(np.sum(flat[np.isfinite(flat)], dtype=np.float64))
        if flat.dtype.kind == "f"
        else None,
        "samples": [
            [int(i), None if np.isnan(v) else float(v)]
            for i, v in zip(picks, flat[picks].astype(float), strict=True)
        ],
    }


def wcs_references() -> list[dict[str, object]]:
    headers = [
        {
            "NAXIS": 2,
            "CTYPE1": "RA---TAN",
            "CTYPE2": "DEC--TAN",
            "CRVAL1": 83.63,
            "CRVAL2": 22.01,
            "CRPIX1": 100.5,
            "CRPIX2": 90.0,
            "CD1_1": -1.2e-4,
            "CD1_2": 3e-5,
            "CD2_1": 2.5e-5,
            "CD2_2": 1.1e-4,
        },
        {
            "NAXIS": 2,
            "CTYPE1": "RA---SIN",
            "CTYPE2": "DEC--SIN",
            "CRVAL1": 201.3,
            "CRVAL2": -43.0,
            "CRPIX1": 64,
            "CRPIX2": 64,
            "CDELT1": -0.002,
            "CDELT2": 0.002,
            "CROTA2": 30.0,
        },
        {
            "NAXIS": 2,
            "CTYPE1": "GLON-TAN",
            "CTYPE2": "GLAT-TAN",
            "CRVAL1": 0.0,
            "CRVAL2": 89.0,
            "CRPIX1": 10,
            "CRPIX2": 10,
            "CDELT1": -1.0,
            "CDELT2": 1.0,
            "LONPOLE": 150.0,
        },
        {
            "NAXIS": 1,
            "CTYPE1": "WAVE-LOG",
            "CUNIT1": "Angstrom",
            "CRVAL1": 4000.0,
            "CRPIX1": 1,
            "CDELT1": 0.9,
        },
    ]
    out = []
    pixels = np.array([[1.0, 1.0], [10.0, 20.0], [100.5, 90.0], [-40.0, 250.25]])
    for header in headers:
        h = fits.Header()
        for key, value in header.items():
            h[key] = value
        wcs = WCS(h)
        p = pixels[:, : wcs.naxis]
        world = wcs.wcs_pix2world(p, 1)
        if h.get("CUNIT1") == "Angstrom":
            world = world * 1e10  # astropy returns metres
        out.append({"header": header, "pixels": p.tolist(), "world": world.tolist()})
    return out


def checksum_references() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for name in (
        "astropy/checksum.fits",
        "astropy/checksum_false.fits",
        "nom-tam-fits/checksum.fits",
    ):
        with fits.open(DATA / name) as hdus:
            out.append(
                {
                    "file": name,
                    "hdus": [
                        {
                            "datasum": int(h._calculate_datasum()),
                            "CHECKSUM": h.header.get("CHECKSUM"),
                            "DATASUM": h.header.get("DATASUM"),
                        }
                        for h in hdus
                    ],
                }
            )
    return out


def lamost_dr5_layout(path: Path) -> None:
    """A small file in the LAMOST DR5+ layout (empty primary, COADD table with one row of vectors)."""
    rng = np.random.default_rng(5)
    n = 40
    wavelength = 10 ** (3.5682 + 1e-4 * np.arange(n))
    flux = rng.normal(100, 5, n).astype(np.float32)
    ivar = rng.uniform(0.01, 0.05, n).astype(np.float32)
    ivar[[3, 17]] = 0
    andmask = np.zeros(n, np.int32)
    andmask[25] = 4
    ormask = andmask | (np.arange(n) % 11 == 0).astype(np.int32)
    columns = [
        fits.Column(name="WAVELENGTH", format=f"{n}D", array=wavelength[None, :]),
        fits.Column(name="FLUX", format=f"{n}E", array=flux[None, :]),
        fits.Column(name="IVAR", format=f"{n}E", array=ivar[None, :]),
        fits.Column(name="ANDMASK", format=f"{n}J", array=andmask[None, :]),
        fits.Column(name="ORMASK", format=f"{n}J", array=ormask[None, :]),
    ]
    primary = fits.PrimaryHDU()
    primary.header["VACUUM"] = True
    table = fits.BinTableHDU.from_columns(columns, name="COADD")
    fits.HDUList([primary, table]).writeto(path, overwrite=True)


def sdss_coadd_layout(path: Path) -> None:
    """A small file in the SDSS/BOSS DR8+ layout (HDU 1 COADD, one row per pixel)."""
    rng = np.random.default_rng(6)
    n = 60
    loglam = 3.5523 + 1e-4 * np.arange(n)
    flux = rng.normal(20, 2, n).astype(np.float32)
    ivar = rng.uniform(0.5, 2, n).astype(np.float32)
    ivar[[0, 31]] = 0
    and_mask = np.zeros(n, np.int32)
    and_mask[40] = 1 << 23
    columns = [
        fits.Column(name="flux", format="E", array=flux),
        fits.Column(name="loglam", format="E", array=loglam.astype(np.float32)),
        fits.Column(name="ivar", format="E", array=ivar),
        fits.Column(name="and_mask", format="J", array=and_mask),
        fits.Column(name="or_mask", format="J", array=and_mask | 2),
    ]
    table = fits.BinTableHDU.from_columns(columns, name="COADD")
    fits.HDUList([fits.PrimaryHDU(), table]).writeto(path, overwrite=True)


def spectrum_reference(
    flux: np.ndarray,
    ivar: np.ndarray | None,
    wavelength: np.ndarray,
    andmask: np.ndarray | None,
) -> dict[str, object]:
    flux = flux.astype(np.float64)
    if ivar is None:
        sigma = np.full(flux.shape, np.nan)
        bad = ~np.isfinite(flux)
    else:
        ivar = ivar.astype(np.float64)
        good = (ivar > 0) & np.isfinite(ivar)
        with np.errstate(divide="ignore", invalid="ignore"):
            sigma = np.where(good, 1 / np.sqrt(ivar), np.nan)
        bad = ~np.isfinite(flux) | ~good
    if andmask is not None:
        bad |= andmask != 0
    return {
        "wavelength": digest(wavelength.astype(np.float64)),
        "flux": digest(flux),
        "uncertainty": digest(sigma),
        "bad_pixels": int(bad.sum()),
    }


def spectra_references(out_dir: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    lamost_dr5_layout(out_dir / "lamost-dr5-layout.fits")
    with fits.open(out_dir / "lamost-dr5-layout.fits") as hdus:
        row = hdus[1].data[0]
        out.append(
            {
                "file": "fixture:lamost-dr5-layout.fits",
                "loader": "lamost",
                **spectrum_reference(row["FLUX"], row["IVAR"], row["WAVELENGTH"], row["ANDMASK"]),
            }
        )
    sdss_coadd_layout(out_dir / "sdss-coadd-layout.fits")
    with fits.open(out_dir / "sdss-coadd-layout.fits") as hdus:
        data = hdus[1].data
        wavelength = 10 ** data["loglam"].astype(np.float64)
        out.append(
            {
                "file": "fixture:sdss-coadd-layout.fits",
                "loader": "sdss",
                **spectrum_reference(data["flux"], data["ivar"], wavelength, data["and_mask"]),
            }
        )
    if not DATA.exists():
        return out
    for name in (
        "spec-55916-B5591606_sp01-001.fits",
        "spec-55939-B5593905_sp01-018.fits",
    ):
        with fits.open(DATA / "real-lamost" / name) as hdus:
            header, data = hdus[0].header, hdus[0].data
            from_header = 10 ** (header["COEFF0"] + header["COEFF1"] * np.arange(header["NAXIS1"]))
            row3 = data[2].astype(np.float64)
            wavelength = row3 if np.allclose(row3, from_header, rtol=1e-6, atol=0) else from_header
            out.append(
                {
                    "file": f"real-lamost/{name}",
                    "loader": "lamost",
                    **spectrum_reference(data[0], data[1], wavelength, data[3].astype(np.int32)),
                }
            )
    with fits.open(DATA / "real-lamost" / "oe270005.fits") as hdus:
        header, data = hdus[0].header, hdus[0].data
        wavelength = header["CRVAL1"] + header["CD1_1"] * (np.arange(header["NAXIS1"]) + 1 - header["CRPIX1"])
        out.append(
            {
                "file": "real-lamost/oe270005.fits",
                "loader": "wcs",
                **spectrum_reference(data, None, wavelength, None),
            }
        )
    return out


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    hdus = fixture_hdus()
    fits.HDUList([fits.PrimaryHDU(), *[h for _, h in hdus]]).writeto(out_dir / "codecs.fits", overwrite=True)
    refs: dict[str, object] = {"generated_by": "test/python/make_fits_codec_references.py"}
    with fits.open(out_dir / "codecs.fits") as written:
        refs["fixture"] = [
            {"label": label, "hdu": i + 1, **digest(written[i + 1].data)} for i, (label, _) in enumerate(hdus)
        ]
    if DATA.exists():
        real = []
        for name, hdu in REAL_FILES:
            with fits.open(DATA / name, do_not_scale_image_data=True) as h:
                real.append({"file": name, "hdu": hdu, **digest(h[hdu].data)})
        refs["real"] = real
        refs["checksum"] = checksum_references()
    refs["wcs"] = wcs_references()
    refs["spectra"] = spectra_references(out_dir)
    (out_dir / "codec-references.json").write_text(json.dumps(refs, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test" / "fixtures" / "fits")
