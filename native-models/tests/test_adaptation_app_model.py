"""The adapted model as an app model folder (cradle_models.adaptation.app_model): its ONNX graphs, run the
way the engine runs them, give the PyTorch DASimformer's samples from the same noise; its card lists the
parameters first and every encoder input as an observable in the encoders' input space."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cradle_models.adaptation.app_model import PARITY_FILE, XP_CASES_FILE, onnx_samples, toy
from cradle_models.adaptation.spectra import XP_BIN, XP_SAMPLES, bin_spectrum, spectrum_card


def test_onnx_pipeline_matches_pytorch(tmp_path: Path) -> None:
    folder = toy(tmp_path / "adapted")
    fixture = json.loads((folder / PARITY_FILE).read_text())
    for case in fixture["cases"]:
        want = np.asarray(case["samples"])
        got = onnx_samples(folder, case, fixture["steps"])
        assert np.abs(got - want).max() < 1e-5, case["label"]
    # One noise for every case: the inputs alone make the samples differ (random weights in every
    # block, since adaLN-Zero's zero gates would leave the encoders' tokens without effect).
    samples = [np.asarray(c["samples"]) for c in fixture["cases"]]
    assert np.abs(samples[0] - samples[1]).max() > 0.1
    assert np.abs(samples[0] - samples[2]).max() > 0.1


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


def test_xp_toy_lists_its_binning_and_matches_pytorch(tmp_path: Path) -> None:
    folder = toy(tmp_path / "adapted-xp", xp=True)
    card = json.loads((folder / "card.json").read_text())
    photometry, xp = card["encoders"]["modalities"]
    assert photometry["name"] == "photometry" and "spectrum" not in photometry
    assert xp["spectrum"]["quantity"] == "gaia.xp"
    assert xp["spectrum"]["samples"] == XP_SAMPLES and xp["spectrum"]["bin"] == XP_BIN
    assert xp["variables"] == [f"gaia.xp[{k}]" for k in range(XP_SAMPLES // XP_BIN)]
    assert (folder / xp["file"]).is_file()
    fixture = json.loads((folder / PARITY_FILE).read_text())
    for case in fixture["cases"]:
        got = onnx_samples(folder, case, fixture["steps"])
        assert np.abs(got - np.asarray(case["samples"])).max() < 1e-5, case["label"]
    # The catalogue cases: a missing photometer's bins and a non-positive bin are masked.
    cases = json.loads((folder / XP_CASES_FILE).read_text())["cases"]
    by_label = {c["label"]: c for c in cases}
    assert not any(by_label["BP missing: XP from RP alone (NaN below 635 nm)"]["observed"][4:26])
    assert not by_label["faint: the blue end's mean flux is not positive"]["observed"][4]
    assert not any(by_label["photometry only"]["observed"][4:])
    assert not any(by_label["XP only"]["observed"][:4])


def test_bin_spectrum_by_hand() -> None:
    flux = np.array([[1.0, 3.0, 10.0, 30.0, -5.0, 1.0, 7.0], [np.nan, 1.0, 2.0, 2.0, 1.0, 1.0, 9.0]])
    sigma = np.array([[0.3, 0.4, 1.0, 1.0, 0.1, 0.1, 5.0], [0.1, 0.1, np.nan, 0.1, 0.1, 0.1, 5.0]])
    values, errors, ok = bin_spectrum(flux, sigma, 2)
    # Bins of 2 samples; the 7th sample is dropped. Star 0: means 2, 20, −2 (not positive).
    assert ok.tolist() == [[True, True, False], [False, True, True]]
    assert values[0, :2] == pytest.approx([np.log10(2.0), np.log10(20.0)])
    assert errors[0, 0] == pytest.approx(0.25 / 2.0 / np.log(10))  # σ_mean = √(0.3² + 0.4²)/2
    # Star 1: a NaN sample masks its bin; a NaN σ keeps the value with σ 0 (the app's typical σ).
    assert values[1, 1] == pytest.approx(np.log10(2.0)) and errors[1, 1] == 0.0
    with pytest.raises(ValueError, match="Gaia XP spectra only"):
        spectrum_card("spectrum.lamost")
