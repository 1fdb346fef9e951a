"""Export parity: PyTorch vs ONNX Runtime on random inputs, masks and t; no NaN for any mask pattern."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import torch

from cradle_models.export.graphs import export_onnx
from cradle_models.export.onnx_sampler import OnnxSimformer
from cradle_models.export.sampler import posterior_samples_torch
from cradle_models.nets.simformer import Simformer, SimformerConfig
from cradle_models.nets.tokens import attention_masks, split_tokens

D = 5


def _random_model(prediction: str) -> Simformer:
    """A model with every weight random (a fresh model has zero adaLN gates, which would hide bugs)."""
    torch.manual_seed(11)
    config = SimformerConfig(
        n_variables=D,
        width=32,
        heads=4,
        context_layers=2,
        velocity_layers=2,
        prediction=prediction,  # type: ignore[arg-type]
    )
    model = Simformer(config)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 0.3)
    return model.eval()


@pytest.fixture(scope="module", params=["velocity", "data"])
def exported(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Simformer, OnnxSimformer]:
    model = _random_model(request.param)
    folder: Path = tmp_path_factory.mktemp("onnx")
    export_onnx(model, folder)
    return model, OnnxSimformer(folder)


def _batch(rng: np.random.Generator, b: int, with_cuts: bool):  # type: ignore[no-untyped-def]
    values = torch.as_tensor(rng.normal(size=(b, D)), dtype=torch.float32)
    errors = torch.as_tensor(
        np.where(rng.random((b, D)) < 0.5, rng.uniform(0.01, 2.0, (b, D)), 0.0), dtype=torch.float32
    )
    present = torch.as_tensor(rng.random((b, D)) < 0.8)
    observed = torch.as_tensor(rng.random((b, D)) < 0.5)
    groups = torch.as_tensor(rng.integers(0, 2 if with_cuts else 1, (b, D)))
    return split_tokens(values, errors, present, observed, groups)


# The exported velocity graph is Simformer.velocity rewritten for per-star broadcasting (its attention
# sums are regrouped per head), so the two agree to float32 reassociation, amplified by these random
# weights (std 0.3) to ~1e-5 of the output's scale; the exported graph and ONNX Runtime themselves are
# held to 1e-5 by the parity fixture.
REWRITE_TOLERANCE = 3e-5


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-12))


@pytest.mark.parametrize("t", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_velocity_parity_with_random_masks(exported, t: float) -> None:  # type: ignore[no-untyped-def]
    model, onnx_model = exported
    rng = np.random.default_rng(int(t * 100))
    for b, with_cuts in ((1, False), (7, True), (64, True)):
        context, latent = _batch(rng, b, with_cuts)
        ctx_mask, lat_mask = attention_masks(context, latent)
        x = torch.as_tensor(rng.normal(size=latent.values.shape), dtype=torch.float32)
        tt = torch.full((b,), t)
        with torch.no_grad():
            kv = model.encode(context.ids, context.values, context.errors, ctx_mask)
            v_torch = model.velocity(latent.ids, x, latent.errors, tt, kv, lat_mask).numpy()
        kv_onnx = onnx_model.encode(
            context.ids.numpy(), context.values.numpy(), context.errors.numpy(), ctx_mask.numpy()
        )
        assert _relative(kv_onnx, kv.numpy()) <= 1e-5
        v_onnx = onnx_model.velocity(
            latent.ids.numpy(),
            x.numpy()[:, None],
            latent.errors.numpy(),
            tt.numpy(),
            kv_onnx,
            lat_mask.numpy(),
        )[:, 0]
        assert v_onnx.shape == v_torch.shape
        assert _relative(v_onnx, v_torch) <= REWRITE_TOLERANCE


@pytest.mark.parametrize("samples", [1, 3, 32])
def test_samples_broadcast_per_star_equals_rows_repeated(exported, samples: int) -> None:  # type: ignore[no-untyped-def]
    """The velocity graph's [stars, samples, n_latent] layout gives what Simformer.velocity gives on
    the star's tokens, mask and context repeated once per sample."""
    model, onnx_model = exported
    rng = np.random.default_rng(samples)
    b = 9
    context, latent = _batch(rng, b, True)
    ctx_mask, lat_mask = attention_masks(context, latent)
    x = rng.normal(size=(b, samples, latent.ids.shape[1])).astype(np.float32)
    t = rng.uniform(0, 1, b).astype(np.float32)
    with torch.no_grad():
        kv = model.encode(context.ids, context.values, context.errors, ctx_mask)
        v_rows = model.velocity(
            latent.ids.repeat_interleave(samples, 0),
            torch.as_tensor(x.reshape(b * samples, -1)),
            latent.errors.repeat_interleave(samples, 0),
            torch.as_tensor(t).repeat_interleave(samples),
            kv.repeat_interleave(samples, 0),
            lat_mask.repeat_interleave(samples, 0),
        ).numpy()
    kv_onnx = onnx_model.encode(
        context.ids.numpy(), context.values.numpy(), context.errors.numpy(), ctx_mask.numpy()
    )
    v = onnx_model.velocity(latent.ids.numpy(), x, latent.errors.numpy(), t, kv_onnx, lat_mask.numpy())
    assert v.shape == (b, samples, latent.ids.shape[1])
    assert _relative(v.reshape(b * samples, -1), v_rows) <= REWRITE_TOLERANCE


def test_no_nan_for_any_mask_pattern(exported) -> None:  # type: ignore[no-untyped-def]
    """Every assignment of absent / observed / latent to the D variables, with and without M_E cuts."""
    model, onnx_model = exported
    patterns = np.array(list(itertools.product((0, 1, 2), repeat=D)))  # 0 absent, 1 observed, 2 latent
    b = len(patterns)
    rng = np.random.default_rng(3)
    values = torch.as_tensor(np.where(patterns == 0, np.nan, rng.normal(size=(b, D))), dtype=torch.float32)
    errors = torch.zeros(b, D)
    present = torch.as_tensor(patterns > 0)
    observed = torch.as_tensor(patterns == 1)
    for groups in (torch.zeros(b, D, dtype=torch.int64), torch.as_tensor(rng.integers(0, 3, (b, D)))):
        context, latent = split_tokens(values, errors, present, observed, groups)
        ctx_mask, lat_mask = attention_masks(context, latent)
        kv = onnx_model.encode(
            context.ids.numpy(), context.values.numpy(), context.errors.numpy(), ctx_mask.numpy()
        )
        v = onnx_model.velocity(
            latent.ids.numpy(),
            latent.values.numpy()[:, None],
            latent.errors.numpy(),
            np.full(b, 0.3, dtype=np.float32),
            kv,
            lat_mask.numpy(),
        )[:, 0]
        assert np.isfinite(kv).all() and np.isfinite(v).all()
        with torch.no_grad():
            v_torch = model(context, latent, latent.values, torch.full((b,), 0.3))
        assert torch.isfinite(v_torch).all()
        valid = latent.valid.numpy()
        assert _relative(v[valid], v_torch.numpy()[valid]) <= REWRITE_TOLERANCE


@pytest.mark.parametrize("solver", ["euler", "heun", "midpoint"])
def test_reference_sampler_parity_same_noise_same_samples(exported, solver: str) -> None:  # type: ignore[no-untyped-def]
    model, onnx_model = exported
    rng = np.random.default_rng(9)
    context, latent = _batch(rng, 16, True)
    ctx_mask, lat_mask = attention_masks(context, latent)
    noise = rng.standard_normal(latent.values.shape).astype(np.float32)
    args = (
        context.ids.numpy(),
        context.values.numpy(),
        context.errors.numpy(),
        ctx_mask.numpy(),
        latent.ids.numpy(),
        latent.errors.numpy(),
        lat_mask.numpy(),
        noise,
        8,
    )
    a = posterior_samples_torch(model, *args, solver=solver)  # type: ignore[arg-type]
    b = onnx_model.sample(*args, solver=solver)  # type: ignore[arg-type]
    assert np.isfinite(a).all()
    assert _relative(b, a) <= 1e-5
