"""Entropic (fused) Gromov–Wasserstein alignment of simulated and real embeddings on a minibatch
(science doc, section III: "Alignment loss by optimal transport ... Gromov–Wasserstein").

The transport plan T is computed without gradient by POT (Flamary et al. 2021, JMLR 22(78);
``ot.gromov.entropic_gromov_wasserstein`` / ``entropic_fused_gromov_wasserstein``: Peyré, Cuturi &
Solomon 2016, ICML, "Gromov-Wasserstein averaging of kernel and distance matrices", algorithm 1; fused
form Vayer et al. 2019, ICML). The loss is then the (fused) GW objective at that plan, written in torch
so that it is differentiated with respect to both sets of embeddings (envelope theorem: at the optimal
plan, d loss / d Z does not need d T / d Z). With the square loss (Peyré et al. 2016, prop. 1):

    GW(C1, C2, T) = Σ_ij [(C1² p) 1ᵀ + 1 (C2² q)ᵀ − 2 C1 T C2ᵀ]_ij T_ij,

and the fused objective (Vayer et al. 2019, eq. 4) is (1 − α) ⟨M, T⟩ + α GW, with M_ij = ‖z_i − z'_j‖².
α = 1 is pure GW (compares distances within each set only, so the two spaces need not match point by
point); α < 1 adds the point-wise term that makes the two sets of embeddings interchangeable downstream.

Distance matrices are divided by their (detached) mean so ε has the same meaning at every step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import ot
import torch
from torch import Tensor


@dataclass(frozen=True)
class GWSettings:
    epsilon: float = 0.1
    alpha: float = 1.0  # 1: pure Gromov–Wasserstein; < 1: fused with the feature cost M
    max_iter: int = 30
    tol: float = 1e-7


def _normalised_sqdist(a: Tensor, b: Tensor) -> Tensor:
    return torch.cdist(a, b) ** 2


def cost_matrices(zs: Tensor, zr: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """(C_s, C_r, M): squared Euclidean distances within each set and across, each / its detached mean."""
    cs = _normalised_sqdist(zs, zs)
    cr = _normalised_sqdist(zr, zr)
    m = _normalised_sqdist(zs, zr)
    return (
        cs / cs.detach().mean().clamp(min=1e-12),
        cr / cr.detach().mean().clamp(min=1e-12),
        m / m.detach().mean().clamp(min=1e-12),
    )


def gw_plan(cs: Tensor, cr: Tensor, m: Tensor | None, settings: GWSettings) -> Tensor:
    """The entropic (fused) GW plan by POT, uniform marginals, as a constant tensor."""
    c1 = cs.detach().double().cpu().numpy()
    c2 = cr.detach().double().cpu().numpy()
    p = ot.unif(c1.shape[0])
    q = ot.unif(c2.shape[0])
    if settings.alpha >= 1.0 or m is None:
        plan = ot.gromov.entropic_gromov_wasserstein(
            c1,
            c2,
            p,
            q,
            "square_loss",
            epsilon=settings.epsilon,
            max_iter=settings.max_iter,
            tol=settings.tol,
        )
    else:
        plan = ot.gromov.entropic_fused_gromov_wasserstein(
            m.detach().double().cpu().numpy(),
            c1,
            c2,
            p,
            q,
            "square_loss",
            epsilon=settings.epsilon,
            alpha=settings.alpha,
            max_iter=settings.max_iter,
            tol=settings.tol,
        )
    return torch.as_tensor(np.asarray(plan), dtype=cs.dtype, device=cs.device)


def gw_objective(cs: Tensor, cr: Tensor, plan: Tensor) -> Tensor:
    """Square-loss GW objective at a fixed plan (Peyré et al. 2016, prop. 1), differentiable in C_s, C_r."""
    p = plan.sum(dim=1)
    q = plan.sum(dim=0)
    const = (cs**2 @ p).unsqueeze(1) + (cr**2 @ q).unsqueeze(0)
    return ((const - 2.0 * cs @ plan @ cr.T) * plan).sum()


def gw_alignment_loss(zs: Tensor, zr: Tensor, settings: GWSettings) -> tuple[Tensor, Tensor]:
    """(loss, plan) for simulated embeddings ``zs`` [n, d] and real ``zr`` [m, d'] (d' ≠ d only if α = 1)."""
    cs, cr, m = cost_matrices(zs, zr) if zs.shape[1] == zr.shape[1] else (*_within(zs, zr), None)
    plan = gw_plan(cs, cr, m, settings)
    gw = gw_objective(cs, cr, plan)
    if settings.alpha >= 1.0 or m is None:
        return gw, plan
    return (1.0 - settings.alpha) * (m * plan).sum() + settings.alpha * gw, plan


def _within(zs: Tensor, zr: Tensor) -> tuple[Tensor, Tensor]:
    cs = _normalised_sqdist(zs, zs)
    cr = _normalised_sqdist(zr, zr)
    return cs / cs.detach().mean().clamp(min=1e-12), cr / cr.detach().mean().clamp(min=1e-12)
