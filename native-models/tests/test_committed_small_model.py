"""The shipped model (models/cradle-small, the default of `cradle infer`): its card, graphs, parity fixture
and report agree, the folder stays small, and it is what ``npm run train -- --preset small`` makes."""

from __future__ import annotations

import json
from pathlib import Path

import onnx
from helpers import assert_card_sections_hold, assert_parity_fixture_holds

from cradle_models.data.sources import STELLAR_VARIABLES
from cradle_models.export.card import read_card
from cradle_models.export.sampler import Schedule
from cradle_models.training.config import preset

SAMPLER_KEYS = ("solver", "solver_steps", "samples_per_star", "schedule")
MODEL = Path(__file__).resolve().parents[1] / "models" / "cradle-small"


def test_card_graphs_and_report_agree_and_are_small() -> None:
    card = read_card(MODEL)
    committed = [p for p in MODEL.iterdir() if p.name != "checkpoint.pt"]
    assert sum(p.stat().st_size for p in committed) < 5_000_000
    assert [v["name"] for v in card["variables"]] == [v.name for v in STELLAR_VARIABLES]
    assert all("range" in v for v in card["variables"])
    for graph in ("context", "velocity"):
        model = onnx.load(str(MODEL / card["graphs"][graph]["file"]))
        assert model.opset_import[0].version >= 17
        assert [i.name for i in model.graph.input] == [i["name"] for i in card["graphs"][graph]["inputs"]]
        assert [o.name for o in model.graph.output] == [o["name"] for o in card["graphs"][graph]["outputs"]]
    report = json.loads((MODEL / "report.json").read_text())
    assert card["calibration"]["settings"] == report["settings"]
    assert report["settings"]["solver"] == card["sampler"]["solver"]
    assert report["settings"]["steps"] == card["sampler"]["steps"]
    assert (MODEL / "report.md").read_text().startswith(f"# Calibration and accuracy of {card['name']}")
    assert_card_sections_hold(card)


def test_trained_by_the_small_preset_on_its_own_training_set() -> None:
    training = read_card(MODEL)["training"]
    small = preset("small")
    assert training["preset"] == "small"
    # The sampler defaults may be re-chosen after training (cradle_models.export, evidence in the
    # card's sampler_basis); everything that shapes the weights must be the preset's.
    config = json.loads(json.dumps(small.to_dict()))
    assert {k: v for k, v in training["config"].items() if k not in SAMPLER_KEYS} == {
        k: v for k, v in config.items() if k not in SAMPLER_KEYS
    }
    sampler = read_card(MODEL)["sampler"]
    assert (sampler["solver"], sampler["steps"], sampler["samples_per_star"]) == (
        small.solver,
        small.solver_steps,
        small.samples_per_star,
    )
    assert Schedule.from_card(sampler) == small.schedule
    assert training["steps"] == small.steps
    assert training["data"]["source"] == "shards"
    manifest_config = json.loads((Path(__file__).resolve().parents[1] / str(small.training_set)).read_text())
    assert training["data"]["simulator_seed"] == manifest_config["seed"]
    assert (
        training["data"]["rows_train"] + training["data"]["rows_validation"] + training["data"]["rows_test"]
        == manifest_config["stars"]
    )


def test_parity_fixture_reproduces_on_the_committed_graphs() -> None:
    assert_parity_fixture_holds(MODEL)
