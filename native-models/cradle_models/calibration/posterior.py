"""Posterior samples of all parameters for many stars, from the exported ONNX graphs.

Each star's observed observables form the context and its parameters the latent tokens, tokenised once
per star; the velocity graph broadcasts them over the star's S samples (noise [stars, S, n_latent]).
Noise comes from one seeded generator, so a report is reproducible.
"""

from __future__ import annotations

import numpy as np
import torch

from cradle_models.data.sets import TrainingSet
from cradle_models.export.onnx_sampler import OnnxSimformer
from cradle_models.export.sampler import UNIFORM, Schedule, Solver
from cradle_models.nets.tokens import attention_masks, split_tokens
from cradle_models.variables import denormalise


def posterior_parameters(
    model: OnnxSimformer,
    stars: TrainingSet,
    n_samples: int,
    steps: int,
    solver: Solver,
    seed: int,
    chunk_rows: int = 32_768,
    schedule: Schedule = UNIFORM,
) -> np.ndarray:
    """Samples [N, S, P] of the P parameters, in physical units (all parameters must be present)."""
    params = [j for j, v in enumerate(stars.variables) if v.role == "parameter"]
    if not bool(stars.present[:, params].all()):
        raise ValueError("posterior_parameters: every star needs every parameter (the truth) present")
    observed = torch.zeros_like(stars.present)
    observed[:, [j for j in range(len(stars.variables)) if j not in params]] = True
    rng = np.random.default_rng(seed)
    n = len(stars)
    per_chunk = max(chunk_rows // n_samples, 1)
    out = np.empty((n, n_samples, len(params)))
    for start in range(0, n, per_chunk):
        idx = torch.arange(start, min(start + per_chunk, n))
        context, latent = split_tokens(
            stars.values[idx], stars.errors[idx], stars.present[idx], observed[idx] & stars.present[idx]
        )
        ctx_mask, lat_mask = attention_masks(context, latent)
        noise = rng.standard_normal((len(idx), n_samples, latent.values.shape[1])).astype(np.float32)
        x = model.sample(
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
        full = np.zeros((x.shape[0] * n_samples, len(stars.variables)))
        full[:, params] = x.reshape(-1, x.shape[2])[:, : len(params)]
        phys = denormalise(stars.variables, full)[:, params]
        out[start : start + len(idx)] = phys.reshape(-1, n_samples, len(params))
    return out
