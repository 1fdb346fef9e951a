"""ONNX export of the split Simformer: a context graph (once per star) and a velocity graph (per step).

Uses the TorchScript-based exporter (``dynamo=False``): it needs no extra package (onnxscript) and
gives plain opset-17 graphs with dynamic batch and token axes. Names and shapes of the graphs' inputs
and outputs are listed in ``GRAPH_SIGNATURES`` and copied into the model card.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import onnx
import torch
from torch import Tensor, nn

from cradle_models.nets.simformer import Simformer

OPSET = 17
CONTEXT_FILE = "context.onnx"
VELOCITY_FILE = "velocity.onnx"

GRAPH_SIGNATURES: dict[str, dict[str, list[dict[str, object]]]] = {
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
            {"name": "latent_values", "dtype": "float32", "shape": ["batch", "n_latent"]},
            {"name": "latent_errors", "dtype": "float32", "shape": ["batch", "n_latent"]},
            {"name": "t", "dtype": "float32", "shape": ["batch"]},
            {"name": "context_kv", "dtype": "float32", "shape": ["batch", "kv_slots", "n_context", "width"]},
            {
                "name": "latent_mask",
                "dtype": "float32",
                "shape": ["batch", "n_latent", "n_latent + n_context"],
            },
        ],
        "outputs": [{"name": "velocity", "dtype": "float32", "shape": ["batch", "n_latent"]}],
    },
}


class ContextGraph(nn.Module):
    def __init__(self, model: Simformer) -> None:
        super().__init__()
        self.model = model

    def forward(self, ids: Tensor, values: Tensor, errors: Tensor, mask: Tensor) -> Tensor:
        return self.model.encode(ids, values, errors, mask)


class VelocityGraph(nn.Module):
    def __init__(self, model: Simformer) -> None:
        super().__init__()
        self.model = model

    def forward(
        self, ids: Tensor, values: Tensor, errors: Tensor, t: Tensor, context_kv: Tensor, mask: Tensor
    ) -> Tensor:
        return self.model.velocity(ids, values, errors, t, context_kv, mask)


def _names(graph: str, key: str) -> list[str]:
    return [str(io["name"]) for io in GRAPH_SIGNATURES[graph][key]]


def _export(module: nn.Module, args: tuple[Tensor, ...], graph: str, path: Path) -> None:
    dynamic: dict[str, dict[int, str]] = {}
    for io in GRAPH_SIGNATURES[graph]["inputs"] + GRAPH_SIGNATURES[graph]["outputs"]:
        shape = io["shape"]
        assert isinstance(shape, list)
        axes = {i: str(s) for i, s in enumerate(shape) if s not in ("kv_slots", "width")}
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
            input_names=_names(graph, "inputs"),
            output_names=_names(graph, "outputs"),
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
        torch.zeros(b, nl),
        torch.zeros(b, nl),
        torch.zeros(b),
        torch.zeros(b, slots, nc, w),
        torch.zeros(b, nl, nl + nc),
    )
    paths = {"context": out_dir / CONTEXT_FILE, "velocity": out_dir / VELOCITY_FILE}
    with torch.no_grad():
        _export(ContextGraph(model), ctx_args, "context", paths["context"])
        _export(VelocityGraph(model), vel_args, "velocity", paths["velocity"])
    return paths
