"""The domain-adapted Simformer: modality encoders in front of cradle_models' split Simformer.

The encoders' tokens *are* the context: they enter the Simformer's context network in place of its
scalar-observable tokens (plus its learned "observed" state vector), and its velocity network runs
unchanged over the latent parameter tokens (science doc, section III, "Final model": Transformer
Diffusion(θ, Z)). Composition, not a fork: the Simformer's blocks, time embedding and head are used as
they are (cradle_models.nets, owned by the Simformer issue).

Two encoder branches: ``sim`` reads simulated stars, ``real`` reads real ones. The real branch starts as
a copy of the simulated one when alignment begins and both keep learning (issue #9: don't freeze either
side); without domain adaptation the real data go through the simulated branch.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from cradle_models.adaptation.encoders import ModalityEncoders, ModalitySpec
from cradle_models.nets.layers import VelocityBlock
from cradle_models.nets.simformer import Simformer, SimformerConfig
from cradle_models.nets.tokenizer import OBSERVED
from cradle_models.nets.tokens import BLOCKED


@dataclass(frozen=True)
class DAModelConfig:
    n_parameters: int
    width: int = 32
    heads: int = 4
    context_layers: int = 1
    velocity_layers: int = 2
    mlp_ratio: int = 2
    encoder_hidden: int = 128


def _additive(allowed: Tensor) -> Tensor:
    return torch.where(allowed, torch.zeros((), dtype=torch.float32), torch.full((), BLOCKED))


class DASimformer(nn.Module):
    def __init__(self, config: DAModelConfig, specs: list[ModalitySpec]) -> None:
        super().__init__()
        self.config = config
        self.specs = list(specs)
        self.simformer = Simformer(
            SimformerConfig(
                n_variables=config.n_parameters,
                width=config.width,
                heads=config.heads,
                context_layers=config.context_layers,
                velocity_layers=config.velocity_layers,
                mlp_ratio=config.mlp_ratio,
            )
        )
        self.sim_encoders = ModalityEncoders(specs, config.width, config.encoder_hidden)
        self.real_encoders: ModalityEncoders | None = None

    def split_real_branch(self) -> None:
        """Give real data their own encoders, starting from the simulated branch's current weights."""
        self.real_encoders = copy.deepcopy(self.sim_encoders)

    def encoders(self, domain: str) -> ModalityEncoders:
        if domain == "real" and self.real_encoders is not None:
            return self.real_encoders
        return self.sim_encoders

    def context_kv(self, tokens: Tensor, valid: Tensor) -> Tensor:
        """Embedding tokens [B, T, W] (valid [B, T]) → the velocity layers' cached keys/values."""
        sf = self.simformer
        h = tokens + sf.tokenizer.state.weight[OBSERVED]
        # The diagonal from a comparison, not torch.eye: ONNX Runtime has no boolean EyeLike on CPU.
        index = torch.arange(tokens.shape[1], device=tokens.device)
        eye = (index.unsqueeze(0) == index.unsqueeze(1)).unsqueeze(0)
        mask = _additive(valid.unsqueeze(1) | eye)
        for block in sf.context_blocks:
            h = block(h, mask)
        h = sf.context_norm(h)
        kv = [
            block.context_keys_values(h) for block in sf.velocity_blocks if isinstance(block, VelocityBlock)
        ]
        return torch.cat(kv, dim=1)

    def latent_mask(self, valid: Tensor) -> Tensor:
        """[B, P, P + T]: latent tokens see each other and the valid context tokens."""
        b, p = valid.shape[0], self.config.n_parameters
        own = torch.ones(b, p, p, dtype=torch.bool, device=valid.device)
        return _additive(torch.cat([own, valid.unsqueeze(1).expand(-1, p, -1)], dim=2))

    def velocity(self, x_t: Tensor, t: Tensor, kv: Tensor, lat_mask: Tensor) -> Tensor:
        """Velocity of the parameter tokens [B, P] at time t [B]."""
        b, p = x_t.shape
        ids = torch.arange(p, device=x_t.device).unsqueeze(0).expand(b, -1)
        return self.simformer.velocity(ids, x_t, torch.zeros_like(x_t), t, kv, lat_mask)

    def flow_matching_loss(
        self, theta: Tensor, tokens: Tensor, valid: Tensor, generator: torch.Generator
    ) -> Tensor:
        """Rectified-path flow matching (cradle_models.losses.flow_matching's path) on θ given the tokens."""
        b = theta.shape[0]
        t = torch.rand(b, generator=generator)
        x0 = torch.randn(theta.shape, generator=generator)
        tt = t.unsqueeze(-1)
        x_t = (1.0 - tt) * x0 + tt * theta
        v = self.velocity(x_t, t, self.context_kv(tokens, valid), self.latent_mask(valid))
        return ((v - (theta - x0)) ** 2).mean()

    @torch.no_grad()
    def sample(
        self,
        tokens: Tensor,
        valid: Tensor,
        samples: int,
        steps: int,
        generator: torch.Generator,
        noise: Tensor | None = None,
    ) -> Tensor:
        """Posterior samples [B, samples, P]: Heun's method on t_k = k/steps (the Simformer's convention),
        from ``noise`` [B, samples, P] when given (the app's parity fixture), else from ``generator``."""
        b = tokens.shape[0]
        kv = self.context_kv(tokens, valid).repeat_interleave(samples, dim=0)
        mask = self.latent_mask(valid).repeat_interleave(samples, dim=0)
        p = self.config.n_parameters
        x = (
            torch.randn(b * samples, p, generator=generator)
            if noise is None
            else noise.reshape(b * samples, p)
        )
        dt = 1.0 / steps
        for k in range(steps):
            t0 = torch.full((x.shape[0],), k * dt)
            v0 = self.velocity(x, t0, kv, mask)
            x1 = x + dt * v0
            v1 = self.velocity(x1, t0 + dt, kv, mask)
            x = x + 0.5 * dt * (v0 + v1)
        return x.view(b, samples, -1)
