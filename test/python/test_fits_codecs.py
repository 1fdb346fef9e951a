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

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None, reason="node is not installed"
)


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
    listing = [
        [str(path), hdu, str(tmp_path / f"out{i}.bin")]
        for i, (path, hdu) in enumerate(jobs)
    ]
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


def assert_same_pixels(
    reference: np.ndarray, answer: dict[str, object], label: str
) -> None:
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
        assert same.all(), (
            f"{label}: {np.count_nonzero(~same)} pixels differ in their bits"
        )
    else:
        assert np.array_equal(ref, got), (
            f"{label}: {np.count_nonzero(ref != got)} pixels differ"
        )


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
    base = 1000.0 + 300.0 * np.exp(
        -((xx - shape[-1] / 3) ** 2 + (yy - shape[-2] / 2) ** 2) / 40.0
    )
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
    mask = (rng.random((33, 47)) < 0.2).astype(np.int32) * rng.integers(
        1, 300, (33, 47)
    ).astype(np.int32)
    for name, image, tiles in [
        ("int16", i16, [None, (1, 53), (8, 16), (37, 53)]),
        ("int32", i32, [None, (7, 10)]),
        ("uint8", u8, [None, (5, 9)]),
    ]:
        for algorithm in ("RICE_1", "GZIP_1", "GZIP_2"):
            for tile in tiles:
                kw: dict[str, object] = {"compression_type": algorithm}
                if tile is not None:
                    kw["tile_shape"] = tile
                cases.append((f"{name} {algorithm} tile={tile}", image, kw))
    i64 = (rng.integers(-(2**62), 2**62, (9, 11))).astype(np.int64)
    cases.append(
        ("int64 GZIP_1", i64, {"compression_type": "GZIP_1", "tile_shape": (4, 5)})
    )
    cases.append(
        ("int64 GZIP_2", i64, {"compression_type": "GZIP_2", "tile_shape": (4, 5)})
    )
    cases.append(("plio mask", mask, {"compression_type": "PLIO_1"}))
    cases.append(
        ("plio mask tiles", mask, {"compression_type": "PLIO_1", "tile_shape": (4, 47)})
    )
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
    flat[:8, :] = (
        5.0  # a constant tile cannot be quantized: it is stored losslessly instead
    )
    for name, image in (
        ("float32", f32),
        ("float64", f64),
        ("float32 flat tile", flat),
    ):
        for algorithm in ("RICE_1", "GZIP_1", "GZIP_2", "HCOMPRESS_1"):
            for method, seed in ((-1, 0), (1, 1), (1, 4567), (2, 9999)):
                # HCOMPRESS needs edge tiles of at least 4 pixels along both axes.
                tile = (
                    ((8, 15) if image.shape[0] == 31 else (7, 15))
                    if algorithm == "HCOMPRESS_1"
                    else (3, 45)
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
    table = fits.BinTableHDU.from_columns(
        [fits.Column(name="a", format="D", array=rng.normal(size=1001))]
    )
    fits.HDUList(
        [fits.PrimaryHDU(rng.integers(0, 255, (17, 3), dtype=np.uint8)), table]
    ).writeto(path, checksum=True)
    answers = json.loads(run_probe("checksum", str(path)))
    with fits.open(path) as hdus:
        for hdu, answer in zip(hdus, answers, strict=True):
            assert answer["checksumOk"] is True
            assert answer["datasumOk"] is True
            assert answer["checksum"] == hdu.header["CHECKSUM"]
