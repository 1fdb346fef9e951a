"""Shared fixtures: small toy Simformers trained once per test session (fixed seeds, one thread)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cradle_models.data.masks import MaskMixture  # noqa: E402
from cradle_models.data.sets import RawSet, TrainingSet  # noqa: E402
from cradle_models.data.toy import Gaussian3D, LinearGaussian  # noqa: E402
from cradle_models.nets.simformer import Simformer  # noqa: E402
from cradle_models.training.config import preset  # noqa: E402
from cradle_models.training.trainer import Trainer  # noqa: E402
from cradle_models.variables import Variable, fit_normalisation  # noqa: E402

torch.set_num_threads(1)


def train_toy(
    raw: RawSet, validation: RawSet, steps: int, mixture: MaskMixture, lr: float
) -> tuple[Simformer, list[Variable]]:
    variables = fit_normalisation(raw.variables, raw.values)
    config = preset("tiny").with_overrides(steps=steps, mixture=mixture, lr=lr, val_every=steps)
    trainer = Trainer(
        config, TrainingSet.from_raw(raw, variables), TrainingSet.from_raw(validation, variables)
    )
    trainer.run()
    return trainer.ema_model(), variables


@pytest.fixture(scope="session")
def linear_gaussian() -> tuple[LinearGaussian, Simformer, list[Variable]]:
    sim = LinearGaussian()
    rng = np.random.default_rng(0)
    mixture = MaskMixture(posterior=0.6, joint=0.1, likelihood=0.1, random=0.3)
    model, variables = train_toy(sim.simulate(60_000, rng), sim.simulate(1000, rng), 2500, mixture, 3e-3)
    return sim, model, variables


@pytest.fixture(scope="session")
def gaussian_3d() -> tuple[Gaussian3D, Simformer, list[Variable]]:
    sim = Gaussian3D()
    rng = np.random.default_rng(1)
    mixture = MaskMixture(
        posterior=0.4,
        joint=0.3,
        likelihood=0.0,
        random=0.3,
        survey_dropout=0.0,
        observable_dropout=0.3,
        parameter_dropout=0.0,
        edge_cut=0.3,
    )
    model, variables = train_toy(sim.simulate(60_000, rng), sim.simulate(1000, rng), 2000, mixture, 3e-3)
    return sim, model, variables
