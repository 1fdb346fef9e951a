"""Benchmark models: a Simformer with random weights at a preset's size, exported with cradle_models'
own graph and card code, with the sampler defaults (solver, steps, samples, time grid) of the shipped
default model's card (models/cradle-small) and the preset's head (velocity or data prediction), plus its
PyTorch weights for the PyTorch peer. Random weights cost the same as trained
ones.

    python make_model.py OUT_DIR {tiny|small} N_PARAMETERS N_OBSERVABLES
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "native-models"))

from cradle_models.export.card import build_card, read_card, write_card
from cradle_models.export.graphs import export_onnx
from cradle_models.nets.simformer import Simformer, SimformerConfig
from cradle_models.training.config import preset
from cradle_models.variables import Variable


def main() -> int:
    out, size, n_params, n_obs = (
        Path(sys.argv[1]),
        sys.argv[2],
        int(sys.argv[3]),
        int(sys.argv[4]),
    )
    m = preset(size).model
    variables = [Variable(f"p{i}", "parameter") for i in range(n_params)] + [
        Variable(f"o{i}", "observable", survey="bench") for i in range(n_obs)
    ]
    config = SimformerConfig(
        n_variables=len(variables),
        width=m.width,
        heads=m.heads,
        context_layers=m.context_layers,
        velocity_layers=m.velocity_layers,
        mlp_ratio=m.mlp_ratio,
        prediction=m.prediction,
    )
    torch.manual_seed(0)
    model = Simformer(config)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 0.1)
    model.eval()
    export_onnx(model, out)
    card = build_card(
        f"bench-{size}",
        f"random weights, {size} preset size",
        variables,
        config,
        training={"note": "untrained (benchmark)"},
        sampler=read_card(ROOT / "native-models" / "models" / "cradle-small")["sampler"],
        time_sampling="uniform",
        prior="none",
    )
    write_card(card, out)
    torch.save(model.state_dict(), out / "weights.pt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
