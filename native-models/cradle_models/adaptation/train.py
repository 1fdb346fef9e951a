"""Training of the domain-adapted Simformer: a shared pre-training of the simulated branch, then one
adaptation phase per method (none / contrastive / ot / kpg) from the same checkpoint.

Losses per adaptation step (weights and schedule from ``DATrainConfig``):
- flow matching of θ given the simulated stars' embedding tokens (the only loss that sees θ);
- contrastive (InfoNCE, ``contrastive.py``) on simulated and, from ``contrastive`` on, real stars;
- ``ot``: entropic fused Gromov–Wasserstein (``gromov.py``) between simulated and real tokens of one
  modality per step (the modalities in turn: the plan is the costly part on two CPU cores) plus the pair
  loss;
- ``kpg``: keypoint-guided OT (``keypoint_ot.py``) with the minibatch's sim–real pairs as keypoints, plus
  the pair loss;
- pair loss L_R−S: mean squared distance between a paired star's simulated and real embeddings (per
  modality both have), over the mean squared distance between unrelated stars of the batch. Without
  pairs (``real_da --pairs 0``) ``ot`` is the fused GW term alone and ``kpg`` cannot run.
The real branch is a copy of the simulated encoders made when adaptation starts; both learn.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from cradle_models.adaptation.config import DATrainConfig
from cradle_models.adaptation.contrastive import contrastive_loss
from cradle_models.adaptation.encoders import PHOTOMETRY, SPECTRA, ModalitySpec, pooled_embedding
from cradle_models.adaptation.gromov import gw_alignment_loss
from cradle_models.adaptation.keypoint_ot import kpg_alignment_loss
from cradle_models.adaptation.model import DASimformer
from cradle_models.adaptation.shift_data import Catalogue, to_network
from cradle_models.training.schedule import warmup_cosine

Batch = dict[str, dict[str, Tensor]]


@dataclass
class Normaliser:
    """Per-input standardisation fitted on the simulated training set (applied to every domain)."""

    theta_mean: np.ndarray
    theta_std: np.ndarray
    mean: dict[str, np.ndarray]
    std: dict[str, np.ndarray]

    @staticmethod
    def fit(cat: Catalogue) -> Normaliser:
        y = to_network(cat.theta)
        mean: dict[str, np.ndarray] = {}
        std: dict[str, np.ndarray] = {}
        for name, m in cat.modalities.items():
            ok = m.mask & m.present[:, None]
            v = np.where(ok, m.values, np.nan)
            mean[name] = np.nan_to_num(np.nanmean(v, axis=0))
            std[name] = np.nan_to_num(np.nanstd(v, axis=0), nan=1.0) + 1e-6
        return Normaliser(y.mean(axis=0), y.std(axis=0), mean, std)

    def theta(self, cat: Catalogue) -> Tensor:
        return torch.as_tensor(
            (to_network(cat.theta) - self.theta_mean) / self.theta_std, dtype=torch.float32
        )

    def theta_physical(self, z: np.ndarray) -> np.ndarray:
        """Standardised network θ → transformed θ (log age, log M, log d, log(A_V + 0.05))."""
        return z * self.theta_std + self.theta_mean

    def batch(self, cat: Catalogue) -> Batch:
        out: Batch = {}
        for name, m in cat.modalities.items():
            ok = m.mask & m.present[:, None]
            values = np.where(ok, (m.values - self.mean[name]) / self.std[name], 0.0)
            errors = np.where(ok, m.errors / self.std[name], 0.0)
            out[name] = {
                "values": torch.as_tensor(values, dtype=torch.float32),
                "errors": torch.as_tensor(errors, dtype=torch.float32),
                "mask": torch.as_tensor(ok),
                "present": torch.as_tensor(m.present),
            }
        return out


def specs_of(cat: Catalogue, n_tokens: int = 2) -> list[ModalitySpec]:
    return [ModalitySpec(name, m.values.shape[1], n_tokens) for name, m in cat.modalities.items()]


def take(batch: Batch, rows: Tensor) -> Batch:
    return {k: {f: t[rows] for f, t in d.items()} for k, d in batch.items()}


def concat(a: Batch, b: Batch) -> Batch:
    return {k: {f: torch.cat([a[k][f], b[k][f]]) for f in a[k]} for k in a}


@dataclass
class Data:
    sim: Batch
    theta: Tensor
    real: Batch
    pairs_sim: Batch
    pairs_real: Batch


def prepare(
    norm: Normaliser, sim: Catalogue, real: Catalogue, pairs_sim: Catalogue, pairs_real: Catalogue
) -> Data:
    return Data(
        norm.batch(sim), norm.theta(sim), norm.batch(real), norm.batch(pairs_sim), norm.batch(pairs_real)
    )


def _present(batch: Batch) -> dict[str, Tensor]:
    return {k: d["present"] for k, d in batch.items()}


def _contrastive(model: DASimformer, batch: Batch, domain: str, temperature: float) -> Tensor:
    _, _, per = model.encoders(domain)(batch)
    present = _present(batch)
    return contrastive_loss(per, present, pooled_embedding(per, present), SPECTRA, temperature)


def pair_loss(
    zs: dict[str, Tensor], zr: dict[str, Tensor], ps: dict[str, Tensor], pr: dict[str, Tensor]
) -> Tensor:
    """L_R−S: per modality both twins have, ‖z_s − z_r‖² of the twins over the mean ‖z_s,i − z_r,j‖² of all
    cross pairs (detached), averaged over modalities."""
    losses: list[Tensor] = []
    for name in zs:
        both = ps[name] & pr[name]
        if int(both.sum()) < 1:
            continue
        a = zs[name][both].flatten(1)
        b = zr[name][both].flatten(1)
        scale = (
            (torch.cdist(a, b) ** 2).detach().mean().clamp(min=1e-12) if a.shape[0] > 1 else torch.ones(())
        )
        losses.append(((a - b) ** 2).sum(dim=1).mean() / scale)
    if not losses:
        return torch.zeros(())
    return torch.stack(losses).mean()


class DATrainer:
    def __init__(self, config: DATrainConfig, model: DASimformer, data: Data) -> None:
        self.config = config
        self.model = model
        self.data = data
        self.gen = torch.Generator().manual_seed(config.seed)
        self.log: list[dict[str, float]] = []
        self.seconds = 0.0

    def _rows(self, n: int, k: int) -> Tensor:
        if n == 0:
            return torch.zeros(0, dtype=torch.int64)
        return torch.randint(0, n, (min(k, n),), generator=self.gen)

    def _optimiser(self, lr: float) -> torch.optim.Optimizer:
        return torch.optim.AdamW(
            self.model.parameters(), lr=lr, weight_decay=self.config.schedule.weight_decay
        )

    def _fm(self) -> tuple[Tensor, Batch]:
        s = self.config.sampler
        rows = self._rows(self.data.theta.shape[0], s.sim_batch)
        batch = take(self.data.sim, rows)
        tokens, valid, _ = self.model.sim_encoders(batch)
        return self.model.flow_matching_loss(self.data.theta[rows], tokens, valid, self.gen), batch

    def pretrain(self) -> None:
        sch = self.config.schedule
        opt = self._optimiser(sch.lr)
        t0 = time.perf_counter()
        for step in range(sch.pretrain):
            for group in opt.param_groups:
                group["lr"] = sch.lr * warmup_cosine(step, sch.warmup, sch.pretrain)
            fm, batch = self._fm()
            lc = _contrastive(self.model, batch, "sim", self.config.weights.temperature)
            loss = fm + self.config.weights.contrastive * lc
            opt.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), sch.clip)
            opt.step()
            if step % 100 == 0 or step == sch.pretrain - 1:
                self.log.append({"phase": 0, "step": step, "fm": fm.item(), "contrastive": lc.item()})
        self.seconds += time.perf_counter() - t0

    def adapt(self) -> None:
        cfg = self.config
        method = cfg.method
        if method == "kpg" and next(iter(self.data.pairs_sim.values()))["present"].shape[0] == 0:
            raise ValueError("keypoint-guided OT needs sim-real pairs as keypoints; these data have none")
        if method in ("ot", "kpg"):
            self.model.split_real_branch()
        sch, w, s = cfg.schedule, cfg.weights, cfg.sampler
        opt = self._optimiser(sch.adapt_lr)
        names = [spec.name for spec in self.model.specs]
        t0 = time.perf_counter()
        for step in range(sch.adapt):
            for group in opt.param_groups:
                group["lr"] = sch.adapt_lr * warmup_cosine(step, sch.warmup, sch.adapt)
            ramp = sch.ramp_factor(step)
            fm, batch = self._fm()
            terms: dict[str, Tensor] = {"fm": fm}
            terms["contrastive"] = _contrastive(self.model, batch, "sim", w.temperature)
            loss = fm + w.contrastive * terms["contrastive"]
            if method != "none":
                real_rows = self._rows(next(iter(self.data.real.values()))["present"].shape[0], s.real_batch)
                real = take(self.data.real, real_rows)
                terms["contrastive_real"] = _contrastive(self.model, real, "real", w.temperature)
                loss = loss + ramp * w.contrastive * terms["contrastive_real"]
            if method in ("ot", "kpg"):
                n_pairs = next(iter(self.data.pairs_sim.values()))["present"].shape[0]
                prow = self._rows(n_pairs, s.pairs_per_batch)
                ps, pr = take(self.data.pairs_sim, prow), take(self.data.pairs_real, prow)
                k = min(
                    s.ot_batch, batch[PHOTOMETRY]["present"].shape[0], real[PHOTOMETRY]["present"].shape[0]
                )
                sim_ot = concat(ps, take(batch, torch.arange(k)))
                real_ot = concat(pr, take(real, torch.arange(k)))
                _, _, zs = self.model.encoders("sim")(sim_ot)
                _, _, zr = self.model.encoders("real")(real_ot)
                modality = [names[step % len(names)]]
                ot_terms: list[Tensor] = []
                for name in modality:
                    keep_s = sim_ot[name]["present"]
                    keep_r = real_ot[name]["present"]
                    if int(keep_s.sum()) < 4 or int(keep_r.sum()) < 4:
                        continue
                    a = zs[name][keep_s].flatten(1)
                    b = zr[name][keep_r].flatten(1)
                    if method == "ot":
                        ot_terms.append(gw_alignment_loss(a, b, cfg.gw)[0])
                    else:
                        ot_terms.append(
                            kpg_alignment_loss(a, b, _keypoints(keep_s, keep_r, prow.shape[0]), cfg.kpg)[0]
                        )
                if ot_terms:
                    terms["ot"] = torch.stack(ot_terms).mean()
                    loss = loss + ramp * w.ot * terms["ot"]
                _, _, pzs = self.model.encoders("sim")(ps)
                _, _, pzr = self.model.encoders("real")(pr)
                terms["pair"] = pair_loss(pzs, pzr, _present(ps), _present(pr))
                loss = loss + ramp * w.pair * terms["pair"]
            opt.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), sch.clip)
            opt.step()
            if step % 100 == 0 or step == sch.adapt - 1:
                self.log.append({"phase": 1, "step": step, **{k: v.item() for k, v in terms.items()}})
        self.seconds += time.perf_counter() - t0


def _keypoints(keep_s: Tensor, keep_r: Tensor, n_pairs: int) -> Tensor:
    """(source, target) indices of the pairs after each side dropped the stars lacking the modality:
    pair i sits at row i of both minibatches."""
    pos_s = torch.cumsum(keep_s.to(torch.int64), 0) - 1
    pos_r = torch.cumsum(keep_r.to(torch.int64), 0) - 1
    both = keep_s[:n_pairs] & keep_r[:n_pairs]
    idx = torch.arange(n_pairs)[both]
    return torch.stack([pos_s[idx], pos_r[idx]], dim=1)


def clone(model: DASimformer) -> DASimformer:
    return copy.deepcopy(model)
