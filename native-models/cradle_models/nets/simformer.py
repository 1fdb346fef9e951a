"""The split Simformer: a context network run once per star and a velocity network run per ODE step.

Context network: tokenizer (state = observed) + pre-LN transformer over the observed tokens, then each
velocity layer's key/value projection of the result, cached as ``context_kv`` [B, 2L, Nc, W].
Velocity network: tokenizer (state = latent, value = x_t) + L adaLN blocks conditioned on t whose
queries are the latent tokens and whose keys are [latent ; cached context]; a linear head gives one
velocity per latent token. Any variable can be on either side: the split follows each star's condition
mask, not the variable (architecture doc, "The cost of a posterior").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal, cast

import torch
from torch import Tensor, nn

from cradle_models.nets.layers import ContextBlock, TimeEmbedding, VelocityBlock
from cradle_models.nets.tokenizer import LATENT, OBSERVED, Tokenizer
from cradle_models.nets.tokens import TokenSet, attention_masks


@dataclass(frozen=True)
class SimformerConfig:
    n_variables: int
    width: int = 64
    heads: int = 4
    context_layers: int = 2
    velocity_layers: int = 2
    mlp_ratio: int = 2
    # What the head predicts (see ``to_velocity``): "velocity" (v directly) or "data" (x1, turned into
    # v = (x1_hat − x_t) / (1 − t)).
    prediction: Literal["velocity", "data"] = "velocity"

    def to_dict(self) -> dict[str, int | str]:
        return asdict(self)

    @classmethod
    def from_architecture(cls, architecture: Mapping[str, Any]) -> SimformerConfig:
        """The config a model card's ``architecture`` describes; a field the card predates takes its
        default (cards written before ``prediction`` existed are velocity models)."""
        return cls(**{f.name: architecture[f.name] for f in fields(cls) if f.name in architecture})


# Smallest 1 − t a data prediction is divided by. Samplers never evaluate at t = 1 for such models (their
# last step is Euler, which evaluates at its start); the floor only keeps the graph finite there.
DATA_PREDICTION_FLOOR = 1e-4


def to_velocity(prediction: str, head: Tensor, values: Tensor, one_minus_t: Tensor) -> Tensor:
    """The velocity from the head's output. A data prediction x1_hat gives v = (x1_hat − x_t) / (1 − t),
    the rectified path's velocity towards it (Lipman et al. 2024, "Flow Matching Guide and Code", sec.
    4.8). It suits narrow posteriors: there the exact v ≈ (μ − x_t) / (1 − t) grows without bound as
    t → 1 and a velocity head must learn that 1 / (1 − t) scaling of x_t, while x1_hat ≈ μ stays bounded
    and nearly constant in x_t and t. ``one_minus_t`` broadcasts against ``values``."""
    if prediction == "velocity":
        return head
    return (head - values) / one_minus_t.clamp(min=DATA_PREDICTION_FLOOR)


class Simformer(nn.Module):
    def __init__(self, config: SimformerConfig) -> None:
        super().__init__()
        if config.width % config.heads != 0:
            raise ValueError(f"width {config.width} must be a multiple of heads {config.heads}")
        self.config = config
        w = config.width
        self.tokenizer = Tokenizer(config.n_variables, w)
        self.context_blocks = nn.ModuleList(
            [ContextBlock(w, config.heads, config.mlp_ratio) for _ in range(config.context_layers)]
        )
        self.context_norm = nn.LayerNorm(w)
        self.time = TimeEmbedding(w)
        self.velocity_blocks = nn.ModuleList(
            [VelocityBlock(w, config.heads, config.mlp_ratio) for _ in range(config.velocity_layers)]
        )
        self.out_norm = nn.LayerNorm(w, elementwise_affine=False)
        self.out_modulation = nn.Linear(w, 2 * w)
        nn.init.zeros_(self.out_modulation.weight)
        nn.init.zeros_(self.out_modulation.bias)
        self.head = nn.Linear(w, 1)

    def encode(self, ids: Tensor, values: Tensor, errors: Tensor, mask: Tensor) -> Tensor:
        """Observed tokens → cached keys/values for every velocity layer, [B, 2L, Nc, W]."""
        h = self.tokenizer(ids, values, errors, OBSERVED)
        for block in self.context_blocks:
            h = block(h, mask)
        h = self.context_norm(h)
        kv = [cast(VelocityBlock, block).context_keys_values(h) for block in self.velocity_blocks]
        return torch.cat(kv, dim=1)

    def velocity(
        self, ids: Tensor, values: Tensor, errors: Tensor, t: Tensor, context_kv: Tensor, mask: Tensor
    ) -> Tensor:
        """Latent tokens at x_t (ids/values/errors [B, Nl]), t [B], context_kv, mask [B, Nl, Nl+Nc]
        → velocity [B, Nl]."""
        h = self.tokenizer(ids, values, errors, LATENT)
        temb = self.time(t)
        for i, block in enumerate(self.velocity_blocks):
            h = block(h, temb, context_kv[:, 2 * i : 2 * i + 2], mask)
        shift, scale = self.out_modulation(temb).unsqueeze(1).chunk(2, dim=-1)
        out = self.head(self.out_norm(h) * (1.0 + scale) + shift).squeeze(-1)
        return to_velocity(self.config.prediction, out, values, (1.0 - t).unsqueeze(-1))

    def forward(
        self,
        context: TokenSet,
        latent: TokenSet,
        latent_values: Tensor,
        t: Tensor,
        edge_allowed: Tensor | None = None,
    ) -> Tensor:
        """Velocity of the latent tokens at ``latent_values`` (x_t) and time t."""
        ctx_mask, lat_mask = attention_masks(context, latent, edge_allowed)
        kv = self.encode(context.ids, context.values, context.errors, ctx_mask)
        return self.velocity(latent.ids, latent_values, latent.errors, t, kv, lat_mask)


def multiply_adds_per_evaluation(config: SimformerConfig, n_context: int, n_latent: int) -> dict[str, int]:
    """Multiply-adds of the context graph (once per star) and the velocity graph (per ODE step and
    sample), counting the linear layers and attention products (the dominant terms)."""
    w, r = config.width, config.mlp_ratio
    ctx_block = n_context * (3 * w * w + w * w + 2 * r * w * w) + 2 * n_context * n_context * w
    context = config.context_layers * ctx_block + config.velocity_layers * n_context * 2 * w * w
    n_keys = n_latent + n_context
    vel_block = n_latent * (3 * w * w + w * w + 2 * r * w * w) + 2 * n_latent * n_keys * w + 6 * w * w
    velocity = config.velocity_layers * vel_block + 64 * w + w * w + 2 * w * w + n_latent * w
    return {"context": context, "velocity": velocity}
