"""ONNX export of the split Simformer: a context graph (once per star) and a velocity graph (per step).

Uses the TorchScript-based exporter (``dynamo=False``): it needs no extra package (onnxscript) and
gives plain opset-17 graphs with dynamic star, sample and token axes. Names and shapes of the graphs'
inputs and outputs are listed in ``GRAPH_SIGNATURES`` and copied into the model card.

The velocity graph takes each star's tokens, mask, time and cached context once and the latent values
of its S samples as ``[stars, samples, n_latent]``: the per-star work (token ids and errors, time
embedding, adaLN modulation, the context's keys/values) is broadcast over the samples inside the graph
instead of being copied S times by the caller. ``VelocityGraph`` is ``Simformer.velocity`` rewritten
for that layout (checked against it by tests/test_export_parity.py): linear layers run on 2-D row
blocks (one Gemm with bias each), latent-latent attention is a batched matrix product per (star,
sample, head), and latent-context attention is one matrix product per star over all its samples.
Measured on cradle-small (5 latent tokens; 64 stars × 48 samples, 11 context tokens, one thread): the
batched latent-latent products take 73 ms per evaluation in ONNX Runtime against 92 ms for the earlier
form (elementwise products summed per head, which wrote [B, S, Nl, Nl, W] tensors twice per layer);
PyTorch gains more from the change (104 → 68 ms). The per-row layout with the context copied per row
was slower than both (toy model: 52 ms against 35 ms).
"""

from __future__ import annotations

import math
import os
import warnings
from pathlib import Path
from typing import cast

import onnx
import torch
from torch import Tensor, nn

from cradle_models.nets.layers import VelocityBlock
from cradle_models.nets.simformer import Simformer, to_velocity
from cradle_models.nets.tokenizer import LATENT

OPSET = 17
CONTEXT_FILE = "context.onnx"
VELOCITY_FILE = "velocity.onnx"

# A graph's inputs and outputs: name, dtype and shape (axis names; "kv_slots" and "width" are fixed).
Signature = dict[str, list[dict[str, object]]]

GRAPH_SIGNATURES: dict[str, Signature] = {
    "context": {
        "inputs": [
            {"name": "context_ids", "dtype": "int64", "shape": ["batch", "n_context"]},
            {"name": "context_values", "dtype": "float32", "shape": ["batch", "n_context"]},
            {"name": "context_errors", "dtype": "float32", "shape": ["batch", "n_context"]},
            {"name": "context_mask", "dtype": "float32", "shape": ["batch", "n_context", "n_context"]},
        ],
        "outputs": [
            {"name": "context_kv", "dtype": "float32", "shape": ["batch", "kv_slots", "n_context", "width"]},
        ],
    },
    "velocity": {
        "inputs": [
            {"name": "latent_ids", "dtype": "int64", "shape": ["batch", "n_latent"]},
            {"name": "latent_values", "dtype": "float32", "shape": ["batch", "samples", "n_latent"]},
            {"name": "latent_errors", "dtype": "float32", "shape": ["batch", "n_latent"]},
            {"name": "t", "dtype": "float32", "shape": ["batch"]},
            {"name": "context_kv", "dtype": "float32", "shape": ["batch", "kv_slots", "n_context", "width"]},
            {
                "name": "latent_mask",
                "dtype": "float32",
                "shape": ["batch", "n_latent", "n_latent + n_context"],
            },
        ],
        "outputs": [{"name": "velocity", "dtype": "float32", "shape": ["batch", "samples", "n_latent"]}],
    },
}


class ContextGraph(nn.Module):
    def __init__(self, model: Simformer) -> None:
        super().__init__()
        self.model = model

    def forward(self, ids: Tensor, values: Tensor, errors: Tensor, mask: Tensor) -> Tensor:
        return self.model.encode(ids, values, errors, mask)


def _linear(layer: nn.Linear, x: Tensor) -> Tensor:
    """``layer(x)`` on the rows of x flattened to 2-D, so the export is one Gemm with its bias."""
    out = nn.functional.linear(x.reshape(-1, x.shape[-1]), layer.weight, layer.bias)
    return out.reshape(*x.shape[:-1], layer.weight.shape[0])


class VelocityGraph(nn.Module):
    """``Simformer.velocity`` for S samples per star: ids/errors [B, Nl], values [B, S, Nl], t [B],
    context_kv [B, 2L, Nc, W], mask [B, Nl, Nl + Nc] → velocity [B, S, Nl]."""

    def __init__(self, model: Simformer) -> None:
        super().__init__()
        self.model = model
        w, heads = model.config.width, model.config.heads
        # head_of[h, w] = 1 where feature w belongs to head h: per-head sums as products.
        head_of = (torch.arange(w) // (w // heads)).unsqueeze(0) == torch.arange(heads).unsqueeze(1)
        self.head_of: Tensor
        self.register_buffer("head_of", head_of.to(torch.float32), persistent=False)

    def _attend(
        self, q: Tensor, k: Tensor, v: Tensor, context_k: Tensor, context_v: Tensor, mask: Tensor
    ) -> Tensor:
        """q/k/v [B, S, Nl, W] of the latent tokens, context keys/values [B, Nc, W] → [B, S, Nl, W]."""
        b, s, nl, w = q.shape
        nc = context_k.shape[1]
        heads = self.head_of.shape[0]
        d = w // heads
        scale = 1.0 / math.sqrt(d)
        # Latent keys: one batched product per (star, sample, head), scores [B, S, H, Nl, Nl].
        qh, kh, vh = (x.reshape(b, s, nl, heads, d).transpose(2, 3) for x in (q, k, v))
        own = torch.matmul(qh, kh.transpose(-1, -2)) * scale
        # Context keys, per head: one [S·Nl, W] × [W, H·Nc] product per star.
        per_head_k = (context_k.unsqueeze(1) * self.head_of[None, :, None, :]).reshape(b, heads * nc, w)
        ctx = torch.matmul(q.reshape(b, s * nl, w), per_head_k.transpose(1, 2))
        ctx = ctx.reshape(b, s, nl, heads, nc).transpose(2, 3) * scale
        weights = torch.softmax(torch.cat([own, ctx], dim=-1) + mask[:, None, None, :, :], dim=-1)
        w_own, w_ctx = weights[..., :nl], weights[..., nl:]
        out_own = torch.matmul(w_own, vh).transpose(2, 3).reshape(b, s, nl, w)
        per_head_v = (context_v.unsqueeze(1) * self.head_of[None, :, None, :]).reshape(b, heads * nc, w)
        out_ctx = torch.matmul(w_ctx.transpose(2, 3).reshape(b, s * nl, heads * nc), per_head_v)
        return out_own + out_ctx.reshape(b, s, nl, w)

    def _block(self, block: VelocityBlock, h: Tensor, time: Tensor, kv: Tensor, mask: Tensor) -> Tensor:
        """``VelocityBlock.forward`` with the modulation [B, 6W] broadcast over samples and tokens."""
        shift1, scale1, gate1, shift2, scale2, gate2 = block.modulation(time)[:, None, None, :].chunk(
            6, dim=-1
        )
        x = block.norm1(h) * (1.0 + scale1) + shift1
        q, k, v = _linear(block.qkv, x).chunk(3, dim=-1)
        h = h + gate1 * _linear(block.proj, self._attend(q, k, v, kv[:, 0], kv[:, 1], mask))
        x = block.norm2(h) * (1.0 + scale2) + shift2
        return h + gate2 * _linear(block.mlp.fc2, nn.functional.gelu(_linear(block.mlp.fc1, x)))

    def forward(
        self, ids: Tensor, values: Tensor, errors: Tensor, t: Tensor, context_kv: Tensor, mask: Tensor
    ) -> Tensor:
        m = self.model
        # The tokenizer's per-star part (value 0), plus the value embedding of each sample.
        static = m.tokenizer(ids, torch.zeros_like(errors), errors, LATENT)
        h = static.unsqueeze(1) + values.unsqueeze(-1) * m.tokenizer.value.weight[:, 0]
        time = m.time(t)
        for i, block in enumerate(m.velocity_blocks):
            h = self._block(cast(VelocityBlock, block), h, time, context_kv[:, 2 * i : 2 * i + 2], mask)
        shift, scale = m.out_modulation(time)[:, None, None, :].chunk(2, dim=-1)
        out = _linear(m.head, m.out_norm(h) * (1.0 + scale) + shift).squeeze(-1)
        return to_velocity(m.config.prediction, out, values, (1.0 - t)[:, None, None])


def export_graph(module: nn.Module, args: tuple[Tensor, ...], signature: Signature, path: Path) -> None:
    """Trace ``module`` on ``args`` into ``path`` (atomically) with the names and axes of ``signature``."""
    dynamic: dict[str, dict[int, str]] = {}
    for io in signature["inputs"] + signature["outputs"]:
        shape = io["shape"]
        assert isinstance(shape, list)
        axes = {i: str(a) for i, a in enumerate(shape) if a not in ("kv_slots", "width")}
        # ONNX needs one symbol per axis: name the concatenated key axis distinctly.
        dynamic[str(io["name"])] = {i: s.replace(" + ", "_plus_") for i, s in axes.items()}
    tmp = path.with_name(path.name + ".tmp")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            args,
            str(tmp),
            dynamo=False,
            opset_version=OPSET,
            input_names=[str(io["name"]) for io in signature["inputs"]],
            output_names=[str(io["name"]) for io in signature["outputs"]],
            dynamic_axes=dynamic,
            do_constant_folding=True,
        )
    onnx.checker.check_model(onnx.load(str(tmp)))
    os.replace(tmp, path)


def export_onnx(model: Simformer, out_dir: Path) -> dict[str, Path]:
    """Write ``context.onnx`` and ``velocity.onnx`` for ``model`` (in eval mode) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    b, nc, nl = 2, 3, 2
    w = model.config.width
    slots = 2 * model.config.velocity_layers
    ctx_args = (
        torch.zeros(b, nc, dtype=torch.int64),
        torch.zeros(b, nc),
        torch.zeros(b, nc),
        torch.zeros(b, nc, nc),
    )
    vel_args = (
        torch.zeros(b, nl, dtype=torch.int64),
        torch.zeros(b, 3, nl),
        torch.zeros(b, nl),
        torch.zeros(b),
        torch.zeros(b, slots, nc, w),
        torch.zeros(b, nl, nl + nc),
    )
    paths = {"context": out_dir / CONTEXT_FILE, "velocity": out_dir / VELOCITY_FILE}
    with torch.no_grad():
        export_graph(ContextGraph(model), ctx_args, GRAPH_SIGNATURES["context"], paths["context"])
        export_graph(VelocityGraph(model), vel_args, GRAPH_SIGNATURES["velocity"], paths["velocity"])
    return paths
