"""Tile-decompression speed: Cradle's decoders vs astropy (cfitsio C code) on 2048 x 2048 images.

Both decode the same files, written here by astropy; each figure is the best of five runs, CPU time
(the machine is shared, so CPU time is steadier than wall time). Prints Cradle/astropy ratios.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from astropy.io import fits

ROOT = Path(__file__).resolve().parents[3]
REPEATS = 5


def images() -> list[tuple[str, np.ndarray, dict[str, object]]]:
    rng = np.random.default_rng(0)
    counts = (1000 + rng.normal(0, 20, (2048, 2048))).astype(np.int16)
    return [
        ("RICE_1 int16", counts, {"compression_type": "RICE_1"}),
        ("GZIP_1 int16", counts, {"compression_type": "GZIP_1"}),
        ("GZIP_2 int16", counts, {"compression_type": "GZIP_2"}),
        (
            "HCOMPRESS_1 int16",
            counts,
            {"compression_type": "HCOMPRESS_1", "tile_shape": (64, 2048)},
        ),
        (
            "PLIO_1 int16",
            np.abs(counts // 100).astype(np.int16),
            {"compression_type": "PLIO_1"},
        ),
        (
            "RICE_1 float32 dither 2",
            counts.astype(np.float32) / 3,
            {"compression_type": "RICE_1", "quantize_method": 2},
        ),
    ]


def astropy_cpu_ms(path: Path) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        start = time.process_time()
        with fits.open(path) as hdus:
            _ = hdus[1].data
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        for i, (label, data, kw) in enumerate(images()):
            path = Path(tmp) / f"bench{i}.fits"
            fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(data, **kw)]).writeto(
                path
            )  # type: ignore[arg-type]
            cases.append((label, path))
        result = subprocess.run(
            [
                "node",
                "--import",
                "tsx",
                str(Path(__file__).with_name("decode-timing.ts")),
                str(REPEATS),
            ]
            + [str(p) for _, p in cases],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        cradle = [json.loads(line) for line in result.stdout.splitlines()]
        print(
            f"{'image (2048 x 2048)':28s} {'astropy ms':>10s} {'cradle ms':>10s} {'ratio':>6s}"
        )
        for (label, path), timing in zip(cases, cradle, strict=True):
            reference = astropy_cpu_ms(path)
            print(
                f"{label:28s} {reference:10.0f} {timing['cpuMs']:10.0f} {timing['cpuMs'] / reference:6.2f}"
            )


if __name__ == "__main__":
    main()
