"""The model card: everything the TypeScript engine needs to run a model, and what it was measured to do.

Schema (version 1) is described field by field in native-models/README.md; ``write_card`` is the one
place it is produced and ``read_card`` checks a card on the way in.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cradle_models import __version__
from cradle_models.export.graphs import CONTEXT_FILE, GRAPH_SIGNATURES, OPSET, VELOCITY_FILE
from cradle_models.export.sampler import UNIFORM, Schedule
from cradle_models.losses.flow_matching import PATH_DESCRIPTION
from cradle_models.nets.simformer import SimformerConfig, multiply_adds_per_evaluation
from cradle_models.nets.tokens import BLOCKED
from cradle_models.variables import Variable, normalise

SCHEMA_VERSION = 1
CARD_FILE = "card.json"

# What a card says about domain adaptation when the model was trained on simulations only (issue #9: a
# shipped card says whether and how it was adapted). An adapted model's section comes from
# cradle_models.adaptation (card-section.json: adapted, method, losses, weights, encoders).
NOT_ADAPTED: dict[str, Any] = {
    "adapted": False,
    "method": None,
    "note": "trained on simulations only; for how it fares on real stars see "
    "cradle_models.adaptation.real_clusters (the real validation clusters and their simulated twins)",
}


def cost(
    config: SimformerConfig,
    variables: list[Variable],
    solver: str,
    steps: int,
    samples: int,
    schedule: Schedule = UNIFORM,
) -> dict[str, Any]:
    """FLOPs per star (2 × multiply-adds) for the posterior case: observables observed, parameters latent.

    Counted per sample as ``multiply_adds_per_evaluation`` gives them (the host and the Infer view
    read this breakdown). The exported velocity graph computes the time embedding and the adaLN
    modulations once per star rather than per sample, so at 128 samples this is an upper bound
    (≈ 1.5× the work done for the tiny preset, whose per-sample work is smallest)."""
    n_latent = sum(v.role == "parameter" for v in variables)
    n_context = max(len(variables) - n_latent, 1)
    macs = multiply_adds_per_evaluation(config, n_context, n_latent)
    evaluations = schedule.evaluations(steps, solver)
    per_star = 2 * (macs["context"] + samples * evaluations * macs["velocity"])
    return {
        "assumed_tokens": {"n_context": n_context, "n_latent": n_latent},
        "multiply_adds_context_per_star": macs["context"],
        "multiply_adds_velocity_per_evaluation": macs["velocity"],
        "velocity_evaluations_per_sample": evaluations,
        "flops_per_star": per_star,
    }


# Bins of a parameter's prior marginal in the card, equal in width over its training range (log age:
# 0.04 dex for cradle-small's 6.0-10.1).
PRIOR_BINS = 100


def prior_marginals(variables: list[Variable], values: np.ndarray) -> dict[str, dict[str, list[float]]]:
    """Each parameter's marginal over the training rows (values [N, D] in physical units, NaN where
    absent) as a histogram density on PRIOR_BINS equal bins over its range: the prior every posterior of
    the model carries, which a combination of several stars' posteriors (a cluster's age) must divide
    out (Hogg, Myers & Bovy 2010, ApJ 725, 2166; cradle_models.adaptation.real_clusters)."""
    out: dict[str, dict[str, list[float]]] = {}
    for j, v in enumerate(variables):
        column = values[np.isfinite(values[:, j]), j]
        if v.role != "parameter" or column.size == 0 or column.min() == column.max():
            continue
        density, edges = np.histogram(column, bins=PRIOR_BINS, density=True)
        out[v.name] = {"edges": [float(e) for e in edges], "density": [float(d) for d in density]}
    return out


def training_ranges(variables: list[Variable], values: np.ndarray) -> dict[str, tuple[float, float]]:
    """[min, max] in physical units of each variable over the training rows that have it (values
    [N, D], NaN where absent; a value the network cannot represent, e.g. log10 of ≤ 0, is not counted).
    A variable no training row has gets no range."""
    usable = np.isfinite(values) & np.isfinite(normalise(variables, values))
    ranges: dict[str, tuple[float, float]] = {}
    for j, v in enumerate(variables):
        column = values[usable[:, j], j]
        if column.size > 0:
            ranges[v.name] = (float(column.min()), float(column.max()))
    return ranges


# Smallest eigenvalue kept in the observables' covariance: pairwise estimates from rows with different
# missing inputs need not be positive definite, and a near-zero direction would make any star "unlikely".
COVARIANCE_FLOOR = 1e-3


# Fraction of held-out training stars the engine's `misspecified` flag may fire on: its limit is this
# quantile of their scores (the scores are far from Gaussian: bright stars, discs and binaries give a
# long tail, and a fixed limit of 5 flagged 4.7-7.2% of cradle-small's held-out simulated stars).
MISSPEC_FALSE_FLAG = 0.001


def misspecification_scores(z: np.ndarray, covariance: np.ndarray) -> np.ndarray:
    """The engine's score (electron/inference/flags.ts) of rows of network-space inputs z [N, K] (NaN where
    absent): (d² − k)/√(2k), d² the Mahalanobis distance of the k present inputs under ``covariance``
    restricted to them; NaN for a row with none."""
    present = np.isfinite(z)
    out = np.full(len(z), np.nan)
    patterns, inverse = np.unique(present, axis=0, return_inverse=True)
    for p, pattern in enumerate(patterns):
        k = int(pattern.sum())
        if k == 0:
            continue
        rows = np.flatnonzero(inverse.ravel() == p)
        x = z[np.ix_(rows, np.flatnonzero(pattern))]
        d2 = np.einsum("ij,ij->i", x, np.linalg.solve(covariance[np.ix_(pattern, pattern)], x.T).T)
        out[rows] = (d2 - k) / np.sqrt(2 * k)
    return out


def observable_covariance(
    variables: list[Variable], values: np.ndarray, held_out: np.ndarray
) -> dict[str, Any]:
    """The observables' covariance in network space over the training rows ``values`` [N, D] (NaN where
    absent) for the engine's misspecification score: each entry from the rows that have both inputs
    (pairwise deletion), then eigenvalues raised to COVARIANCE_FLOOR so the matrix is positive definite;
    and ``limit``, the score that MISSPEC_FALSE_FLAG of the ``held_out`` rows (validation split) exceed."""
    names = [v.name for v in variables if v.role == "observable"]
    columns = [j for j, v in enumerate(variables) if v.role == "observable"]
    z = normalise(variables, values)[:, columns]
    k = len(columns)
    cov = np.empty((k, k))
    for a in range(k):
        for b in range(a, k):
            both = np.isfinite(z[:, a]) & np.isfinite(z[:, b])
            za, zb = z[both, a], z[both, b]
            cov[a, b] = cov[b, a] = float(np.mean((za - za.mean()) * (zb - zb.mean()))) if both.any() else 0.0
    for a in range(k):
        if cov[a, a] == 0.0:
            cov[a, a] = 1.0
    w, q = np.linalg.eigh(cov)
    cov = (q * np.maximum(w, COVARIANCE_FLOOR)) @ q.T
    scores = misspecification_scores(normalise(variables, held_out)[:, columns], cov)
    limit = float(np.nanquantile(scores, 1 - MISSPEC_FALSE_FLAG))
    return {
        "variables": names,
        "covariance": [[float(x) for x in row] for row in cov],
        "limit": limit,
        "limit_quantile": 1 - MISSPEC_FALSE_FLAG,
    }


def card_identity(name: str, description: str) -> dict[str, Any]:
    """The fields every card opens with: schema version, name, description, creation time, producer."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": name,
        "description": description,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "producer": {"package": "cradle_models", "version": __version__, "torch": torch.__version__},
    }


def build_card(
    name: str,
    description: str,
    variables: list[Variable],
    config: SimformerConfig,
    training: dict[str, Any],
    sampler: dict[str, Any],
    time_sampling: str,
    prior: str,
    ranges: dict[str, tuple[float, float]] | None = None,
    observables: dict[str, Any] | None = None,
    priors: dict[str, dict[str, list[float]]] | None = None,
) -> dict[str, Any]:
    """The card (schema in native-models/README.md). ``ranges`` (``training_ranges``) become each
    variable's ``range``; without them the engine falls back to its 5σ test (electron/inference/flags.ts).
    ``observables`` (``observable_covariance``) lets the engine score a star's inputs jointly; ``priors``
    (``prior_marginals``) records the parameters' prior marginals."""

    def card_variable(v: Variable) -> dict[str, object]:
        out = v.to_card()
        if ranges is not None and v.name in ranges:
            out["range"] = list(ranges[v.name])
        return out

    return {
        **card_identity(name, description),
        "variables": [card_variable(v) for v in variables],
        "architecture": {
            **config.to_dict(),
            "kv_slots": 2 * config.velocity_layers,
            "tokenizer": "value + variable id + condition state + [log err, has err]",
            "time_conditioning": "adaptive LayerNorm (adaLN-Zero) on the velocity side only",
        },
        "graphs": {
            "opset": OPSET,
            "context": {"file": CONTEXT_FILE, **GRAPH_SIGNATURES["context"]},
            "velocity": {"file": VELOCITY_FILE, **GRAPH_SIGNATURES["velocity"]},
        },
        "tokens": {
            "context": "present and observed variables, in variable order, padded to the batch's longest",
            "latent": "present and latent variables, in variable order, padded to the batch's longest",
            "absent": "variables a star lacks (or left out for a marginal) are not tokens",
            "min_context_tokens": 1,
            "padding": "ids 0, values 0, errors 0; masked as keys",
            "errors": "normalised uncertainty err * |d transform/d value| / std; 0 = none",
        },
        "attention_mask": {
            "kind": "additive float",
            "allowed": 0.0,
            "blocked": BLOCKED,
            "context_mask": "[query context token, key context token]",
            "latent_mask": "[query latent token, key]: keys are the latent tokens then the context tokens",
            "rules": [
                "a key that is padding is blocked",
                "an edge cut by M_E (marginals) is blocked",
                "the diagonal (a token attending to itself) is always allowed",
            ],
        },
        "path": {**PATH_DESCRIPTION, "time_sampling": time_sampling},
        "sampler": sampler,
        "cost": cost(
            config,
            variables,
            str(sampler["solver"]),
            int(sampler["steps"]),
            int(sampler["samples_per_star"]),
            Schedule.from_card(sampler),
        ),
        "prior": prior,
        "training": training,
        "domain_adaptation": dict(NOT_ADAPTED),
        **({} if observables is None else {"observables": observables}),
        **({} if priors is None else {"prior_marginals": priors}),
        "calibration": None,
    }


def write_card(card: dict[str, Any], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / CARD_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(card, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_card(model_dir: Path) -> dict[str, Any]:
    path = model_dir / CARD_FILE
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"{path}: cannot read model card ({err})") from err
    if card.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"{path}: schema_version {card.get('schema_version')!r}, expected {SCHEMA_VERSION}")
    for key in ("variables", "graphs", "path", "sampler", "architecture"):
        if key not in card:
            raise ValueError(f"{path}: missing key {key!r}")
    return dict(card)


def card_variables(card: dict[str, Any]) -> list[Variable]:
    return [Variable.from_card(v) for v in card["variables"]]
