"""ONNX export of the modality encoders (one graph per modality, opset 17, dynamic batch), the files the
app runs before the Simformer; and the check that ONNX Runtime gives what PyTorch gives.

Graph inputs: ``values``, ``errors`` (float32 [batch, P]) and ``mask`` (bool [batch, P]); output
``tokens`` (float32 [batch, n_tokens, width]), already carrying the modality embedding.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from torch import Tensor, nn

from cradle_models.adaptation.encoders import ModalityEncoders

OPSET = 17


class _OneModality(nn.Module):
    def __init__(self, encoders: ModalityEncoders, name: str) -> None:
        super().__init__()
        self.encoders = encoders
        self.name = name

    def forward(self, values: Tensor, errors: Tensor, mask: Tensor) -> Tensor:
        return self.encoders.encode(self.name, values, errors, mask)


def graph_file(name: str) -> str:
    return f"encoder-{name.replace('.', '-')}.onnx"


def export_encoders(encoders: ModalityEncoders, out_dir: Path) -> dict[str, object]:
    """Write one ONNX graph per modality (atomically) and return their description for the model card."""
    out_dir.mkdir(parents=True, exist_ok=True)
    graphs: dict[str, object] = {}
    encoders.eval()
    for spec in encoders.specs:
        p = spec.n_inputs
        args = (torch.zeros(2, p), torch.zeros(2, p), torch.ones(2, p, dtype=torch.bool))
        target = out_dir / graph_file(spec.name)
        fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".onnx.tmp")
        os.close(fd)
        torch.onnx.export(
            _OneModality(encoders, spec.name),
            args,
            tmp,
            input_names=["values", "errors", "mask"],
            output_names=["tokens"],
            dynamic_axes={
                "values": {0: "batch"},
                "errors": {0: "batch"},
                "mask": {0: "batch"},
                "tokens": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the model folder is read by the app's user
        os.replace(tmp, target)
        graphs[spec.name] = {
            "file": target.name,
            "inputs": [
                {"name": "values", "dtype": "float32", "shape": ["batch", p]},
                {"name": "errors", "dtype": "float32", "shape": ["batch", p]},
                {"name": "mask", "dtype": "bool", "shape": ["batch", p]},
            ],
            "outputs": [
                {"name": "tokens", "dtype": "float32", "shape": ["batch", spec.n_tokens, encoders.width]}
            ],
        }
    encoders.train()
    return {"opset": OPSET, "encoders": graphs}


def parity(encoders: ModalityEncoders, out_dir: Path, batch: int = 5, seed: int = 0) -> float:
    """Largest |ONNX − PyTorch| over all modality graphs on random inputs with random masks."""
    rng = np.random.default_rng(seed)
    worst = 0.0
    encoders.eval()
    for spec in encoders.specs:
        p = spec.n_inputs
        values = rng.normal(size=(batch, p)).astype(np.float32)
        errors = np.abs(rng.normal(size=(batch, p))).astype(np.float32)
        mask = rng.random((batch, p)) > 0.3
        session = ort.InferenceSession(
            str(out_dir / graph_file(spec.name)), providers=["CPUExecutionProvider"]
        )
        (got,) = session.run(None, {"values": values, "errors": errors, "mask": mask})
        with torch.no_grad():
            want = encoders.encode(
                spec.name, torch.from_numpy(values), torch.from_numpy(errors), torch.from_numpy(mask)
            )
        worst = max(worst, float(np.max(np.abs(np.asarray(got) - want.numpy()))))
    encoders.train()
    return worst


def write_text(path: Path, text: str) -> None:
    """``text`` into ``path`` whole or not at all (written beside it, then moved into place)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def write_json(path: Path, data: object) -> None:
    write_text(path, json.dumps(data, indent=2, allow_nan=False) + "\n")


def progress(message: str) -> None:
    """A time-stamped progress line on stderr (the reports print their tables on stdout)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
