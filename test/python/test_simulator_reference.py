"""The forward model's committed reference values (test/fixtures/forward/reference.json, read by the
vitest suites under test/unit/forward/) still equal what astropy, scipy and the PyGaia formula give."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "test" / "fixtures" / "forward" / "reference.json"
MAKER = REPO / "test" / "fixtures" / "forward" / "make_reference.py"
SPLINE = (
    REPO.parent
    / "shared"
    / "data"
    / "physics"
    / "gaia-dr3-photometric-uncertainties"
    / "LogErrVsMagSpline.csv"
)


def _maker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_reference", MAKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SPLINE.exists(), reason="../shared/data/physics is absent")
def test_fixture_matches_the_python_references() -> None:
    committed = json.loads(FIXTURE.read_text(encoding="utf-8"))
    fresh = _maker().reference()
    for a, b in zip(committed["positions"], fresh["positions"], strict=True):
        for key in ("ra", "dec", "pmra", "pmdec", "rv"):
            assert a[key] == pytest.approx(b[key], abs=1e-9)
    for band in ("g", "bp", "rp"):
        np.testing.assert_allclose(
            committed["logSigmaSpline"][band], fresh["logSigmaSpline"][band], atol=1e-12
        )
    np.testing.assert_allclose(committed["parallax"]["sigmaMas"], fresh["parallax"]["sigmaMas"], rtol=1e-12)
