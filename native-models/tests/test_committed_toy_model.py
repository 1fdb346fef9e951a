"""The committed toy model (models/toy-gaussian): card, graphs and parity fixture agree, size stays small,
and its posterior is the analytic one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from helpers import assert_card_sections_hold, assert_parity_fixture_holds

from cradle_models.data.toy import LinearGaussian
from cradle_models.export.card import card_variables, read_card
from cradle_models.export.onnx_sampler import OnnxSimformer
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
    assert_card_sections_hold(card)


def test_parity_fixture_reproduces_on_the_committed_graphs() -> None:
    assert_parity_fixture_holds(MODEL)


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
