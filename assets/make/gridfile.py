"""Cradle's grid container: a gzip-compressed concatenation of little-endian arrays plus a manifest entry.

Every grid in assets/grids/ is one `<name>.bin.gz` file whose uncompressed bytes hold named arrays back to
back (each aligned to 8 bytes). The manifest entry lists, per array, its dtype, shape and byte offset, and
for quantised arrays the `offset`/`scale` that turn stored integers back into values (value = offset +
scale * q; the integer 65535 means "no value"). The TypeScript reader (electron/forward/physics/grid-file.ts)
reads exactly this layout. Writes are atomic (temp file + rename).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

REPO = Path(__file__).resolve().parents[2]
GRIDS = REPO / "assets" / "grids"
SHARED_DATA = REPO.parent / "shared" / "data"
MISSING_U16 = 65535

_DTYPES = {
    "float32": "<f4",
    "float64": "<f8",
    "uint16": "<u2",
    "int32": "<i4",
    "uint8": "u1",
}


@dataclass
class GridBuilder:
    """Collects arrays and metadata for one grid file."""

    name: str
    description: str
    source: dict[str, Any]
    licence: str
    axes: list[dict[str, Any]] = field(default_factory=list)
    arrays: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _chunks: list[bytes] = field(default_factory=list)
    _size: int = 0

    def axis(self, name: str, unit: str, values: npt.ArrayLike, description: str = "") -> None:
        vals = [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]
        self.axes.append({"name": name, "unit": unit, "values": vals, "description": description})

    def add(
        self,
        name: str,
        data: npt.ArrayLike,
        dtype: str,
        unit: str = "",
        description: str = "",
    ) -> None:
        arr = np.ascontiguousarray(np.asarray(data).astype(_DTYPES[dtype]))
        entry: dict[str, Any] = {
            "name": name,
            "dtype": dtype,
            "shape": list(arr.shape),
            "byteOffset": self._size,
            "unit": unit,
            "description": description,
        }
        self._append(arr.tobytes(), entry)

    def add_quantised(
        self,
        name: str,
        data: npt.NDArray[np.floating[Any]],
        unit: str = "",
        description: str = "",
    ) -> float:
        """Store `data` as uint16 over its finite range; NaN becomes 65535. Returns the max abs error."""
        finite = np.isfinite(data)
        lo = float(np.min(data[finite]))
        hi = float(np.max(data[finite]))
        scale = (hi - lo) / (MISSING_U16 - 1) if hi > lo else 1.0
        q = np.full(data.shape, MISSING_U16, dtype="<u2")
        q[finite] = np.round((data[finite] - lo) / scale).astype("<u2")
        back = lo + scale * q[finite].astype(np.float64)
        err = float(np.max(np.abs(back - data[finite]))) if finite.any() else 0.0
        entry: dict[str, Any] = {
            "name": name,
            "dtype": "uint16",
            "shape": list(q.shape),
            "byteOffset": self._size,
            "unit": unit,
            "description": description,
            "quantised": {
                "offset": lo,
                "scale": scale,
                "missing": MISSING_U16,
                "maxAbsError": err,
            },
        }
        self._append(q.tobytes(), entry)
        return err

    def _append(self, raw: bytes, entry: dict[str, Any]) -> None:
        pad = (-len(raw)) % 8
        self._chunks.append(raw + b"\0" * pad)
        entry["byteLength"] = len(raw)
        self.arrays.append(entry)
        self._size += len(raw) + pad

    def write(self) -> dict[str, Any]:
        """Write `<name>.bin.gz` atomically; return its manifest entry."""
        GRIDS.mkdir(parents=True, exist_ok=True)
        payload = b"".join(self._chunks)
        packed = gzip.compress(payload, compresslevel=9, mtime=0)
        path = GRIDS / f"{self.name}.bin.gz"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(packed)
        os.replace(tmp, path)
        return {
            "name": self.name,
            "file": path.name,
            "description": self.description,
            "compression": "gzip",
            "bytes": len(packed),
            "uncompressedBytes": len(payload),
            "sha256": hashlib.sha256(packed).hexdigest(),
            "source": self.source,
            "licence": self.licence,
            "axes": self.axes,
            "arrays": self.arrays,
            "notes": self.notes,
        }


def write_manifest(entries: list[dict[str, Any]], versions: dict[str, str]) -> Path:
    path = GRIDS / "manifest.json"
    doc = {
        "schema": "cradle.grids/1",
        "builtBy": "python -m assets.make",
        "toolVersions": versions,
        "grids": sorted(entries, key=lambda e: str(e["name"])),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1) + "\n")
    os.replace(tmp, path)
    return path
