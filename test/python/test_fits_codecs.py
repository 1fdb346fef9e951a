"""FITS codec parity: Cradle's tile decoders, checksums and WCS against astropy on the same files.

Compressed images: the real files in ../shared/data/fits (astropy, nom-tam-fits) and images that astropy
compresses here with every algorithm, tile shape, integer type and quantization/dither mode. Decoded
pixels must equal astropy's exactly (integers) and bit for bit (floats, NaN positions equal).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "fits"
PROBE = ROOT / "test" / "python" / "fits_codecs_probe.ts"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def run_probe(*args: str) -> str:
    result = subprocess.run(
        ["node", "--import", "tsx", str(PROBE), *args],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def decode_all(tmp_path: Path, jobs: list[tuple[Path, int]]) -> list[dict[str, object]]:
    listing = [[str(path), hdu, str(tmp_path / f"out{i}.bin")] for i, (path, hdu) in enumerate(jobs)]
    (tmp_path / "jobs.json").write_text(json.dumps(listing))
    lines = run_probe("decode-many", str(tmp_path / "jobs.json")).splitlines()
    results: list[dict[str, object]] = []
    for (_, _, out), line in zip(listing, lines, strict=True):
        answer = json.loads(line)
        answer["out"] = out
        results.append(answer)
    return results


DTYPES = {
    "Uint8Array": "<u1",
    "Int16Array": "<i2",
    "Int32Array": "<i4",
    "BigInt64Array": "<i8",
    "Float32Array": "<f4",
    "Float64Array": "<f8",
}


def assert_same_pixels(reference: np.ndarray, answer: dict[str, object], label: str) -> None:
    assert "error" not in answer, f"{label}: {answer.get('error')}"
    got = np.fromfile(str(answer["out"]), dtype=DTYPES[str(answer["dtype"])])
    assert list(answer["shape"]) == list(reference.shape), label  # type: ignore[call-overload]
    got = got.reshape(reference.shape)
    ref = np.asarray(reference)
    assert got.dtype.kind == ref.dtype.kind and got.itemsize == ref.itemsize, (
        f"{label}: dtype {got.dtype} vs astropy {ref.dtype}"
    )
    ref = ref.astype(ref.dtype.newbyteorder("="))
    if ref.dtype.kind == "f":
        nan = np.isnan(ref)
        assert np.array_equal(nan, np.isnan(got)), f"{label}: NaN positions differ"
        bits = f"u{ref.itemsize}"
        same = ref[~nan].view(bits) == got[~nan].view(bits)
        assert same.all(), f"{label}: {np.count_nonzero(~same)} pixels differ in their bits"
    else:
        assert np.array_equal(ref, got), f"{label}: {np.count_nonzero(ref != got)} pixels differ"


REAL_FILES = [
    ("astropy/compressed/m13_rice.fits", 1),
    ("astropy/compressed/m13_gzip.fits", 1),
    ("astropy/compressed/m13_hcomp.fits", 1),
    ("astropy/compressed/m13_plio.fits", 1),
    ("astropy/compressed/compressed_with_nan.fits", 1),
    ("astropy/comp.fits", 1),
    ("astropy/compressed_image.fits", 1),
    ("astropy/compressed_float_bzero.fits", 1),
    ("nom-tam-fits/m13real_rice.fits", 1),
    ("nom-tam-blackbox/fpack.fits.fz", 1),
]


@pytest.mark.skipif(not DATA.exists(), reason=f"shared test data not found at {DATA}")
def test_real_compressed_files_match_astropy(tmp_path: Path) -> None:
    jobs = [(DATA / name, hdu) for name, hdu in REAL_FILES]
    answers = decode_all(tmp_path, jobs)
    for (path, hdu), answer in zip(jobs, answers, strict=True):
        with fits.open(path, do_not_scale_image_data=True) as hdus:
            assert_same_pixels(hdus[hdu].data, answer, path.name)


def _noisy(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    yy, xx = np.indices(shape[-2:])
    base = 1000.0 + 300.0 * np.exp(-((xx - shape[-1] / 3) ** 2 + (yy - shape[-2] / 2) ** 2) / 40.0)
    return base + rng.normal(0.0, 5.0, size=shape)


def generated_cases(
    rng: np.random.Generator,
) -> list[tuple[str, np.ndarray, dict[str, object]]]:
    """(label, image, CompImageHDU keyword arguments) for every algorithm and mode."""
    cases: list[tuple[str, np.ndarray, dict[str, object]]] = []
    i16 = np.round(_noisy((37, 53), rng)).astype(np.int16)
    i16[0, 0] = -32768
    i16[5, 7] = 32767
    i32 = (np.round(_noisy((29, 41), rng)) * 70000).astype(np.int32)
    i32[3, 3] = np.iinfo(np.int32).min
    u8 = np.clip(np.round(_noisy((21, 33), rng) / 6), 0, 255).astype(np.uint8)
    mask = (rng.random((33, 47)) < 0.2).astype(np.int32) * rng.integers(1, 300, (33, 47)).astype(np.int32)
    typed_cases: list[tuple[str, np.ndarray, list[tuple[int, int] | None]]] = [
        ("int16", i16, [None, (1, 53), (8, 16), (37, 53)]),
        ("int32", i32, [None, (7, 10)]),
        ("uint8", u8, [None, (5, 9)]),
    ]
    for name, image, tiles in typed_cases:
        for algorithm in ("RICE_1", "GZIP_1", "GZIP_2"):
            for tile in tiles:
                kw: dict[str, object] = {"compression_type": algorithm}
                if tile is not None:
                    kw["tile_shape"] = tile
                cases.append((f"{name} {algorithm} tile={tile}", image, kw))
    i64 = (rng.integers(-(2**62), 2**62, (9, 11))).astype(np.int64)
    cases.append(("int64 GZIP_1", i64, {"compression_type": "GZIP_1", "tile_shape": (4, 5)}))
    cases.append(("int64 GZIP_2", i64, {"compression_type": "GZIP_2", "tile_shape": (4, 5)}))
    cases.append(("plio mask", mask, {"compression_type": "PLIO_1"}))
    cases.append(("plio mask tiles", mask, {"compression_type": "PLIO_1", "tile_shape": (4, 47)}))
    plio_big = mask.copy()
    plio_big[10, 10:30] = 9000  # large jumps use the SH (set high value) instruction
    cases.append(("plio large values", plio_big, {"compression_type": "PLIO_1"}))
    for smooth in (0, 1):
        for scale in (0, 2.5):
            for tile in ((37, 53), (16, 24), (20, 9)):
                cases.append(
                    (
                        f"int16 HCOMPRESS scale={scale} smooth={smooth} tile={tile}",
                        i16,
                        {
                            "compression_type": "HCOMPRESS_1",
                            "tile_shape": tile,
                            "hcomp_scale": scale,
                            "hcomp_smooth": smooth,
                        },
                    )
                )
    cases.append(
        (
            "int32 HCOMPRESS",
            i32,
            {"compression_type": "HCOMPRESS_1", "tile_shape": (16, 16)},
        )
    )

    f32 = _noisy((31, 45), rng).astype(np.float32)
    f32[4, 4:9] = np.nan
    f32[10, 10:20] = 0.0
    f64 = _noisy((26, 30), rng)
    f64[1, 1] = np.nan
    f64[20:, :] = 0.0
    flat = f32.copy()
    flat[:8, :] = 5.0  # a constant tile cannot be quantized: it is stored losslessly instead
    for name, image in (
        ("float32", f32),
        ("float64", f64),
        ("float32 flat tile", flat),
    ):
        for algorithm in ("RICE_1", "GZIP_1", "GZIP_2", "HCOMPRESS_1"):
            for method, seed in ((-1, 0), (1, 1), (1, 4567), (2, 9999)):
                # HCOMPRESS needs edge tiles of at least 4 pixels along both axes.
                tile = (
                    ((8, 15) if image.shape[0] == 31 else (7, 15)) if algorithm == "HCOMPRESS_1" else (3, 45)
                )
                cases.append(
                    (
                        f"{name} {algorithm} quantize_method={method} seed={seed}",
                        image,
                        {
                            "compression_type": algorithm,
                            "tile_shape": tile,
                            "quantize_level": 8.0,
                            "quantize_method": method,
                            "dither_seed": seed,
                        },
                    )
                )
    cases.append(
        (
            "float32 lossless GZIP_1",
            f32,
            {"compression_type": "GZIP_1", "quantize_level": 0.0},
        )
    )
    cases.append(
        (
            "float64 lossless GZIP_2",
            f64,
            {"compression_type": "GZIP_2", "quantize_level": 0.0},
        )
    )
    cube = np.round(_noisy((3, 12, 14), rng)).astype(np.int16)
    cases.append(
        (
            "int16 cube RICE",
            cube,
            {"compression_type": "RICE_1", "tile_shape": (2, 5, 6)},
        )
    )
    cases.append(
        (
            "int16 cube GZIP_2",
            cube,
            {"compression_type": "GZIP_2", "tile_shape": (1, 12, 14)},
        )
    )
    cases.append(
        (
            "float32 cube dither 2",
            cube.astype(np.float32) / 7,
            {
                "compression_type": "RICE_1",
                "tile_shape": (2, 12, 5),
                "quantize_method": 2,
                "dither_seed": 17,
            },
        )
    )
    return cases


def test_astropy_compressed_images_decode_identically(tmp_path: Path) -> None:
    rng = np.random.default_rng(20261126)
    cases = generated_cases(rng)
    jobs: list[tuple[Path, int]] = []
    for i, (_, image, kw) in enumerate(cases):
        path = tmp_path / f"case{i}.fits"
        fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(image, **kw)]).writeto(path)  # type: ignore[arg-type]
        jobs.append((path, 1))
    answers = decode_all(tmp_path, jobs)
    for (label, _, _), (path, _), answer in zip(cases, jobs, answers, strict=True):
        with fits.open(path) as hdus:
            assert_same_pixels(hdus[1].data, answer, label)
    print(f"{len(cases)} astropy-compressed images decoded bit-identically")


@pytest.mark.skipif(not DATA.exists(), reason=f"shared test data not found at {DATA}")
def test_checksums_match_astropy() -> None:
    for name, good in (
        ("astropy/checksum.fits", True),
        ("astropy/checksum_false.fits", False),
        ("nom-tam-fits/checksum.fits", True),
    ):
        answers = json.loads(run_probe("checksum", str(DATA / name)))
        with fits.open(DATA / name) as hdus:
            for hdu, answer in zip(hdus, answers, strict=True):
                assert answer["datasum"] == int(hdu._calculate_datasum()), name
                assert answer["checksumOk"] is good, name
                assert answer["datasumOk"] is good, name
                if good:
                    assert answer["checksum"] == hdu.header["CHECKSUM"], name


def test_checksums_of_astropy_written_files(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    path = tmp_path / "sums.fits"
    table = fits.BinTableHDU.from_columns([fits.Column(name="a", format="D", array=rng.normal(size=1001))])
    fits.HDUList([fits.PrimaryHDU(rng.integers(0, 255, (17, 3), dtype=np.uint8)), table]).writeto(
        path, checksum=True
    )
    answers = json.loads(run_probe("checksum", str(path)))
    with fits.open(path) as hdus:
        for hdu, answer in zip(hdus, answers, strict=True):
            assert answer["checksumOk"] is True
            assert answer["datasumOk"] is True
            assert answer["checksum"] == hdu.header["CHECKSUM"]


# ---------------------------------------------------------------------------------------------- WCS

WCS_FILES = [
    # (file, HDU, note): headers with TAN/SIN/linear/spectral axes. Files whose CTYPE carries -SIP or
    # that have D2IM/CPDIS tables are compared with wcs_pix2world (core WCS, distortions not applied).
    ("astropy/wcs/dss.14.29.56-62.41.05.fits.gz", 0),
    ("astropy/wcs/ie6d07ujq_wcs.fits", 0),
    ("astropy/wcs/j94f05bgq_flt.fits", 1),
    ("astropy/wcs/j94f05bgq_flt.fits", 2),
    ("astropy/wcs/j94f05bgq_flt.fits", 4),
    ("astropy/wcs/sip.fits", 0),
    ("astropy/wcs/sip2.fits", 0),
    ("astropy/wcs/validate.fits", 2),
    ("astropy/wcs/dist.fits", 1),
]


def header_dict(header: fits.Header) -> dict[str, object]:
    out: dict[str, object] = {}
    for card in header.cards:
        try:
            key, value = card.keyword, card.value
        except fits.VerifyError:
            continue  # an unparsable card (astropy refuses it too)
        if key not in ("COMMENT", "HISTORY", "") and isinstance(value, str | int | float | bool):
            out[key] = value
    return out


def synthetic_headers() -> list[fits.Header]:
    """TAN/SIN with PC, CD, CROTA2, LONPOLE, poles, and 1-3D spectral axes, as astropy.wcs reads them."""
    headers: list[fits.Header] = []

    def make(cards: dict[str, object]) -> fits.Header:
        header = fits.Header()
        for key, value in cards.items():
            header[key] = value
        return header

    for proj in ("TAN", "SIN"):
        for crval in (
            (10.5, -30.25),
            (250.0, 89.5),
            (0.0, 90.0),
            (359.9, -89.99),
            (123.4, 0.0),
        ):
            headers.append(
                make(
                    {
                        "NAXIS": 2,
                        "CTYPE1": f"RA---{proj}",
                        "CTYPE2": f"DEC--{proj}",
                        "CRVAL1": crval[0],
                        "CRVAL2": crval[1],
                        "CRPIX1": 512.5,
                        "CRPIX2": 480.0,
                        "CDELT1": -2.8e-4,
                        "CDELT2": 2.8e-4,
                        "PC1_1": 0.96,
                        "PC1_2": -0.28,
                        "PC2_1": 0.28,
                        "PC2_2": 0.96,
                    }
                )
            )
        headers.append(
            make(
                {
                    "NAXIS": 2,
                    "CTYPE1": f"GLON-{proj}",
                    "CTYPE2": f"GLAT-{proj}",
                    "CRVAL1": 45.0,
                    "CRVAL2": 12.0,
                    "CRPIX1": 50,
                    "CRPIX2": 60,
                    "CD1_1": -0.01,
                    "CD1_2": 0.002,
                    "CD2_1": 0.0015,
                    "CD2_2": 0.01,
                    "LONPOLE": 170.0,
                }
            )
        )
        headers.append(
            make(
                {
                    "NAXIS": 2,
                    "CTYPE1": f"RA---{proj}",
                    "CTYPE2": f"DEC--{proj}",
                    "CRVAL1": 83.8,
                    "CRVAL2": -5.4,
                    "CRPIX1": 100,
                    "CRPIX2": 100,
                    "CDELT1": -0.05,
                    "CDELT2": 0.04,
                    "CROTA2": 23.5,
                }
            )
        )
    headers.append(
        make(
            {
                "NAXIS": 3,
                "CTYPE1": "RA---TAN",
                "CTYPE2": "DEC--TAN",
                "CTYPE3": "WAVE-LOG",
                "CUNIT3": "Angstrom",
                "CRVAL1": 150.0,
                "CRVAL2": 2.2,
                "CRVAL3": 5000.0,
                "CRPIX1": 20,
                "CRPIX2": 21,
                "CRPIX3": 1,
                "CDELT1": -1e-3,
                "CDELT2": 1e-3,
                "CDELT3": 1.2,
            }
        )
    )
    headers.append(
        make(
            {
                "NAXIS": 3,
                "CTYPE1": "FREQ",
                "CTYPE2": "DEC--SIN",
                "CTYPE3": "RA---SIN",
                "CUNIT1": "Hz",
                "CRVAL1": 1.42e9,
                "CRVAL2": -60.0,
                "CRVAL3": 200.0,
                "CRPIX1": 64,
                "CRPIX2": 10,
                "CRPIX3": 12,
                "CDELT1": 1.5e4,
                "CDELT2": 2e-3,
                "CDELT3": -2e-3,
            }
        )
    )
    headers.append(
        make(
            {
                "NAXIS": 1,
                "CTYPE1": "WAVE",
                "CUNIT1": "Angstrom",
                "CRVAL1": 3700.0,
                "CRPIX1": 3,
                "CDELT1": 1.25,
            }
        )
    )
    headers.append(
        make(
            {
                "NAXIS": 2,
                "CRVAL1": 10.0,
                "CRVAL2": -3.0,
                "CRPIX1": 2,
                "CRPIX2": 5,
                "CDELT1": 0.5,
            }
        )
    )
    return headers


DSS_PLATE_KEYWORDS = (
    "AMDX",
    "AMDY",
    "PLTRA",
    "PLTDEC",
    "PPO",
    "XPIXELSZ",
    "YPIXELSZ",
    "CNPIX",
)


def core_header(header: fits.Header) -> fits.Header:
    """The header without a DSS plate solution, which astropy turns into a distortion Cradle ignores."""
    core = header.copy()
    for key in list(core.keys()):
        if key.startswith(DSS_PLATE_KEYWORDS):
            del core[key]
    return core


def astropy_world(header: fits.Header, pixels: np.ndarray) -> tuple[np.ndarray, list[str]]:
    from astropy.wcs import WCS

    header = core_header(header)
    with np.errstate(all="ignore"):
        wcs = WCS(header)
        world = wcs.wcs_pix2world(pixels, 1)
    return world, [str(u) for u in wcs.wcs.cunit]


def compare_wcs(header: fits.Header, answer: dict[str, object], pixels: np.ndarray, label: str) -> float:
    import astropy.units as u
    from astropy.wcs import WCS

    try:
        reference, units = astropy_world(header, pixels)
    except ValueError as refusal:  # astropy.wcs errors derive from ValueError
        assert "error" in answer, f"{label}: astropy refuses ({refusal}) but Cradle does not"
        return 0.0
    assert "error" not in answer, f"{label}: {answer.get('error')}"
    distorted = any(k in header for k in ("A_ORDER", "D2IMDIS1", "CPDIS1", "AMDX1"))
    assert bool(answer["distortions"]) == distorted, f"{label}: distortions {answer['distortions']}"
    got = np.asarray(answer["world"], dtype=float)
    wcs = WCS(core_header(header))
    worst = 0.0
    for i in range(reference.shape[1]):
        ref = reference[:, i]
        if wcs.wcs.lng == i or wcs.wcs.lat == i:
            diff = np.abs(got[:, i] - ref)
            if wcs.wcs.lng == i:
                diff = np.minimum(diff, 360 - diff)
                # longitude is degenerate at the poles
                diff[np.abs(reference[:, wcs.wcs.lat]) > 90 - 1e-9] = 0
            assert diff.max() <= 1e-9, f"{label}: axis {i + 1} differs by {diff.max():.3e} deg"
            worst = max(worst, float(diff.max()))
            continue
        header_unit = str(header.get(f"CUNIT{i + 1}", "")).strip()
        if header_unit and units[i]:
            ref = (ref * u.Unit(units[i])).to_value(u.Unit(header_unit))
        rel = np.abs(got[:, i] - ref) / np.maximum(np.abs(ref), 1e-300)
        assert rel.max() <= 1e-12, f"{label}: axis {i + 1} relative difference {rel.max():.3e}"
    # The inverse: Cradle's worldToPixel against astropy's wcs_world2pix on the same world coordinates.
    with np.errstate(all="ignore"):
        back_reference = WCS(core_header(header)).wcs_world2pix(reference_world_of(answer, units, header), 1)
    back = np.asarray(answer["pixelsBack"], dtype=float)
    finite = np.isfinite(back_reference).all(axis=1)
    assert np.array_equal(finite, np.isfinite(back).all(axis=1)), f"{label}: unprojectable points differ"
    error = np.abs(back[finite] - back_reference[finite]).max(initial=0.0)
    assert error <= 1e-7, f"{label}: world→pixel differs from astropy by {error:.3e} pixel"
    return worst


def reference_world_of(answer: dict[str, object], units: list[str], header: fits.Header) -> np.ndarray:
    """Cradle's world coordinates in astropy's units (SI for spectral axes), to feed wcs_world2pix."""
    import astropy.units as u

    world = np.asarray(answer["world"], dtype=float).copy()
    for i, unit in enumerate(units):
        header_unit = str(header.get(f"CUNIT{i + 1}", "")).strip()
        if header_unit and unit and header_unit != unit:
            world[:, i] = (world[:, i] * u.Unit(header_unit)).to_value(u.Unit(unit))
    return world


def test_wcs_matches_astropy(tmp_path: Path) -> None:
    from astropy.wcs import WCS

    rng = np.random.default_rng(3)
    cases: list[tuple[str, fits.Header]] = []
    if DATA.exists():
        for name, hdu in WCS_FILES:
            with fits.open(DATA / name) as hdus:
                cases.append((f"{name}[{hdu}]", hdus[hdu].header.copy()))
    cases += [(f"synthetic {i}", h) for i, h in enumerate(synthetic_headers())]
    payload = []
    grids = []
    for _, header in cases:
        with np.errstate(all="ignore"):
            naxis = WCS(core_header(header), fix=False, _do_set=False).naxis
        size = [float(header.get(f"NAXIS{i + 1}", 100) or 100) for i in range(naxis)]
        pixels = rng.uniform(-50, 50, size=(200, naxis)) + rng.uniform(0, 1, (200, naxis)) * size
        pixels[0] = 1.0
        grids.append(pixels)
        payload.append({"header": header_dict(header), "pixels": pixels.tolist()})
    (tmp_path / "wcs.json").write_text(json.dumps(payload))
    answers = [json.loads(line) for line in run_probe("wcs", str(tmp_path / "wcs.json")).splitlines()]
    worst = 0.0
    for (label, header), pixels, answer in zip(cases, grids, answers, strict=True):
        worst = max(worst, compare_wcs(header, answer, pixels, label))
    print(f"{len(cases)} WCS headers: worst celestial difference {worst:.2e} deg")


def test_committed_references_are_current(tmp_path: Path) -> None:
    """The JSON the vitest tests read is what astropy gives today (regenerated and compared)."""
    import make_fits_codec_references as references

    references.main(tmp_path)
    fresh = json.loads((tmp_path / "codec-references.json").read_text())
    committed = json.loads((ROOT / "test" / "fixtures" / "fits" / "codec-references.json").read_text())
    if not DATA.exists():
        committed.pop("real", None)
        committed.pop("checksum", None)
    # Wavelengths are 10**x in numpy, whose pow may change in the last bit from one numpy release (or CPU)
    # to the next: they are compared to 1e-13 relative, without their byte digests. Everything else exactly.
    for spectra in (fresh, committed):
        for entry in spectra["spectra"]:
            entry["wavelength"].pop("sha256")
    fresh_wavelengths = [entry.pop("wavelength") for entry in fresh["spectra"]]
    committed_wavelengths = [entry.pop("wavelength") for entry in committed["spectra"]]
    assert fresh == committed
    for got, want in zip(fresh_wavelengths, committed_wavelengths, strict=True):
        assert (got["shape"], got["dtype"]) == (want["shape"], want["dtype"])
        assert got["finite_sum"] == pytest.approx(want["finite_sum"], rel=1e-13)
        assert [i for i, _ in got["samples"]] == [i for i, _ in want["samples"]]
        assert [v for _, v in got["samples"]] == pytest.approx([v for _, v in want["samples"]], rel=1e-13)


def test_cfitsio_written_images_decode_like_cfitsio(tmp_path: Path) -> None:
    """Files written by cfitsio itself (through fitsio), read back by cfitsio and by Cradle."""
    fitsio = pytest.importorskip("fitsio")
    rng = np.random.default_rng(11)
    counts = np.round(1000 + rng.normal(0, 15, (45, 62))).astype(np.int32)
    floats = (counts / 7.0).astype(np.float32)
    floats[3, 4] = np.nan
    floats[7, :] = 0.0
    cases: list[tuple[str, np.ndarray, dict[str, object]]] = [
        ("rice int32", counts, {"compress": "rice", "tile_dims": [10, 62]}),
        ("gzip int16", counts.astype(np.int16), {"compress": "gzip"}),
        ("gzip_2 int32", counts, {"compress": "gzip_2", "tile_dims": [9, 31]}),
        ("plio int16", (counts % 50).astype(np.int16), {"compress": "plio"}),
        (
            "hcompress int32",
            counts,
            {"compress": "hcompress", "tile_dims": [45, 62], "hcomp_scale": 2.0},
        ),
        (
            "hcompress smooth",
            counts,
            {
                "compress": "hcompress",
                "tile_dims": [45, 62],
                "hcomp_scale": 2.0,
                "hcomp_smooth": True,
            },
        ),
        (
            "rice float dither 1",
            floats,
            {"compress": "rice", "qmethod": "SUBTRACTIVE_DITHER_1", "dither_seed": 42},
        ),
        (
            "rice float dither 2",
            floats,
            {"compress": "rice", "qmethod": "SUBTRACTIVE_DITHER_2", "dither_seed": 7},
        ),
        ("gzip float no dither", floats, {"compress": "gzip", "qmethod": "NO_DITHER"}),
        (
            "hcompress float",
            floats,
            {"compress": "hcompress", "tile_dims": [15, 62], "qlevel": 8.0},
        ),
    ]
    jobs: list[tuple[Path, int]] = []
    for i, (_, image, kw) in enumerate(cases):
        path = tmp_path / f"cfitsio{i}.fits"
        with fitsio.FITS(str(path), "rw", clobber=True) as f:
            f.write_image(image, **kw)
        jobs.append((path, 1))
    answers = decode_all(tmp_path, jobs)
    for (label, _, _), (path, _), answer in zip(cases, jobs, answers, strict=True):
        reference = fitsio.read(str(path), ext=1)
        assert_same_pixels(reference, answer, f"cfitsio {label}")
