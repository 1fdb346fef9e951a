"""The Simformer tokenizer: one token per scalar variable.

Embedding = value (linear) + variable ID (learned) + condition state (observed / latent, learned) + the
observation's own per-star uncertainty (linear in [log err, has err]). Gloeckler et al. 2024, sec. 3.2,
with the uncertainty term added because noise differs star to star.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

OBSERVED = 1
LATENT = 0


class Tokenizer(nn.Module):
    def __init__(self, n_variables: int, width: int) -> None:
        super().__init__()
        self.value = nn.Linear(1, width)
        self.variable = nn.Embedding(n_variables, width)
        self.state = nn.Embedding(2, width)
        self.uncertainty = nn.Linear(2, width)

    def forward(self, ids: Tensor, values: Tensor, errors: Tensor, state: int) -> Tensor:
        """ids [B,N] int64, values/errors [B,N] → tokens [B,N,W]. ``errors`` ≤ 0 means none."""
        has_error = errors > 0
        log_error = torch.where(
            has_error, torch.log(torch.clamp(errors, min=1e-12)), torch.zeros_like(errors)
        )
        err_features = torch.stack([log_error, has_error.to(values.dtype)], dim=-1)
        state_vec = self.state.weight[state]
        return (
            self.value(values.unsqueeze(-1)) + self.variable(ids) + state_vec + self.uncertainty(err_features)
        )
