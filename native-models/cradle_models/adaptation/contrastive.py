"""InfoNCE between each spectrum's embedding and the star's pooled embedding (science doc, section III:
"Contrastive loss between each spectrum's Z and the mean-pooled Z of the star"; van den Oord et al. 2018,
arXiv:1807.03748, eq. 4, in the symmetric form of CLIP, Radford et al. 2021, fig. 3).

For a spectral modality m and the stars of the batch that have it, the positives are (Z_m of star i,
Z_pool of star i) and the negatives Z_pool of the other stars; cosine similarity over a temperature τ.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def info_nce(anchor: Tensor, positive: Tensor, temperature: float = 0.1) -> Tensor:
    """Symmetric InfoNCE of matched rows of ``anchor`` and ``positive`` [N, W] (scalar; 0 for N < 2)."""
    if anchor.shape[0] < 2:
        return anchor.sum() * 0.0
    a = F.normalize(anchor, dim=-1)
    p = F.normalize(positive, dim=-1)
    logits = a @ p.T / temperature
    target = torch.arange(a.shape[0], device=a.device)
    return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))


def contrastive_loss(
    per: dict[str, Tensor],
    present: dict[str, Tensor],
    pooled: Tensor,
    spectra: tuple[str, ...],
    temperature: float = 0.1,
) -> Tensor:
    """Mean over the spectral modalities present in the batch of InfoNCE(Z_m, Z_pool)."""
    losses: list[Tensor] = []
    for name in spectra:
        if name not in per:
            continue
        rows = present[name]
        if int(rows.sum()) < 2:
            continue
        losses.append(info_nce(per[name][rows].mean(dim=1), pooled[rows], temperature))
    if not losses:
        return pooled.sum() * 0.0
    return torch.stack(losses).mean()
