"""Token sets and attention masks of the split Simformer.

A star is a row of D variables with a *present* mask (the star has this variable at all) and a
*condition* mask (observed, i.e. clamped to data). Present-and-observed variables become **context
tokens**; present-and-latent variables become **latent tokens**; absent variables become no token at all
(they are removed from attention and from the loss, never filled with a number). Rows are padded to the
longest token set of the batch and a validity mask marks real tokens.

Attention masks are additive floats (0 = allowed, ``BLOCKED`` = cut), built from:
- key padding (a query never attends to a padding key);
- the Simformer's edge mask M_E (Gloeckler et al. 2024, sec. 3.3), given either as per-variable *groups*
  (tokens attend only within their group: the block-diagonal cut that gives marginals) or as a dense
  boolean [B, D, D] matrix (allowed[query, key]);
- the diagonal is always allowed, so no attention row is ever fully masked (a fully masked row is NaN in
  ONNX Runtime). The velocity network's keys are [latent tokens ; context tokens], so each latent query
  can always attend to itself even when it may see no context.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

BLOCKED = -1.0e9
"""Additive mask value for a cut edge. Finite so masks survive JSON and float16 (→ -inf) alike."""


@dataclass
class TokenSet:
    """A padded set of tokens, batch-first. All tensors are [B, N]."""

    ids: Tensor  # int64 variable index in the model's variable list
    values: Tensor  # float, network space; 0 at padding (never read through attention)
    errors: Tensor  # float, normalised per-star uncertainty, 0 = none
    valid: Tensor  # bool, real token (not padding)
    groups: Tensor  # int64 M_E group of the token

    def to(self, device: torch.device) -> TokenSet:
        return TokenSet(
            self.ids.to(device),
            self.values.to(device),
            self.errors.to(device),
            self.valid.to(device),
            self.groups.to(device),
        )


def _gather_sorted(
    select: Tensor, values: Tensor, errors: Tensor, groups: Tensor, min_tokens: int
) -> TokenSet:
    """Move the selected variables of each row to the front (stable, keeps variable order), pad."""
    b, d = select.shape
    order = torch.argsort((~select).to(torch.int8), dim=1, stable=True)
    counts = select.sum(dim=1)
    n = max(int(counts.max().item()) if b > 0 else 0, min_tokens)
    if n > d:
        order = torch.cat([order, order[:, :1].expand(b, n - d)], dim=1)
    order = order[:, :n]
    valid = torch.arange(n).unsqueeze(0) < counts.unsqueeze(1)
    vals = torch.gather(values, 1, order)
    errs = torch.gather(errors, 1, order)
    zero = torch.zeros((), dtype=values.dtype)
    return TokenSet(
        ids=torch.where(valid, order, torch.zeros_like(order)),
        values=torch.where(valid, vals, zero),
        errors=torch.where(valid, errs, zero),
        valid=valid,
        groups=torch.where(valid, torch.gather(groups, 1, order), torch.full_like(order, -1)),
    )


def split_tokens(
    values: Tensor,
    errors: Tensor,
    present: Tensor,
    observed: Tensor,
    groups: Tensor | None = None,
) -> tuple[TokenSet, TokenSet]:
    """Split rows of D variables into (context, latent) token sets.

    ``values``/``errors`` may hold NaN where a variable is absent; such entries are never gathered.
    The context set has at least one (padding) token so graph shapes are never empty.
    """
    if groups is None:
        groups = torch.zeros_like(present, dtype=torch.int64)
    obs = present & observed
    lat = present & ~observed
    context = _gather_sorted(obs, values, errors, groups, min_tokens=1)
    latent = _gather_sorted(lat, values, errors, groups, min_tokens=1)
    return context, latent


def _allowed_to_additive(allowed: Tensor) -> Tensor:
    return torch.where(allowed, torch.zeros((), dtype=torch.float32), torch.full((), BLOCKED))


def attention_masks(
    context: TokenSet, latent: TokenSet, edge_allowed: Tensor | None = None
) -> tuple[Tensor, Tensor]:
    """Additive masks: context self-attention [B, Nc, Nc] and latent attention [B, Nl, Nl + Nc].

    ``edge_allowed`` is an optional dense M_E [B, D, D] (True = query may attend to key) over the model's
    variables; without it, the token groups define M_E (same group ⇒ allowed).
    """
    nc = context.ids.shape[1]
    nl = latent.ids.shape[1]

    def allowed(q: TokenSet, k: TokenSet) -> Tensor:
        if edge_allowed is None:
            same = q.groups.unsqueeze(2) == k.groups.unsqueeze(1)
        else:
            rows = torch.gather(edge_allowed, 1, q.ids.unsqueeze(2).expand(-1, -1, edge_allowed.shape[2]))
            same = torch.gather(rows, 2, k.ids.unsqueeze(1).expand(-1, q.ids.shape[1], -1))
        return same & k.valid.unsqueeze(1)

    eye_c = torch.eye(nc, dtype=torch.bool).unsqueeze(0)
    ctx = allowed(context, context) | eye_c
    eye_l = torch.eye(nl, dtype=torch.bool).unsqueeze(0)
    lat_self = allowed(latent, latent) | eye_l
    lat_ctx = allowed(latent, context)
    return _allowed_to_additive(ctx), _allowed_to_additive(torch.cat([lat_self, lat_ctx], dim=2))
