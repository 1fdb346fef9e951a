"""Parity fixture for the TypeScript engine: inputs, initial noise and the reference sampler's output.

``parity.json`` beside a model holds a few stars with different condition patterns (posterior, a
missing survey, likelihood-style, an M_E cut), already tokenised exactly as the card describes, with
their masks, noise and the samples the reference sampler (ONNX Runtime) gives for each solver at the
card's step count and time grid (``time_grid``, ``final_euler``, as in the card), plus single velocity
evaluations at several t. Arrays are in the velocity graph's layout: per-star arrays have one row (the
star); noise, velocities and samples are [1, samples, n_latent]. The engine must reproduce them to
≤ 1e-5 relative (same initial noise → same samples).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cradle_models.export.card import card_variables, read_card
from cradle_models.export.onnx_sampler import OnnxSimformer
from cradle_models.export.sampler import Schedule, Solver
from cradle_models.nets.tokens import attention_masks, split_tokens

PARITY_FILE = "parity.json"
SOLVERS: tuple[Solver, ...] = ("euler", "heun", "midpoint")
T_VALUES = (0.0, 0.3, 0.7, 1.0)


def _cases(d: int, is_param: np.ndarray) -> list[dict[str, Any]]:
    posterior = ~is_param
    missing = posterior.copy()
    missing[np.flatnonzero(~is_param)[::2]] = False
    present_missing = np.ones(d, dtype=bool)
    present_missing[np.flatnonzero(~is_param)[::2]] = False
    groups = np.zeros(d, dtype=np.int64)
    groups[np.flatnonzero(~is_param)[:1]] = 1
    return [
        {
            "label": "posterior",
            "present": np.ones(d, bool),
            "observed": posterior,
            "groups": np.zeros(d, np.int64),
        },
        {
            "label": "missing observables",
            "present": present_missing,
            "observed": missing & present_missing,
            "groups": np.zeros(d, np.int64),
        },
        {
            "label": "likelihood",
            "present": np.ones(d, bool),
            "observed": is_param.copy(),
            "groups": np.zeros(d, np.int64),
        },
        {"label": "M_E cut", "present": np.ones(d, bool), "observed": posterior, "groups": groups},
        {
            "label": "joint",
            "present": np.ones(d, bool),
            "observed": np.zeros(d, bool),
            "groups": np.zeros(d, np.int64),
        },
    ]


def write_parity_fixture(model_dir: Path, samples: int = 4, seed: int = 0) -> Path:
    card = read_card(model_dir)
    variables = card_variables(card)
    d = len(variables)
    is_param = np.array([v.role == "parameter" for v in variables])
    rng = np.random.default_rng(seed)
    model = OnnxSimformer(model_dir)
    steps = int(card["sampler"]["steps"])
    schedule = Schedule.from_card(card["sampler"])
    cases = []
    for case in _cases(d, is_param):
        values = torch.as_tensor(rng.normal(size=(1, d)), dtype=torch.float32)
        errors = torch.as_tensor(
            np.where(is_param, 0.0, rng.uniform(0.05, 0.5, d))[None], dtype=torch.float32
        )
        star = {k: torch.as_tensor(case[k][None]) for k in ("present", "observed", "groups")}
        context, latent = split_tokens(values, errors, star["present"], star["observed"], star["groups"])
        ctx_mask, lat_mask = attention_masks(context, latent)
        noise = rng.standard_normal((1, samples, latent.values.shape[1])).astype(np.float32)
        arrays = {
            "context_ids": context.ids.numpy(),
            "context_values": context.values.numpy(),
            "context_errors": context.errors.numpy(),
            "context_mask": ctx_mask.numpy(),
            "latent_ids": latent.ids.numpy(),
            "latent_errors": latent.errors.numpy(),
            "latent_mask": lat_mask.numpy(),
        }
        kv = model.encode(
            arrays["context_ids"], arrays["context_values"], arrays["context_errors"], arrays["context_mask"]
        )
        velocity = {
            f"{t:g}": model.velocity(
                arrays["latent_ids"],
                noise,
                arrays["latent_errors"],
                np.full(1, t, np.float32),
                kv,
                arrays["latent_mask"],
            ).tolist()
            for t in T_VALUES
        }
        out = {
            solver: model.sample(
                arrays["context_ids"],
                arrays["context_values"],
                arrays["context_errors"],
                arrays["context_mask"],
                arrays["latent_ids"],
                arrays["latent_errors"],
                arrays["latent_mask"],
                noise,
                steps,
                solver,
                schedule,
            ).tolist()
            for solver in SOLVERS
        }
        cases.append(
            {
                "label": case["label"],
                "present": case["present"].tolist(),
                "observed": case["observed"].tolist(),
                "groups": case["groups"].tolist(),
                "values": values[0].tolist(),
                "errors": errors[0].tolist(),
                **{k: v.tolist() for k, v in arrays.items()},
                "noise": noise.tolist(),
                "velocity_at_noise": velocity,
                "samples": out,
            }
        )
    fixture = {
        "model": card["name"],
        "steps": steps,
        **schedule.to_card(),
        "tolerance_relative": 1e-5,
        "cases": cases,
    }
    path = model_dir / PARITY_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(fixture) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
