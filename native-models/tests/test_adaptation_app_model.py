"""The adapted model as an app model folder (cradle_models.adaptation.app_model): its ONNX graphs, run the
way the engine runs them, give the PyTorch DASimformer's samples from the same noise; its card lists the
parameters first and every encoder input as an observable in the encoders' input space."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cradle_models.adaptation.app_model import PARITY_FILE, onnx_samples, toy


def test_onnx_pipeline_matches_pytorch(tmp_path: Path) -> None:
    folder = toy(tmp_path / "adapted")
    fixture = json.loads((folder / PARITY_FILE).read_text())
    spreads = []
    for case in fixture["cases"]:
        want = np.asarray(case["samples"])
        got = onnx_samples(folder, case, fixture["steps"])
        assert np.abs(got - want).max() < 1e-5, case["label"]
        spreads.append(want.mean(axis=1))
    # The encoders' tokens matter: all inputs and none give different posteriors from the same noise.
    assert np.abs(spreads[0] - spreads[2]).max() > 0.05


def test_card_lists_parameters_then_encoder_inputs(tmp_path: Path) -> None:
    folder = toy(tmp_path / "adapted")
    card = json.loads((folder / "card.json").read_text())
    names = [v["name"] for v in card["variables"]]
    assert names[:4] == ["log_age", "mass_init", "distance_pc", "av"]
    assert card["architecture"]["n_variables"] == 4
    (modality,) = card["encoders"]["modalities"]
    assert modality["variables"] == names[4:]
    assert (folder / modality["file"]).is_file()
    assert card["encoders"]["branch"] == "real"
    assert card["domain_adaptation"]["adapted"] is True
    g = card["variables"][4]
    assert g["transform"]["kind"] == "identity" and g["typical_error"] == 0.003
    assert card["variables"][3]["transform"] == {"kind": "log10", "offset": 0.05}
    assert [i["name"] for i in card["graphs"]["context"]["inputs"]] == ["tokens", "token_valid"]
    assert "log_age" in card["prior_marginals"]
    assert len(card["observables"]["covariance"]) == 4
    # 8 samples × Heun 4 steps = 64 velocity evaluations per star, plus the encoder and context once.
    cost = card["cost"]
    assert cost["velocity_evaluations_per_sample"] == 8
    assert cost["flops_per_star"] == 2 * (
        cost["multiply_adds_context_per_star"] + 64 * cost["multiply_adds_velocity_per_evaluation"]
    )
    assert 0 < cost["multiply_adds_encoders_per_star"] < cost["multiply_adds_context_per_star"]
