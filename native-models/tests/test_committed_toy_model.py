"""The committed toy model (models/toy-gaussian): card, graphs and parity fixture agree, size stays small,
and its posterior is the analytic one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from cradle_models.data.toy import LinearGaussian
from cradle_models.export.card import card_variables, read_card
from cradle_models.export.onnx_sampler import OnnxSimformer
from cradle_models.export.parity import PARITY_FILE
from cradle_models.export.sampler import integrate
from cradle_models.nets.tokens import attention_masks, split_tokens
from cradle_models.variables import denormalise, normalise, normalise_errors

MODEL = Path(__file__).resolve().parents[1] / "models" / "toy-gaussian"


def test_card_and_graphs_agree_and_are_small() -> None:
    card = read_card(MODEL)
    committed = [p for p in MODEL.iterdir() if p.name != "checkpoint.pt"]  # training state is git-ignored
    assert sum(p.stat().st_size for p in committed) < 1_000_000
    assert [v["name"] for v in card["variables"]] == ["theta_0", "theta_1", "x_0", "x_1", "x_2"]
    for graph in ("context", "velocity"):
        model = onnx.load(str(MODEL / card["graphs"][graph]["file"]))
        assert model.opset_import[0].version >= 17
        assert [i.name for i in model.graph.input] == [i["name"] for i in card["graphs"][graph]["inputs"]]
        assert [o.name for o in model.graph.output] == [o["name"] for o in card["graphs"][graph]["outputs"]]
    assert card["calibration"] is not None


def test_parity_fixture_reproduces_on_the_committed_graphs() -> None:
    fixture = json.loads((MODEL / PARITY_FILE).read_text())
    model = OnnxSimformer(MODEL)
    for case in fixture["cases"]:
        arr = {
            k: np.asarray(case[k], dtype=np.int64 if k.endswith("ids") else np.float32)
            for k in (
                "context_ids",
                "context_values",
                "context_errors",
                "context_mask",
                "latent_ids",
                "latent_errors",
                "latent_mask",
                "noise",
            )
        }
        kv = model.encode(
            arr["context_ids"], arr["context_values"], arr["context_errors"], arr["context_mask"]
        )
        fn = model.velocity_fn(arr["latent_ids"], arr["latent_errors"], kv, arr["latent_mask"])
        for solver, expected in case["samples"].items():
            got = integrate(fn, arr["noise"], fixture["steps"], solver)
            want = np.asarray(expected)
            assert np.max(np.abs(got - want)) <= 1e-5 * max(np.max(np.abs(want)), 1e-12), (
                case["label"],
                solver,
            )


@pytest.mark.parametrize("sigma", [0.4, 0.7])
def test_committed_model_posterior_matches_analytic(sigma: float) -> None:
    card = read_card(MODEL)
    variables = card_variables(card)
    sim = LinearGaussian()
    x = sim.matrix @ np.array([0.5, 0.1]) + sim.offset
    raw = np.concatenate([[1.0, 1.0], x])[None]
    z = normalise(variables, raw)
    e = normalise_errors(variables, raw, np.array([[0.0, 0.0, sigma, sigma, sigma]]))
    n = 4000
    present = torch.ones(n, 5, dtype=torch.bool)
    observed = torch.tensor([False, False, True, True, True]).expand(n, 5)
    context, latent = split_tokens(
        torch.as_tensor(np.repeat(z, n, 0), dtype=torch.float32),
        torch.as_tensor(np.repeat(e, n, 0), dtype=torch.float32),
        present,
        observed,
    )
    ctx_mask, lat_mask = attention_masks(context, latent)
    noise = np.random.default_rng(0).standard_normal((n, 2)).astype(np.float32)
    model = OnnxSimformer(MODEL)
    s = model.sample(
        context.ids.numpy(),
        context.values.numpy(),
        context.errors.numpy(),
        ctx_mask.numpy(),
        latent.ids.numpy(),
        latent.errors.numpy(),
        lat_mask.numpy(),
        noise,
        int(card["sampler"]["steps"]),
        card["sampler"]["solver"],
    )
    full = np.zeros((n, 5))
    full[:, :2] = s
    theta = denormalise(variables, full)[:, :2]
    mean, cov = sim.posterior(x, np.full(3, sigma))
    sd = np.sqrt(np.diag(cov))
    assert np.all(np.abs(theta.mean(0) - mean) < 0.15 * sd)
    assert np.allclose(theta.std(0), sd, rtol=0.15)
