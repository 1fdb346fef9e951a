"""``python -m cradle_models.export``: re-export a model folder from its checkpoint with the current
export code — per-star velocity graph, training ranges in the card, parity fixture; the calibration
kept when the sampler is unchanged, cleared (with the evidence recorded) when it changes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from cradle_models.data.sources import load_source, split_indices
from cradle_models.export.__main__ import main
from cradle_models.export.card import (
    build_card,
    card_variables,
    misspecification_scores,
    observable_covariance,
    read_card,
    write_card,
)
from cradle_models.export.onnx_sampler import OnnxSimformer
from cradle_models.nets.simformer import Simformer, SimformerConfig
from cradle_models.variables import Variable, fit_normalisation, normalise

ROWS = 2000
SEED = 3


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A toy model folder as train.py leaves it, from before ranges: card (with a calibration) and
    checkpoint, no graphs."""
    source = load_source(None, "linear-gaussian", ROWS, SEED)
    train = source.raw.subset(split_indices(ROWS, SEED)["train"])
    variables = fit_normalisation(source.raw.variables, train.values)
    config = SimformerConfig(
        n_variables=len(variables), width=16, heads=2, context_layers=1, velocity_layers=1
    )
    torch.manual_seed(0)
    model = Simformer(config)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 0.2)
    torch.save({"model_config": config.to_dict(), "ema": model.state_dict()}, tmp_path / "checkpoint.pt")
    card = build_card(
        "cli-toy",
        "re-export test",
        variables,
        config,
        training={
            "preset": "tiny",
            "data": {
                **source.meta,
                "rows_train": len(train),
                "rows_validation": ROWS // 20,
                "rows_test": ROWS // 20,
                "split_seed": SEED,
            },
        },
        sampler={"solver": "heun", "steps": 16, "samples_per_star": 32},
        time_sampling="uniform",
        prior="toy",
    )
    card["calibration"] = {"step_sweep": [{"solver": "heun", "steps": 8, "max_coverage_error": 0.02}]}
    write_card(card, tmp_path)
    return tmp_path


def test_reexport_writes_per_star_graph_ranges_and_keeps_calibration(folder: Path) -> None:
    assert main(["--model", str(folder)]) == 0
    card = read_card(folder)
    velocity = onnx.load(str(folder / "velocity.onnx"))
    values = next(i for i in velocity.graph.input if i.name == "latent_values")
    assert [d.dim_param for d in values.type.tensor_type.shape.dim] == ["batch", "samples", "n_latent"]
    assert card["calibration"] == {"step_sweep": [{"solver": "heun", "steps": 8, "max_coverage_error": 0.02}]}
    assert "sampler_basis" not in card
    # Ranges: the training split's [min, max] of each variable, in physical units.
    raw = load_source(None, "linear-gaussian", ROWS, SEED).raw
    train = raw.subset(split_indices(ROWS, SEED)["train"]).values
    assert raw.values[:, 2].max() != train[:, 2].max() or raw.values[:, 2].min() != train[:, 2].min()
    for j, v in enumerate(card["variables"]):
        assert v["range"] == pytest.approx([train[:, j].min(), train[:, j].max()])
    # The observables' covariance in network space over the same rows (none missing in the toy).
    observed = [j for j, v in enumerate(card["variables"]) if v["role"] == "observable"]
    z = normalise(card_variables(card), train)[:, observed]
    assert card["observables"]["variables"] == [card["variables"][j]["name"] for j in observed]
    np.testing.assert_allclose(
        card["observables"]["covariance"], np.cov(z, rowvar=False, bias=True), atol=1e-9
    )
    # Each parameter's prior marginal: the training split's histogram density on 100 bins over its range.
    for j, v in enumerate(card["variables"]):
        if v["role"] != "parameter":
            continue
        marginal = card["prior_marginals"][v["name"]]
        density, edges = np.histogram(train[:, j], bins=100, density=True)
        np.testing.assert_allclose(marginal["edges"], edges)
        np.testing.assert_allclose(marginal["density"], density)
    # The flag's limit: the score 0.1% of the validation rows exceed.
    held_out = normalise(card_variables(card), raw.subset(split_indices(ROWS, SEED)["validation"]).values)
    scores = misspecification_scores(held_out[:, observed], np.asarray(card["observables"]["covariance"]))
    assert card["observables"]["limit"] == pytest.approx(np.quantile(scores, 0.999))
    # The parity fixture is regenerated on the new graphs: one star, [1, samples, n_latent].
    fixture = json.loads((folder / "parity.json").read_text())
    case = fixture["cases"][0]
    assert np.asarray(case["noise"]).ndim == 3 and fixture["steps"] == 16
    model = OnnxSimformer(folder)
    arrays = {k: np.asarray(case[k]) for k in case if k.startswith(("context_", "latent_"))}
    got = model.sample(
        arrays["context_ids"],
        arrays["context_values"],
        arrays["context_errors"],
        arrays["context_mask"],
        arrays["latent_ids"],
        arrays["latent_errors"],
        arrays["latent_mask"],
        np.asarray(case["noise"], dtype=np.float32),
        fixture["steps"],
        "heun",
    )
    np.testing.assert_allclose(got, np.asarray(case["samples"]["heun"]), rtol=0, atol=1e-5)


def test_changing_the_sampler_clears_calibration_and_records_the_evidence(folder: Path) -> None:
    assert main(["--model", str(folder), "--steps", "8"]) == 0
    card = read_card(folder)
    assert card["sampler"] == {"solver": "heun", "steps": 8, "samples_per_star": 32}
    assert card["calibration"] is None
    assert card["sampler_basis"]["previous"]["steps"] == 16
    assert card["sampler_basis"]["step_sweep"][0]["steps"] == 8
    assert json.loads((folder / "parity.json").read_text())["steps"] == 8


def test_the_time_grid_and_last_step_can_be_rechosen(folder: Path) -> None:
    args = ["--model", str(folder), "--solver", "midpoint", "--grid-exponent", "2.5", "--final-euler"]
    assert main(args) == 0
    card = read_card(folder)
    assert card["sampler"] == {
        "solver": "midpoint",
        "steps": 16,
        "samples_per_star": 32,
        "time_grid": {"kind": "power", "exponent": 2.5},
        "final_euler": True,
    }
    assert card["cost"]["velocity_evaluations_per_sample"] == 31
    assert card["sampler_basis"]["previous"] == {"solver": "heun", "steps": 16, "samples_per_star": 32}
    assert main(["--model", str(folder), "--grid-exponent", "1", "--no-final-euler"]) == 0
    assert read_card(folder)["sampler"]["time_grid"] == {"kind": "uniform"}
    assert read_card(folder)["sampler"]["final_euler"] is False


def test_a_checkpoint_of_another_architecture_is_refused(folder: Path) -> None:
    state = torch.load(folder / "checkpoint.pt", weights_only=False)
    state["model_config"]["width"] = 32
    torch.save(state, folder / "checkpoint.pt")
    with pytest.raises(SystemExit, match="differs from"):
        main(["--model", str(folder)])


def test_observable_covariance_with_missing_inputs_is_pairwise_and_positive_definite() -> None:
    # Three correlated observables, one of them missing in a third of the rows: each entry comes from
    # the rows that have both inputs; a parameter column is left out.
    rng = np.random.default_rng(5)
    n = 30_000
    cov = np.array([[1.0, 0.9, 0.5], [0.9, 1.0, 0.4], [0.5, 0.4, 1.0]])
    x = rng.multivariate_normal(np.zeros(3), cov, size=n)
    values = np.column_stack([rng.normal(size=n), x])
    values[rng.random(n) < 1 / 3, 3] = np.nan
    variables = fit_normalisation(
        [
            Variable(name, role)
            for name, role in (
                ("p", "parameter"),
                ("a", "observable"),
                ("b", "observable"),
                ("c", "observable"),
            )
        ],
        values,
    )
    got = observable_covariance(variables, values, values[:2000])
    assert got["variables"] == ["a", "b", "c"]
    matrix = np.asarray(got["covariance"])
    np.testing.assert_allclose(matrix, cov, atol=0.03)
    assert np.all(np.linalg.eigvalsh(matrix) > 0)
    # An inconsistent pairwise matrix (not positive definite) is floored to the smallest kept eigenvalue.
    bad = np.column_stack([values[:, 0], x[:, 0], x[:, 0], -x[:, 0]])
    floored = np.asarray(observable_covariance(fit_normalisation(variables, bad), bad, bad)["covariance"])
    assert np.linalg.eigvalsh(floored).min() >= 1e-3 - 1e-12


def test_misspecification_scores_match_the_row_by_row_formula() -> None:
    # Rows with different inputs missing: each scored with the covariance restricted to what it has.
    rng = np.random.default_rng(8)
    a = rng.normal(size=(4, 4))
    covariance = a @ a.T + 0.5 * np.eye(4)
    z = rng.normal(size=(300, 4)) * 2
    z[rng.random(z.shape) < 0.3] = np.nan
    z[0] = np.nan
    got = misspecification_scores(z, covariance)
    assert np.isnan(got[0])
    for r in range(1, len(z)):
        m = np.isfinite(z[r])
        if not m.any():
            assert np.isnan(got[r])
            continue
        x = z[r, m]
        d2 = x @ np.linalg.inv(covariance[np.ix_(m, m)]) @ x
        assert got[r] == pytest.approx((d2 - m.sum()) / np.sqrt(2 * m.sum()), rel=1e-9)
