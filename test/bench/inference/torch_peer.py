"""The PyTorch peer of the inference benchmark: the same model (weights.pt beside the card), the same
sampler (cradle_models.export.sampler, the reference the engine is tested against) and the same work
(N stars × S samples × the card's solver steps, context once per star and broadcast over its samples
inside the velocity network as in the exported graph, stars batched like the engine), on the given
number of threads. Prints JSON: stars per second, seconds and CPU seconds.

    python torch_peer.py MODEL_DIR N_STARS THREADS [STARS_PER_BATCH]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "native-models"))

from cradle_models.export.card import read_card
from cradle_models.export.sampler import Schedule, Solver, integrate, posterior_samples_torch
from cradle_models.nets.simformer import Simformer, SimformerConfig
from cradle_models.nets.tokens import TokenSet, attention_masks, split_tokens


def rows_sample(
    model: Simformer,
    context: TokenSet,
    latent: TokenSet,
    ctx_mask: torch.Tensor,
    lat_mask: torch.Tensor,
    noise: np.ndarray,
    steps: int,
    solver: Solver,
    schedule: Schedule,
) -> np.ndarray:
    """The same posterior with the trained network's own layout: one row per sample."""
    b, s, nl = noise.shape
    with torch.no_grad():
        kv = model.encode(context.ids, context.values, context.errors, ctx_mask)
    kv = kv.repeat_interleave(s, 0)
    ids = latent.ids.repeat_interleave(s, 0)
    errs = latent.errors.repeat_interleave(s, 0)
    mask = lat_mask.repeat_interleave(s, 0)

    @torch.no_grad()
    def fn(x: np.ndarray, t: float) -> np.ndarray:
        tt = torch.full((x.shape[0],), t)
        return model.velocity(ids, torch.as_tensor(x), errs, tt, kv, mask).numpy()

    return integrate(fn, noise.reshape(b * s, nl), steps, solver, schedule)


def main() -> int:
    folder, n_stars, threads = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    per_batch = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    layout = sys.argv[5] if len(sys.argv) > 5 else "stars"
    torch.set_num_threads(threads)
    card = read_card(folder)
    config = SimformerConfig.from_architecture(card["architecture"])
    model = Simformer(config)
    model.load_state_dict(torch.load(folder / "weights.pt"))
    model.eval()
    samples = int(card["sampler"]["samples_per_star"])
    steps = int(card["sampler"]["steps"])
    solver = card["sampler"]["solver"]
    schedule = Schedule.from_card(card["sampler"])
    roles = np.array([v["role"] == "observable" for v in card["variables"]])
    rng = np.random.default_rng(0)
    d = len(roles)
    started = time.perf_counter()
    cpu_started = time.process_time()
    done = 0
    while done < n_stars:
        b = min(per_batch, n_stars - done)
        values = torch.as_tensor(rng.normal(size=(b, d)), dtype=torch.float32)
        errors = torch.full((b, d), 0.1)
        present = torch.ones(b, d, dtype=torch.bool)
        observed = torch.as_tensor(np.repeat(roles[None], b, axis=0))
        context, latent = split_tokens(values, errors, present, observed)
        ctx_mask, lat_mask = attention_masks(context, latent)
        noise = rng.standard_normal((b, samples, latent.values.shape[1])).astype(np.float32)
        if layout == "rows":
            rows_sample(model, context, latent, ctx_mask, lat_mask, noise, steps, solver, schedule)
            done += b
            continue
        posterior_samples_torch(
            model,
            context.ids.numpy(),
            context.values.numpy(),
            context.errors.numpy(),
            ctx_mask.numpy(),
            latent.ids.numpy(),
            latent.errors.numpy(),
            lat_mask.numpy(),
            noise,
            steps,
            solver,
            schedule,
        )
        done += b
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(
        json.dumps(
            {
                "stars": n_stars,
                "seconds": seconds,
                "stars_per_s": n_stars / seconds,
                "cpu_seconds": cpu,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
