"""Simformer benchmarks: the cost of a posterior with the split graphs, and training step time.

1. Posterior sampling on ONNX Runtime (2 threads) for a stellar-sized model (5 parameters latent,
   11 observables observed, the `small` preset's sizes, random weights): stars per second with the
   split design (context encoded once per star) vs the same graphs re-encoding the context at every
   evaluation, as a plain Simformer re-reads every token (peer, same script).
2. Training: wall and CPU seconds per step of the `tiny` and `small` presets, and the steps that fit in
   45 minutes on idle cores (CPU time / threads; wall time on a loaded machine is not comparable).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "native-models"))

from cradle_models.data.masks import sample_conditions
from cradle_models.data.sources import STELLAR_VARIABLES
from cradle_models.export.graphs import export_onnx
from cradle_models.export.onnx_sampler import OnnxSimformer
from cradle_models.export.sampler import integrate
from cradle_models.losses.flow_matching import flow_matching_loss
from cradle_models.nets.simformer import (
    Simformer,
    SimformerConfig,
    multiply_adds_per_evaluation,
)
from cradle_models.nets.tokens import attention_masks, split_tokens
from cradle_models.training.config import preset

STARS, SAMPLES, STEPS = 16, 64, 8
D = len(STELLAR_VARIABLES)
P = sum(v.role == "parameter" for v in STELLAR_VARIABLES)


def model_for(name: str) -> Simformer:
    m = preset(name).model
    torch.manual_seed(0)
    model = Simformer(
        SimformerConfig(
            D, m.width, m.heads, m.context_layers, m.velocity_layers, m.mlp_ratio
        )
    )
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 0.05)
    return model.eval()


def sampling() -> None:
    torch.set_num_threads(2)
    model = model_for("small")
    folder = Path(tempfile.mkdtemp())
    export_onnx(model, folder)
    onnx_model = OnnxSimformer(folder, threads=2)
    b = STARS * SAMPLES
    values = torch.randn(b, D)
    observed = torch.tensor([v.role == "observable" for v in STELLAR_VARIABLES]).expand(
        b, D
    )
    context, latent = split_tokens(
        values, torch.full((b, D), 0.1), torch.ones(b, D, dtype=torch.bool), observed
    )
    ctx_mask, lat_mask = attention_masks(context, latent)
    args = [
        context.ids.numpy(),
        context.values.numpy(),
        context.errors.numpy(),
        ctx_mask.numpy(),
    ]
    # one sample per row: the velocity graph's [rows, samples = 1, n_latent] layout
    noise = np.random.default_rng(0).standard_normal((b, 1, P)).astype(np.float32)

    def split() -> None:
        kv = onnx_model.encode(*args)
        integrate(
            onnx_model.velocity_fn(
                latent.ids.numpy(), latent.errors.numpy(), kv, lat_mask.numpy()
            ),
            noise,
            STEPS,
            "heun",
        )

    def plain() -> None:
        def fn(x: np.ndarray, t: float) -> np.ndarray:
            kv = onnx_model.encode(*args)
            return onnx_model.velocity(
                latent.ids.numpy(),
                x,
                latent.errors.numpy(),
                np.full(b, t, np.float32),
                kv,
                lat_mask.numpy(),
            )

        integrate(fn, noise, STEPS, "heun")

    for label, fn in (("split (context once)", split), ("re-encode every step", plain)):
        fn()
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"{label:24s} {STARS / dt:7.1f} stars/s wall, {STARS / cpu:7.1f} stars per CPU-second "
            f"({SAMPLES} samples, {STEPS} Heun steps)"
        )
    macs = multiply_adds_per_evaluation(model.config, D - P, P)
    print(
        f"multiply-adds: context {macs['context']:,} per star, velocity {macs['velocity']:,} per evaluation"
    )


def time_training(name: str) -> None:
    config = preset(name)
    torch.set_num_threads(config.threads)
    model = model_for(name).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    gen = torch.Generator().manual_seed(0)
    b = config.batch_size
    values = torch.randn(b, D)
    errors = torch.full((b, D), 0.1)

    def step() -> None:
        present, observed, groups = sample_conditions(
            torch.ones(b, D, dtype=torch.bool), STELLAR_VARIABLES, config.mixture, gen
        )
        loss = flow_matching_loss(model, values, errors, present, observed, groups, gen)
        opt.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        opt.step()

    step()
    n = 10
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(n):
        step()
    per = (time.perf_counter() - t0) / n
    cpu = (time.process_time() - c0) / n
    print(
        f"train step {name:5s} batch {b:4d}, {config.threads} threads: {per * 1000:7.1f} ms wall, "
        f"{cpu * 1000:7.1f} ms CPU per step -> {int(2700 * config.threads / cpu):,} steps in 45 min "
        "on idle cores"
    )


if __name__ == "__main__":
    sampling()
    time_training("tiny")
    time_training("small")
