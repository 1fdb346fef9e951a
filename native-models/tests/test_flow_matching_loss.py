"""The flow-matching loss of a data-predicting Simformer: its velocity is (x1_hat − x_t)/(1 − t), and the
loss is the data error over max(1 − t, k)² (k = DATA_LOSS_KNEE), computed here by hand from the same
random draws."""

from __future__ import annotations

import torch

from cradle_models.losses.flow_matching import DATA_LOSS_KNEE, flow_matching_loss, rectified_path
from cradle_models.nets.simformer import DATA_PREDICTION_FLOOR, Simformer, SimformerConfig
from cradle_models.nets.tokens import split_tokens


def _model(prediction: str) -> Simformer:
    torch.manual_seed(3)
    model = Simformer(
        SimformerConfig(n_variables=4, width=16, heads=2, prediction=prediction)  # type: ignore[arg-type]
    )
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 0.3)
    return model.eval()


def test_data_prediction_loss_is_the_data_error_over_the_clamped_time_to_go() -> None:
    b = 4096
    gen = torch.Generator().manual_seed(0)
    values = torch.randn(b, 4, generator=gen)
    errors = torch.zeros(b, 4)
    present = torch.ones(b, 4, dtype=torch.bool)
    observed = torch.tensor([False, False, True, True]).expand(b, 4)
    groups = torch.zeros(b, 4, dtype=torch.int64)
    model = _model("data")
    with torch.no_grad():
        loss = flow_matching_loss(
            model, values, errors, present, observed, groups, torch.Generator().manual_seed(9)
        )
        # The same draws, in the loss's order: t, then x0.
        replay = torch.Generator().manual_seed(9)
        context, latent = split_tokens(values, errors, present, observed, groups)
        t = torch.rand(b, generator=replay)
        x0 = torch.randn(latent.values.shape, generator=replay)
        x_t, _ = rectified_path(x0, latent.values, t)
        v = model(context, latent, x_t, t)
        x1_hat = x_t + (1.0 - t).clamp(min=1e-4).unsqueeze(-1) * v
        per_row = ((x1_hat - latent.values) ** 2).sum(-1) / (1.0 - t).clamp(min=DATA_LOSS_KNEE) ** 2
        # Rows closer to t = 1 than the model's floor see the floored velocity: leave them out of both.
        floored = 1.0 - t < DATA_PREDICTION_FLOOR
        assert int(floored.sum()) <= 3
        u = latent.values - x0
        weight = ((1.0 - t) / DATA_LOSS_KNEE).clamp(max=1.0) ** 2
        floored_part = (((v - u) ** 2).sum(-1) * weight)[floored].sum()
        expected = (per_row[~floored].sum() + floored_part) / latent.valid.sum()
    assert torch.isclose(loss, expected, rtol=1e-4)
    # Rows in the last k of the path exist in this batch, so the clamp is exercised.
    assert int((t > 1 - DATA_LOSS_KNEE).sum()) > 100


def test_velocity_of_a_data_prediction_points_at_it() -> None:
    """At any t the velocity carries x_t to the head's output in the time left: x_t + (1 − t)·v equals
    what the same weights output as a velocity model, i.e. the data model's x1_hat."""
    model = _model("data")
    gen = torch.Generator().manual_seed(1)
    values = torch.randn(8, 4, generator=gen)
    present = torch.ones(8, 4, dtype=torch.bool)
    observed = torch.tensor([False, True, True, True]).expand(8, 4)
    context, latent = split_tokens(values, torch.zeros(8, 4), present, observed)
    with torch.no_grad():
        for t in (0.0, 0.5, 0.99):
            tt = torch.full((8,), t)
            x = torch.randn(latent.values.shape, generator=gen)
            v = model(context, latent, x, tt)
            head_velocity = _model("velocity")(context, latent, x, tt)
            # Same weights (same seed): the data model's head output is the velocity model's output.
            assert torch.allclose(x + (1 - t) * v, head_velocity, atol=1e-5)
