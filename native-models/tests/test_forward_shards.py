"""The shard reader on a small training set written by Cradle's own simulator (`cradle simulate
--preset clusters --stars 300 --seed 2 --shards`, committed under test/fixtures/simformer/forward-shards):
the contract between electron/forward and native-models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from cradle_models.data.masks import MaskMixture, sample_conditions
from cradle_models.data.sets import TrainingSet
from cradle_models.data.sources import STELLAR_VARIABLES, load_source
from cradle_models.losses.flow_matching import flow_matching_loss
from cradle_models.nets.simformer import Simformer, SimformerConfig
from cradle_models.variables import fit_normalisation

SHARDS = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "simformer" / "forward-shards"


def test_simulator_shards_read_into_the_canonical_variables() -> None:
    source = load_source(SHARDS, None, 0, 0)
    raw = source.raw
    assert len(raw) == 300
    assert [v.name for v in raw.variables] == [v.name for v in STELLAR_VARIABLES]
    assert source.meta["simulator_version"] is not None and source.meta["assets_hash"] is not None
    params = [j for j, v in enumerate(raw.variables) if v.role == "parameter"]
    assert raw.present[:, params].all()  # the truth is always there
    obs = [j for j, v in enumerate(raw.variables) if v.role == "observable"]
    assert 0.0 < raw.present[:, obs].mean() < 1.0  # surveys are missing for some stars
    assert np.isfinite(raw.values[raw.present]).all() and np.isnan(raw.values[~raw.present]).all()
    assert (raw.errors[:, obs][raw.present[:, obs]] > 0).all()


def test_a_training_batch_from_simulator_shards_gives_a_finite_loss() -> None:
    raw = load_source(SHARDS, None, 0, 0).raw
    variables = fit_normalisation(raw.variables, raw.values)
    data = TrainingSet.from_raw(raw, variables)
    assert torch.isfinite(data.values[data.present]).all()
    gen = torch.Generator().manual_seed(0)
    present, observed, groups = sample_conditions(data.present, variables, MaskMixture(), gen)
    torch.manual_seed(0)
    model = Simformer(
        SimformerConfig(n_variables=len(variables), width=16, heads=2, context_layers=1, velocity_layers=1)
    )
    loss = flow_matching_loss(model, data.values, data.errors, present, observed, groups, gen)
    assert torch.isfinite(loss)
    loss.backward()  # type: ignore[no-untyped-call]
    assert all(p.grad is None or torch.isfinite(p.grad).all() for p in model.parameters())
