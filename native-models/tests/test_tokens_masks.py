"""Tokens, attention masks and the condition-mask sampler."""

from __future__ import annotations

import numpy as np
import torch

from cradle_models.data.masks import MaskMixture, sample_conditions
from cradle_models.losses.flow_matching import rectified_path
from cradle_models.nets.tokens import BLOCKED, attention_masks, split_tokens
from cradle_models.variables import Variable


def test_absent_variables_are_not_tokens_and_nan_never_leaks() -> None:
    values = torch.tensor([[1.0, float("nan"), 3.0, 4.0], [float("nan"), 2.0, float("nan"), 5.0]])
    errors = torch.zeros(2, 4)
    present = torch.isfinite(values)
    observed = torch.tensor([[True, False, False, True], [False, True, False, False]])
    context, latent = split_tokens(values, errors, present, observed)
    assert context.ids.tolist() == [[0, 3], [1, 0]]
    assert context.valid.tolist() == [[True, True], [True, False]]
    assert latent.ids.tolist() == [[2], [3]]
    assert context.values.tolist() == [[1.0, 4.0], [2.0, 0.0]]
    assert torch.isfinite(context.values).all() and torch.isfinite(latent.values).all()


def test_masks_block_padding_and_cut_edges_but_never_the_diagonal() -> None:
    values = torch.randn(1, 4)
    present = torch.tensor([[True, True, True, False]])
    observed = torch.tensor([[True, False, False, False]])
    groups = torch.tensor([[0, 0, 1, 0]])
    context, latent = split_tokens(values, torch.zeros(1, 4), present, observed, groups)
    ctx_mask, lat_mask = attention_masks(context, latent)
    assert ctx_mask.tolist() == [[[0.0]]]
    # latent tokens: var 1 (group 0), var 2 (group 1); keys: [var 1, var 2, context var 0]
    assert lat_mask[0].tolist() == [[0.0, BLOCKED, 0.0], [BLOCKED, 0.0, BLOCKED]]
    # a dense M_E gives the same masks
    allowed = torch.tensor(
        [[[True, True, False, True], [True, True, False, True], [False, False, True, False], [True] * 4]]
    )
    assert torch.equal(attention_masks(context, latent, allowed)[1], lat_mask)


def test_no_context_star_gets_one_padding_context_token() -> None:
    context, latent = split_tokens(
        torch.randn(3, 2),
        torch.zeros(3, 2),
        torch.ones(3, 2, dtype=torch.bool),
        torch.zeros(3, 2, dtype=torch.bool),
    )
    assert context.ids.shape == (3, 1) and not context.valid.any()
    ctx_mask, lat_mask = attention_masks(context, latent)
    assert (ctx_mask == 0).all()  # the padding token attends to itself only
    assert (lat_mask[:, :, 2] == BLOCKED).all()


VARIABLES = [
    Variable("a", "parameter"),
    Variable("b", "parameter"),
    Variable("g", "observable", survey="gaia"),
    Variable("bp", "observable", survey="gaia"),
    Variable("j", "observable", survey="tmass"),
    Variable("w1", "observable", survey="wise"),
]


def test_mask_sampler_modes_and_dropout_rates() -> None:
    gen = torch.Generator().manual_seed(0)
    n = 20_000
    present_in = torch.ones(n, len(VARIABLES), dtype=torch.bool)
    present_in[:100, 4] = False  # the data's own missing entries stay missing
    mix = MaskMixture(
        posterior=1.0,
        joint=0.0,
        likelihood=0.0,
        random=0.0,
        survey_dropout=0.2,
        observable_dropout=0.0,
        parameter_dropout=0.0,
        edge_cut=0.0,
    )
    present, observed, groups = sample_conditions(present_in, VARIABLES, mix, gen)
    assert not present[:100, 4].any()
    assert not (observed & ~present).any()
    assert not observed[:, :2].any() and observed[:, 2:].eq(present[:, 2:]).all()
    gaia_gone = ~present[:, 2] & ~present[:, 3]
    assert (present[:, 2] == present[:, 3]).all()  # a survey drops whole
    assert abs(float(gaia_gone.float().mean()) - 0.2) < 0.02
    assert (groups == 0).all()

    mix = MaskMixture(
        posterior=0.0,
        joint=0.0,
        likelihood=0.0,
        random=1.0,
        survey_dropout=0.0,
        observable_dropout=1.0,
        observable_dropout_rate=0.5,
        parameter_dropout=0.0,
        edge_cut=1.0,
    )
    present, observed, groups = sample_conditions(torch.ones(n, 6, dtype=torch.bool), VARIABLES, mix, gen)
    assert abs(float((~present[:, 2:]).float().mean()) - 0.5) < 0.02
    assert present[:, :2].all()
    assert abs(float(observed.float().mean()) - 0.5 * float(present.float().mean())) < 0.03
    assert 0.4 < float(groups.float().mean()) < 0.6


def test_rectified_path_endpoints_and_target() -> None:
    x0, x1 = torch.randn(4, 3), torch.randn(4, 3)
    xt, target = rectified_path(x0, x1, torch.tensor([0.0, 1.0, 0.5, 0.25]))
    assert torch.allclose(xt[0], x0[0]) and torch.allclose(xt[1], x1[1])
    assert torch.allclose(xt[2], 0.5 * (x0[2] + x1[2]))
    assert torch.allclose(target, x1 - x0)
    assert np.isclose(float(xt[3, 0]), float(0.75 * x0[3, 0] + 0.25 * x1[3, 0]), atol=1e-6)


def test_loss_ignores_absent_variables_and_counts_latent_tokens_only() -> None:
    from cradle_models.losses.flow_matching import flow_matching_loss
    from cradle_models.nets.simformer import Simformer, SimformerConfig

    torch.manual_seed(0)
    model = Simformer(SimformerConfig(n_variables=4, width=16, heads=2, context_layers=1, velocity_layers=1))
    with torch.no_grad():  # zero output head: the model's velocity is 0 everywhere
        model.head.weight.zero_()
        model.head.bias.zero_()
    values = torch.randn(8, 4)
    values[:, 3] = float("nan")  # absent everywhere: never a token, never in the loss
    present = torch.isfinite(values)
    observed = torch.zeros(8, 4, dtype=torch.bool)
    observed[:, 0] = True
    groups = torch.zeros(8, 4, dtype=torch.int64)
    loss = flow_matching_loss(
        model, values, torch.zeros(8, 4), present, observed, groups, torch.Generator().manual_seed(1)
    )
    assert torch.isfinite(loss)
    # with v = 0 the loss is the mean of (x1 - x0)² over the latent tokens (variables 1 and 2) only
    gen = torch.Generator().manual_seed(1)
    torch.rand(8, generator=gen)
    x0 = torch.randn(8, 2, generator=gen)
    expected = ((values[:, 1:3] - x0) ** 2).mean()
    assert torch.allclose(loss, expected, atol=1e-6)
