"""Conditional flow matching on the latent tokens (Lipman et al. 2023; Liu et al. 2023).

Path (rectified / linear optimal-transport path, σ_min = 0): with noise x0 ~ N(0, I) and data x1,

    x_t = (1 − t) · x0 + t · x1,        target velocity u_t = x1 − x0,

t = 0 is noise and t = 1 is data; samples integrate dx/dt = v(x_t, t) from 0 to 1. Time is drawn as
t ~ U(0, 1) ("uniform") or from a logit-normal (Esser et al. 2024, sec. 3.1: t = sigmoid(n), n ~ N(0, 1))
that weights the middle of the path. The loss is the mean squared error over *latent, present* tokens
only (Gloeckler et al. 2024, eq. 7: ℓ = (1 − M_C) ⊙ ‖v − u‖²); observed tokens stay clean and absent
variables are not tokens at all.

A data-predicting model (``SimformerConfig.prediction == "data"``) gives v = (x1_hat − x_t) / (1 − t), so
its velocity error is its data error over (1 − t): the loss weights rows by min(1, ((1 − t) / k)²) with
k = ``DATA_LOSS_KNEE``, i.e. the data error over max(1 − t, k)², which is the velocity loss up to
t = 1 − k and a bounded weight beyond (the unbounded 1 / (1 − t)² would let the last instants dominate).
(Rows with 1 − t under the model's floor, probability 1e-4, see the floored velocity instead.)
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor

from cradle_models.nets.simformer import Simformer
from cradle_models.nets.tokens import split_tokens

TimeSampling = Literal["uniform", "logit-normal"]

DATA_LOSS_KNEE = 0.05

PATH_DESCRIPTION: dict[str, str] = {
    "name": "rectified",
    "x_t": "(1 - t) * x0 + t * x1",
    "target": "x1 - x0",
    "t0": "noise x0 ~ N(0, I) on the latent tokens",
    "t1": "data",
    "integrate": "dx/dt = v(x, t) from t = 0 to t = 1, observed tokens clamped",
}


def rectified_path(x0: Tensor, x1: Tensor, t: Tensor) -> tuple[Tensor, Tensor]:
    """x0, x1 [B, N], t [B] → (x_t, target velocity)."""
    tt = t.unsqueeze(-1)
    return (1.0 - tt) * x0 + tt * x1, x1 - x0


def sample_time(n: int, kind: TimeSampling, generator: torch.Generator) -> Tensor:
    if kind == "uniform":
        return torch.rand(n, generator=generator)
    return torch.sigmoid(torch.randn(n, generator=generator))


def flow_matching_loss(
    model: Simformer,
    values: Tensor,
    errors: Tensor,
    present: Tensor,
    observed: Tensor,
    groups: Tensor,
    generator: torch.Generator,
    time_sampling: TimeSampling = "uniform",
) -> Tensor:
    """Mean squared velocity error over the latent tokens of a batch (scalar).

    All random draws (t, x0) come from ``generator`` on the CPU, so a run is reproducible on any device.
    """
    context, latent = split_tokens(values, errors, present, observed, groups)
    b = values.shape[0]
    t = sample_time(b, time_sampling, generator)
    x0 = torch.randn(latent.values.shape, generator=generator)
    x_t, target = rectified_path(x0, latent.values, t)
    device = next(model.parameters()).device
    context, latent = context.to(device), latent.to(device)
    v = model(context, latent, x_t.to(device), t.to(device))
    target = target.to(device)
    valid = latent.valid.to(v.dtype)
    weight = valid
    if model.config.prediction == "data":
        weight = valid * ((1.0 - t.to(device)) / DATA_LOSS_KNEE).clamp(max=1.0).square().unsqueeze(-1)
    return ((v - target) ** 2 * weight).sum() / valid.sum().clamp(min=1.0)
