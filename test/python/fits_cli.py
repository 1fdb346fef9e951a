"""Running `cradle fits … --json` from the FITS parity tests, and the comparisons they share."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "fits"
CLI = ROOT / "bin" / "cradle.mjs"


def cradle(*args: str, expect_ok: bool = True) -> Any:
    """Run the CLI; return parsed JSON stdout (or the stderr line when expect_ok is False)."""
    result = subprocess.run(
        ["node", str(CLI), "fits", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if not expect_ok:
        assert result.returncode != 0, f"expected failure, got {result.stdout[:200]}"
        return result.stderr
    assert result.returncode == 0, f"cradle fits {' '.join(args)} failed: {result.stderr}"
    return json.loads(result.stdout) if "--json" in args else result.stdout


def expected_json(value: Any) -> Any:
    """An astropy/numpy value in the CLI's JSON convention (int64 as strings, NaN as null)."""
    if value is np.ma.masked:
        return None
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return expected_json(value[()])
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iu" and value.dtype.itemsize == 8:
            return np.vectorize(str, otypes=[object])(value).tolist() if value.size else value.tolist()
        if value.dtype.kind == "c":
            return [expected_json(v) for v in value]
        if value.dtype.kind in "SU":
            return [expected_json(v) for v in value.tolist()]
        return [expected_json(v) for v in value.tolist()] if value.ndim > 0 else expected_json(value.item())
    if isinstance(value, (np.integer,)):
        return str(int(value)) if value.dtype.itemsize == 8 else int(value)
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (complex, np.complexfloating)):
        return [expected_json(float(value.real)), expected_json(float(value.imag))]
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(value, bytes):
        return value.decode("latin1").rstrip(" ")
    if isinstance(value, str):
        return value.rstrip(" ")
    if isinstance(value, list):
        return [expected_json(v) for v in value]
    return value


def ulp_equal(a: Any, b: Any, ulps: int = 1) -> bool:
    """Equal values, floats within `ulps` units in the last place (float32 ulps when both are float32
    exact)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(ulp_equal(x, y, ulps) for x, y in zip(a, b, strict=True))
    # JSON writes large integral doubles without an exponent, so Python may parse them as int.
    if isinstance(b, float) and isinstance(a, int) and not isinstance(a, bool):
        a = float(a)
    if isinstance(a, float) and isinstance(b, (float, int)) and not isinstance(b, bool):
        if a == b:
            return True
        step = np.spacing(np.float32(b)) if float(np.float32(b)) == b else np.spacing(float(b))
        return abs(a - float(b)) <= ulps * abs(float(step))
    return bool(a == b)


PROBE = ROOT / "test" / "python" / "fits_engine_probe.ts"


def probe(requests: list[dict[str, Any]], tmp: Path) -> list[dict[str, Any]]:
    """Run many requests in one Node process (same functions as the CLI); one result per request."""
    path = tmp / "requests.json"
    path.write_text(json.dumps(requests))
    result = subprocess.run(
        ["node", "--import", "tsx", str(PROBE), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
