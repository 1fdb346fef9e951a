"""Shard reader errors, and the train → export → report command line on shards with canonical columns."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cradle_models import report, train
from cradle_models.data.sets import RawSet
from cradle_models.data.shards import read_shards, write_shards
from cradle_models.data.sources import STELLAR_VARIABLES

NAMES = [
    "log_age",
    "mass_init",
    "distance_pc",
    "av",
    "gaia.g",
    "gaia.bp",
    "gaia.rp",
    "gaia.parallax",
    "tmass.ks",
]


def _stars(n: int, seed: int) -> RawSet:
    """Shard rows with canonical columns whose observables depend on the parameters (fixture data)."""
    rng = np.random.default_rng(seed)
    variables = [v for v in STELLAR_VARIABLES if v.name in NAMES]
    log_age = rng.uniform(6.3, 9.5, n)
    mass = 10 ** rng.uniform(-0.8, 0.4, n)
    av = rng.exponential(0.8, n)
    dist = rng.uniform(50, 1000, n)
    mu = 5 * np.log10(dist) - 5
    g = 4.8 - 6 * np.log10(mass) + 0.5 * (log_age - 8) + mu + av + rng.normal(0, 0.02, n)
    bp = g + 0.6 - 0.8 * np.log10(mass) + 0.3 * av + rng.normal(0, 0.03, n)
    rp = g - 0.6 + 0.5 * np.log10(mass) - 0.2 * av + rng.normal(0, 0.03, n)
    plx_err = rng.uniform(0.02, 0.3, n)
    plx = 1000 / dist + plx_err * rng.standard_normal(n)
    ks = g - 2 + 1.5 * np.log10(mass) - 0.8 * av + rng.normal(0, 0.05, n)
    by_name = {
        "log_age": log_age,
        "mass_init": mass,
        "av": av,
        "distance_pc": dist,
        "gaia.g": g,
        "gaia.bp": bp,
        "gaia.rp": rp,
        "gaia.parallax": plx,
        "tmass.ks": ks,
    }
    values = np.stack([by_name[v.name] for v in variables], axis=1)
    errors = np.zeros_like(values)
    for j, v in enumerate(variables):
        if v.role == "observable":
            errors[:, j] = plx_err if v.name == "gaia.parallax" else 0.03
    present = np.ones_like(values, dtype=bool)
    present[:, [v.name for v in variables].index("tmass.ks")] = rng.random(n) < 0.6
    return RawSet(variables, values, errors, present)


def test_reader_round_trip_and_clear_errors(tmp_path: Path) -> None:
    raw = _stars(500, 0)
    write_shards(
        tmp_path, raw, {"simulator_version": "test", "seed": 0, "assets_hash": "none"}, rows_per_file=200
    )
    back = read_shards(tmp_path, raw.variables).raw
    assert np.array_equal(back.present, raw.present)
    assert np.allclose(back.values[back.present], raw.values[raw.present])
    assert np.isnan(back.values[~back.present]).all()

    table = pq.read_table(tmp_path / "part-00001.parquet").drop_columns(["gaia.rp"])
    pq.write_table(table, tmp_path / "part-00001.parquet")
    with pytest.raises(ValueError, match=r"part-00001\.parquet: column 'gaia\.rp' is missing"):
        read_shards(tmp_path, raw.variables)
    pq.write_table(pa.table({"x": [1.0]}), tmp_path / "part-00001.parquet")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["files"][0]["rows"] = 7
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="manifest says 7 rows, file has 200"):
        read_shards(tmp_path, raw.variables)
    (tmp_path / "manifest.json").write_text("{")
    with pytest.raises(ValueError, match="manifest.json: not valid JSON"):
        read_shards(tmp_path, raw.variables)


def test_train_export_report_command_line(tmp_path: Path) -> None:
    data = tmp_path / "shards"
    write_shards(data, _stars(3000, 1), {"simulator_version": "test", "seed": 1, "assets_hash": "abc"})
    out = tmp_path / "model"
    assert train.main(["--preset", "tiny", "--steps", "40", "--data", str(data), "--out", str(out)]) == 0
    card = json.loads((out / "card.json").read_text())
    assert [
        v["name"] for v in card["variables"]
    ] == NAMES  # canonical order, only the columns the shards have
    assert card["training"]["data"]["assets_hash"] == "abc"
    assert card["graphs"]["opset"] >= 17
    for graph in ("context", "velocity"):
        model = onnx.load(str(out / card["graphs"][graph]["file"]))
        assert [i.name for i in model.graph.input] == [i["name"] for i in card["graphs"][graph]["inputs"]]
    assert card["cost"]["flops_per_star"] > 0

    assert (
        report.main(
            [
                "--model",
                str(out),
                "--data",
                str(data),
                "--stars",
                "40",
                "--samples",
                "16",
                "--threads",
                "1",
                "--step-sweep",
                "2,4",
            ]
        )
        == 0
    )
    card = json.loads((out / "card.json").read_text())
    cal = card["calibration"]
    assert set(cal["all_observables"]["coverage"]) == {"log_age", "mass_init", "distance_pc", "av"}
    rep = json.loads((out / "report.json").read_text())
    sweep = rep["step_sweep"]
    assert [row["steps"] for row in sweep] == [2, 4] and sweep[1]["flops_per_star"] > sweep[0][
        "flops_per_star"
    ]
    assert cal["step_sweep"] == sweep
    assert {"age < 10 Myr", "age 10-60 Myr", "age > 60 Myr"} <= set(rep["all_observables"]["accuracy"])
    assert (out / "coverage_missing.png").stat().st_size > 1000
    assert (out / "sbc_all.png").exists() and (out / "tarp_all.png").exists()
