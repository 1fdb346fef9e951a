"""Keypoint-guided optimal transport (Gu, Yang, Sun & Xu 2022, "Keypoint-guided optimal transport with
applications in heterogeneous domain adaptation", NeurIPS 35; their KPG-RL model, sec. 3).

Keypoints are index pairs (i_k, j_k): a simulated star and its real twin (science doc, section III: the
sim–real pairs). Gu et al.:
- the **mask** M (their eq. 4): M_ij = 1 if (i, j) is a keypoint pair, or if neither i is a source
  keypoint nor j a target keypoint; 0 otherwise. The plan is restricted to M ⊙ π, so each keypoint is
  transported to its partner only (keypoints "keep their matches");
- **relation vectors** (their eq. 5): R^s_i = softmax_k(−d(x_i, x_{i_k}) / ρ) over the source keypoints,
  R^t_j likewise over the target keypoints, each computed *within* its own domain, so the two domains need
  not be comparable point by point;
- the **guiding cost** (their eq. 6): G_ij = JS(R^s_i ‖ R^t_j), the Jensen–Shannon divergence;
- KPG-RL: min_{π ∈ Π(p, q)} ⟨M ⊙ π, G⟩; adding the ordinary cost C with weight β (their KPG-RL-KP
  combination, sec. 3.3) gives ⟨M ⊙ π, G + βC⟩.
The entropic version (their sec. 3.4) is Sinkhorn with the kernel M ⊙ exp(−cost/ε), here in the log
domain so that small ε stays finite; ``exact_plan`` solves the same masked problem as a linear program
(POT's network simplex, with masked entries priced out) for tests and small problems.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import ot
import torch
from torch import Tensor

_OUT = 1e6  # cost of a masked entry in the exact (LP) solution: far above any feasible plan's cost


@dataclass(frozen=True)
class KPGSettings:
    rho: float = 0.5  # relation-vector temperature, in units of the mean keypoint distance
    epsilon: float = 0.02  # entropic regularisation, in units of the cost's mean
    beta: float = 1.0  # weight of the ordinary squared-distance cost next to the guiding cost
    iterations: int = 200


def keypoint_mask(n: int, m: int, keypoints: Tensor) -> Tensor:
    """Gu et al. eq. 4: bool [n, m]. ``keypoints`` is an int tensor [K, 2] of (source, target) indices."""
    mask = torch.ones(n, m, dtype=torch.bool)
    if keypoints.numel() == 0:
        return mask
    src, dst = keypoints[:, 0], keypoints[:, 1]
    mask[src, :] = False
    mask[:, dst] = False
    mask[src, dst] = True
    return mask


def relation_vectors(z: Tensor, anchors: Tensor, rho: float) -> Tensor:
    """Gu et al. eq. 5: softmax over keypoints of −distance / (ρ · mean distance), [n, K]."""
    d = torch.cdist(z, z[anchors])
    scale = d.mean().clamp(min=1e-12)
    return torch.softmax(-d / (rho * scale), dim=1)


def js_divergence(a: Tensor, b: Tensor) -> Tensor:
    """Jensen–Shannon divergence (natural log) between every row of a [n, K] and of b [m, K] → [n, m]."""
    a3 = a.unsqueeze(1).clamp(min=1e-12)
    b3 = b.unsqueeze(0).clamp(min=1e-12)
    mid = 0.5 * (a3 + b3)
    return 0.5 * (a3 * (a3 / mid).log()).sum(-1) + 0.5 * (b3 * (b3 / mid).log()).sum(-1)


def guided_cost(zs: Tensor, zr: Tensor, keypoints: Tensor, settings: KPGSettings) -> Tensor:
    """G + βC: the guiding cost plus β × squared distance (divided by its mean), [n, m]."""
    c = torch.cdist(zs, zr) ** 2
    c = c / c.mean().clamp(min=1e-12)
    if keypoints.numel() == 0:
        return settings.beta * c
    g = js_divergence(
        relation_vectors(zs, keypoints[:, 0], settings.rho),
        relation_vectors(zr, keypoints[:, 1], settings.rho),
    )
    return g + settings.beta * c


def masked_sinkhorn(cost: Tensor, mask: Tensor, epsilon: float, iterations: int) -> Tensor:
    """Entropic plan with uniform marginals and kernel M ⊙ exp(−cost/ε), log-domain Sinkhorn."""
    n, m = cost.shape
    log_p = torch.full((n,), -float(np.log(n)), dtype=cost.dtype)
    log_q = torch.full((m,), -float(np.log(m)), dtype=cost.dtype)
    log_k = torch.where(mask, -cost / epsilon, torch.full_like(cost, -float("inf")))
    f = torch.zeros(n, dtype=cost.dtype)
    g = torch.zeros(m, dtype=cost.dtype)
    for _ in range(iterations):
        f = log_p - torch.logsumexp(log_k + g.unsqueeze(0), dim=1)
        g = log_q - torch.logsumexp(log_k + f.unsqueeze(1), dim=0)
    return torch.exp(log_k + f.unsqueeze(1) + g.unsqueeze(0))


@torch.no_grad()
def kpg_plan(zs: Tensor, zr: Tensor, keypoints: Tensor, settings: KPGSettings) -> Tensor:
    """The entropic KPG-RL plan (no gradient), [n, m]."""
    cost = guided_cost(zs.detach().double().cpu(), zr.detach().double().cpu(), keypoints.cpu(), settings)
    mask = keypoint_mask(zs.shape[0], zr.shape[0], keypoints.cpu())
    eps = settings.epsilon * float(cost[mask].mean())
    plan = masked_sinkhorn(cost, mask, eps, settings.iterations)
    return plan.to(dtype=zs.dtype, device=zs.device)


def exact_plan(cost: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Exact masked OT plan with uniform marginals (network simplex; masked entries priced at _OUT)."""
    n, m = cost.shape
    priced = np.where(mask, cost, _OUT)
    return np.asarray(ot.emd(ot.unif(n), ot.unif(m), priced))


def kpg_alignment_loss(
    zs: Tensor, zr: Tensor, keypoints: Tensor, settings: KPGSettings
) -> tuple[Tensor, Tensor]:
    """(Σ_ij π_ij ‖z_s,i − z_r,j‖² / mean distance, π): the guided plan pulls matched embeddings together;
    differentiated with respect to both sets at the fixed plan."""
    plan = kpg_plan(zs, zr, keypoints, settings)
    c = torch.cdist(zs, zr) ** 2
    return (c / c.detach().mean().clamp(min=1e-12) * plan).sum(), plan
