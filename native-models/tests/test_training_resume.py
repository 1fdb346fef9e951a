"""Checkpoint and resume: a run stopped and resumed ends bit for bit where an uninterrupted run ends."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from cradle_models.data.sets import TrainingSet
from cradle_models.data.toy import LinearGaussian
from cradle_models.training.config import preset
from cradle_models.training.schedule import warmup_cosine
from cradle_models.training.trainer import CHECKPOINT, Trainer
from cradle_models.variables import fit_normalisation


def _trainer(out: Path | None) -> Trainer:
    sim = LinearGaussian()
    rng = np.random.default_rng(5)
    train, val = sim.simulate(4000, rng), sim.simulate(300, rng)
    variables = fit_normalisation(sim.variables, train.values)
    config = preset("tiny").with_overrides(
        steps=60, warmup_steps=10, val_every=20, checkpoint_every=30, batch_size=64
    )
    return Trainer(
        config, TrainingSet.from_raw(train, variables), TrainingSet.from_raw(val, variables), out_dir=out
    )


def test_resume_equals_uninterrupted_run(tmp_path: Path) -> None:
    straight = _trainer(None)
    straight.run()

    first = _trainer(tmp_path)
    first.run(stop_at=30)
    assert (tmp_path / CHECKPOINT).exists()
    resumed = _trainer(tmp_path)
    resumed.load_checkpoint(tmp_path / CHECKPOINT)
    assert resumed.step == 30
    resumed.run()

    assert resumed.step == straight.step == 60
    for key, value in straight.model.state_dict().items():
        assert torch.equal(value, resumed.model.state_dict()[key]), key
    for key, value in straight.ema.state_dict().items():
        assert torch.equal(value, resumed.ema.state_dict()[key]), key
    assert [r["val_loss"] for r in straight.history] == [r["val_loss"] for r in resumed.history]
    # and training did something: the loss fell
    assert straight.history[-1]["val_loss"] < straight.history[0]["val_loss"] * 1.05


def test_checkpoint_of_another_model_size_is_refused(tmp_path: Path) -> None:
    a = _trainer(tmp_path)
    a.save_checkpoint(tmp_path / CHECKPOINT)
    sim = LinearGaussian(dim_theta=3)
    raw = sim.simulate(200, np.random.default_rng(0))
    variables = fit_normalisation(sim.variables, raw.values)
    other = Trainer(
        preset("tiny"), TrainingSet.from_raw(raw, variables), TrainingSet.from_raw(raw, variables)
    )
    with pytest.raises(ValueError, match="checkpoint model"):
        other.load_checkpoint(tmp_path / CHECKPOINT)


def test_warmup_then_cosine() -> None:
    assert warmup_cosine(0, 10, 100) == pytest.approx(0.1)
    assert warmup_cosine(9, 10, 100) == pytest.approx(1.0)
    assert warmup_cosine(10, 10, 100) == pytest.approx(1.0)
    assert warmup_cosine(55, 10, 100) == pytest.approx(0.5)
    assert warmup_cosine(100, 10, 100) == pytest.approx(0.0)
