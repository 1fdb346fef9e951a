"""Contrastive and pair losses, the training config, and one short adaptation run in which both encoder
branches learn (synthetic catalogues; the node-driven benchmark data are tested in
test_adaptation_shift_data.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from cradle_models.adaptation.config import DATrainConfig
from cradle_models.adaptation.contrastive import info_nce
from cradle_models.adaptation.model import DAModelConfig, DASimformer
from cradle_models.adaptation.shift_data import Catalogue, Observed
from cradle_models.adaptation.train import DATrainer, Normaliser, pair_loss, prepare, specs_of


def test_info_nce_matches_a_numpy_reference() -> None:
    g = torch.Generator().manual_seed(0)
    a = torch.randn(6, 5, generator=g, dtype=torch.float64)
    p = torch.randn(6, 5, generator=g, dtype=torch.float64)
    an = a.numpy() / np.linalg.norm(a.numpy(), axis=1, keepdims=True)
    pn = p.numpy() / np.linalg.norm(p.numpy(), axis=1, keepdims=True)
    logits = an @ pn.T / 0.2

    def ce(z: np.ndarray) -> float:
        z = z - z.max(axis=1, keepdims=True)
        return float(np.mean(-np.diag(z) + np.log(np.exp(z).sum(axis=1))))

    want = 0.5 * (ce(logits) + ce(logits.T))
    assert float(info_nce(a, p, 0.2)) == pytest.approx(want, rel=1e-12)
    # matched views score better than shuffled ones
    assert float(info_nce(a, a + 0.01 * p, 0.2)) < float(info_nce(a, p, 0.2))


def test_pair_loss_is_zero_for_identical_twins_and_positive_otherwise() -> None:
    z = {"photometry": torch.randn(4, 2, 8)}
    present = {"photometry": torch.ones(4, dtype=torch.bool)}
    assert float(pair_loss(z, {"photometry": z["photometry"].clone()}, present, present)) == 0.0
    assert float(pair_loss(z, {"photometry": torch.randn(4, 2, 8)}, present, present)) > 0.0


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown domain-adaptation method 'magic'"):
        DATrainConfig().with_method("magic")


def _catalogue(n: int, shift: float, seed: int) -> Catalogue:
    rng = np.random.default_rng(seed)
    theta = np.stack(
        [rng.uniform(6, 7.8, n), rng.uniform(0.6, 1.5, n), rng.uniform(100, 800, n), rng.uniform(0, 3, n)],
        axis=1,
    )
    phot = np.stack([theta[:, 0] + theta[:, 3] * k + shift for k in np.linspace(0.2, 1.0, 9)], axis=1)
    phot += rng.normal(0, 0.05, phot.shape)
    xp = np.outer(theta[:, 3], np.linspace(-1, 1, 12)) + theta[:, [0]] + shift
    mods = {
        "photometry": Observed(
            phot, np.full(phot.shape, 0.05), np.ones(phot.shape, dtype=bool), np.ones(n, dtype=bool)
        ),
        "gaia.xp": Observed(xp, np.full(xp.shape, 0.05), rng.random(xp.shape) > 0.1, rng.random(n) > 0.3),
    }
    return Catalogue(theta, mods)


@pytest.mark.parametrize("method", ["ot", "kpg"])
def test_both_branches_learn_during_adaptation(method: str) -> None:
    torch.manual_seed(0)
    sim, real = _catalogue(300, 0.0, 1), _catalogue(200, 0.3, 2)
    pairs = np.arange(10)
    norm = Normaliser.fit(sim)
    data = prepare(norm, sim, real, _catalogue(10, 0.0, 2), real.take(pairs))
    cfg = DATrainConfig(method=method, model=DAModelConfig(n_parameters=4, width=16, encoder_hidden=16))  # type: ignore[arg-type]
    cfg = replace(
        cfg,
        schedule=replace(cfg.schedule, pretrain=3, adapt=4, ramp=1, warmup=1),
        sampler=replace(cfg.sampler, sim_batch=32, real_batch=24, ot_batch=16, pairs_per_batch=4),
    )
    model = DASimformer(cfg.model, specs_of(sim))
    trainer = DATrainer(cfg, model, data)
    trainer.pretrain()
    assert model.real_encoders is None
    at_split = {k: v.clone() for k, v in model.sim_encoders.state_dict().items()}
    trainer.adapt()
    assert model.real_encoders is not None  # the real branch starts as a copy of the simulated one...
    for branch in (model.sim_encoders, model.real_encoders):  # ...and both move away from it
        moved = [not torch.equal(v, at_split[k]) for k, v in branch.state_dict().items()]
        assert sum(moved) >= len(moved) // 2
    last = trainer.log[-1]
    assert {"fm", "contrastive", "contrastive_real", "ot", "pair"} <= set(last)


def test_ot_runs_without_pairs_and_keypoint_guided_ot_refuses_to() -> None:
    torch.manual_seed(0)
    sim, real = _catalogue(300, 0.0, 1), _catalogue(200, 0.3, 2)
    norm = Normaliser.fit(sim)
    none = sim.take(np.arange(0))
    data = prepare(norm, sim, real, none, none)
    cfg = DATrainConfig(model=DAModelConfig(n_parameters=4, width=16, encoder_hidden=16))
    cfg = replace(
        cfg,
        schedule=replace(cfg.schedule, pretrain=2, adapt=3, ramp=1, warmup=1),
        sampler=replace(cfg.sampler, sim_batch=32, real_batch=24, ot_batch=16),
    )
    trainer = DATrainer(cfg.with_method("ot"), DASimformer(cfg.model, specs_of(sim)), data)
    trainer.adapt()
    last = trainer.log[-1]
    assert last["ot"] > 0.0  # the alignment term is there...
    assert last["pair"] == 0.0  # ...and the pair loss has nothing to pull
    with pytest.raises(ValueError, match="needs sim-real pairs"):
        DATrainer(cfg.with_method("kpg"), DASimformer(cfg.model, specs_of(sim)), data).adapt()
