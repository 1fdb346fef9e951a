"""Building blocks: multi-head attention with an additive mask, pre-LN and adaptive-LN blocks.

Attention is written out (matmul + mask + softmax) rather than through ``scaled_dot_product_attention``
so the ONNX graphs are plain MatMul/Add/Softmax with the additive float mask as an input, and the
TypeScript engine's parity with PyTorch is exact to float rounding.
Adaptive LayerNorm with zero-initialised gates follows DiT (Peebles & Xie 2023, "adaLN-Zero").
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


def split_heads(x: Tensor, heads: int) -> Tensor:
    b, n, w = x.shape
    return x.reshape(b, n, heads, w // heads).transpose(1, 2)


def merge_heads(x: Tensor) -> Tensor:
    b, h, n, d = x.shape
    return x.transpose(1, 2).reshape(b, n, h * d)


def attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor) -> Tensor:
    """q [B,H,Nq,d], k/v [B,H,Nk,d], mask [B,Nq,Nk] additive → [B,H,Nq,d]."""
    scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(q.shape[-1]))
    weights = torch.softmax(scores + mask.unsqueeze(1), dim=-1)
    return torch.matmul(weights, v)


class MLP(nn.Module):
    def __init__(self, width: int, ratio: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(width, width * ratio)
        self.fc2 = nn.Linear(width * ratio, width)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(nn.functional.gelu(self.fc1(x)))


class ContextBlock(nn.Module):
    """Pre-LN transformer block over the observed tokens (no time input)."""

    def __init__(self, width: int, heads: int, mlp_ratio: int) -> None:
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width)
        self.mlp = MLP(width, mlp_ratio)

    def forward(self, h: Tensor, mask: Tensor) -> Tensor:
        q, k, v = self.qkv(self.norm1(h)).chunk(3, dim=-1)
        a = attend(split_heads(q, self.heads), split_heads(k, self.heads), split_heads(v, self.heads), mask)
        h = h + self.proj(merge_heads(a))
        return h + self.mlp(self.norm2(h))


class VelocityBlock(nn.Module):
    """Pre-LN block over the latent tokens, time-conditioned by adaptive LayerNorm.

    Queries are the latent tokens; keys/values are the latent tokens themselves followed by this
    layer's cached projection of the context (``context_kv``), computed once per star by
    :meth:`context_keys_values`.
    """

    def __init__(self, width: int, heads: int, mlp_ratio: int) -> None:
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(width, elementwise_affine=False)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width, elementwise_affine=False)
        self.mlp = MLP(width, mlp_ratio)
        self.modulation = nn.Linear(width, 6 * width)
        nn.init.zeros_(self.modulation.weight)
        nn.init.zeros_(self.modulation.bias)
        self.context_norm = nn.LayerNorm(width)
        self.context_kv = nn.Linear(width, 2 * width)

    def context_keys_values(self, context: Tensor) -> Tensor:
        """Context embeddings [B, Nc, W] → this layer's keys and values [B, 2, Nc, W]."""
        k, v = self.context_kv(self.context_norm(context)).chunk(2, dim=-1)
        return torch.stack([k, v], dim=1)

    def forward(self, h: Tensor, time: Tensor, context_kv: Tensor, mask: Tensor) -> Tensor:
        shift1, scale1, gate1, shift2, scale2, gate2 = self.modulation(time).unsqueeze(1).chunk(6, dim=-1)
        x = self.norm1(h) * (1.0 + scale1) + shift1
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        keys = torch.cat([k, context_kv[:, 0]], dim=1)
        vals = torch.cat([v, context_kv[:, 1]], dim=1)
        a = attend(
            split_heads(q, self.heads), split_heads(keys, self.heads), split_heads(vals, self.heads), mask
        )
        h = h + gate1 * self.proj(merge_heads(a))
        x = self.norm2(h) * (1.0 + scale2) + shift2
        return h + gate2 * self.mlp(x)


class TimeEmbedding(nn.Module):
    """Sinusoidal features of t ∈ [0, 1] (Vaswani et al. 2017, scaled by 1000) and an MLP."""

    def __init__(self, width: int, features: int = 64) -> None:
        super().__init__()
        half = features // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        self.freqs: Tensor
        self.register_buffer("freqs", freqs, persistent=False)
        self.mlp = nn.Sequential(nn.Linear(features, width), nn.SiLU(), nn.Linear(width, width))

    def forward(self, t: Tensor) -> Tensor:
        arg = (1000.0 * t).unsqueeze(-1) * self.freqs
        return self.mlp(torch.cat([torch.sin(arg), torch.cos(arg)], dim=-1))
