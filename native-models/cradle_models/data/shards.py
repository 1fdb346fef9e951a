"""Reader (and writer, for toys and tests) of the simulator's training shards.

Contract (architecture doc, "Training shards"): a folder with ``manifest.json`` and Parquet files.
Manifest keys read here: ``simulator_version``, ``seed``, ``assets_hash``, ``files`` (list of
``{"path": relative path, "rows": int}``), optional ``config`` and ``columns`` (meanings). Columns:
- ``<name>``: the variable's value (canonical names: ``log_age``, ``gaia.g``, ...);
- ``<name>.err``: its per-star uncertainty (observables; optional for parameters);
- ``<name>.observed``: bool, whether the star has this observable (absent column ⇒ present where the
  value is finite); a value that is missing, flagged or an upper limit is *not observed*;
- ``domain``: ``simulated`` / ``real`` / ``pair``; ``pair_id``: sim–real pair id (domain adaptation).
Fixed-size list columns (spectra) are left to the modality encoders and are not read here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cradle_models.data.sets import RawSet
from cradle_models.variables import Variable

MANIFEST = "manifest.json"


@dataclass
class ShardSet:
    raw: RawSet
    manifest: dict[str, Any]
    domain: np.ndarray


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ValueError(f"{path}: cannot read the shard manifest ({err.strerror})") from err
    except json.JSONDecodeError as err:
        raise ValueError(f"{path}: not valid JSON ({err})") from err
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        raise ValueError(f"{path}: 'files' must be a non-empty list of {{path, rows}}")
    for i, entry in enumerate(files):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise ValueError(f"{path}: files[{i}] must be an object with a string 'path'")
    return dict(manifest)


def _column(table: pa.Table, name: str, file: Path, required: bool) -> np.ndarray | None:
    if name not in table.column_names:
        if required:
            raise ValueError(f"{file}: column {name!r} is missing")
        return None
    col = table.column(name)
    if name.endswith(".observed"):
        if not pa.types.is_boolean(col.type):
            raise ValueError(f"{file}: column {name!r} must be boolean, got {col.type}")
        return np.asarray(pc.fill_null(col, False).to_numpy(zero_copy_only=False), dtype=bool)
    if not (pa.types.is_floating(col.type) or pa.types.is_integer(col.type)):
        raise ValueError(f"{file}: column {name!r} must be numeric, got {col.type}")
    return np.asarray(col.cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def read_shards(folder: Path, variables: list[Variable], domain: str | None = "simulated") -> ShardSet:
    """Read every shard listed in the manifest into a ``RawSet`` over ``variables`` (rows of ``domain``)."""
    manifest = read_manifest(folder)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for entry in manifest["files"]:
        file = folder / entry["path"]
        try:
            table = pq.read_table(file)
        except (OSError, pa.ArrowInvalid) as err:
            raise ValueError(f"{file}: cannot read Parquet shard ({err})") from err
        n = table.num_rows
        if "rows" in entry and int(entry["rows"]) != n:
            raise ValueError(f"{file}: manifest says {entry['rows']} rows, file has {n}")
        values = np.full((n, len(variables)), np.nan)
        errors = np.zeros((n, len(variables)))
        present = np.zeros((n, len(variables)), dtype=bool)
        for j, v in enumerate(variables):
            col = _column(table, v.name, file, required=True)
            assert col is not None
            values[:, j] = col
            sigma = _column(table, f"{v.name}.err", file, required=False)
            if sigma is not None:
                errors[:, j] = np.nan_to_num(sigma, nan=0.0)
            obs = _column(table, f"{v.name}.observed", file, required=False)
            present[:, j] = np.isfinite(col) & (True if obs is None else obs)
            bad = present[:, j] & (errors[:, j] < 0)
            if bad.any():
                raise ValueError(
                    f"{file}: column {v.name + '.err'!r} has negative uncertainties "
                    f"(first at row {int(np.argmax(bad))})"
                )
        if "domain" in table.column_names:
            dom = np.asarray(
                table.column("domain").cast(pa.string()).to_numpy(zero_copy_only=False), dtype=object
            )
        else:
            dom = np.full(n, "simulated", dtype=object)
        parts.append((values, errors, present, dom))
    values = np.concatenate([p[0] for p in parts])
    errors = np.concatenate([p[1] for p in parts])
    present = np.concatenate([p[2] for p in parts])
    dom = np.concatenate([p[3] for p in parts])
    keep = np.ones(len(dom), dtype=bool) if domain is None else dom == domain
    raw = RawSet(variables, values[keep], errors[keep], present[keep])
    return ShardSet(raw=raw, manifest=manifest, domain=dom[keep])


def write_shards(folder: Path, raw: RawSet, manifest: dict[str, Any], rows_per_file: int = 50_000) -> Path:
    """Write a ``RawSet`` as shards + manifest (used for toy data and tests; the simulator has its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[dict[str, Any]] = []
    for k, start in enumerate(range(0, len(raw), rows_per_file)):
        stop = min(start + rows_per_file, len(raw))
        cols: dict[str, Any] = {}
        for j, v in enumerate(raw.variables):
            cols[v.name] = raw.values[start:stop, j]
            cols[f"{v.name}.err"] = raw.errors[start:stop, j]
            cols[f"{v.name}.observed"] = raw.present[start:stop, j]
        cols["domain"] = np.full(stop - start, "simulated")
        cols["pair_id"] = np.full(stop - start, -1, dtype=np.int64)
        name = f"part-{k:05d}.parquet"
        tmp = folder / (name + ".tmp")
        pq.write_table(pa.table(cols), tmp)
        os.replace(tmp, folder / name)
        files.append({"path": name, "rows": stop - start})
    full = {**manifest, "files": files}
    tmp = folder / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)
    return folder / MANIFEST
