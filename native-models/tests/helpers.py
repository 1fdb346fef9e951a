"""Test helpers: classifier two-sample test, conditioning one star in physical units, the parity
check of a committed model folder and the card sections every committed model carries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import cross_val_score
from sklearn.neural_network import MLPClassifier

from cradle_models.export.card import NOT_ADAPTED
from cradle_models.export.onnx_sampler import OnnxSimformer
from cradle_models.export.parity import PARITY_FILE
from cradle_models.export.sampler import Schedule, integrate, sample_conditional
from cradle_models.nets.simformer import Simformer
from cradle_models.variables import Variable, denormalise, normalise, normalise_errors


def c2st(a: np.ndarray, b: np.ndarray, seed: int = 0) -> float:
    """Classifier two-sample test accuracy (0.5 = indistinguishable), as sbi's ``c2st``: an MLP
    classifier, z-scored inputs, 5-fold cross-validation (Lopez-Paz & Oquab 2017)."""
    x = np.concatenate([a, b])
    y = np.concatenate([np.zeros(len(a)), np.ones(len(b))])
    x = (x - x.mean(0)) / x.std(0)
    clf = MLPClassifier(
        hidden_layer_sizes=(10 * x.shape[1],) * 2, max_iter=500, random_state=seed, early_stopping=True
    )
    return float(cross_val_score(clf, x, y, cv=5, scoring="accuracy").mean())


def sample_physical(
    model: Simformer,
    variables: list[Variable],
    values: np.ndarray,
    errors: np.ndarray,
    observed: np.ndarray,
    n: int,
    seed: int,
    steps: int = 16,
    solver: str = "heun",
    present: np.ndarray | None = None,
    edge_allowed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Posterior samples of the latent variables of one star, in physical units: (indices, [n, k])."""
    filled = np.where(np.isfinite(values), values, 1.0)[None]
    z = np.where(observed, normalise(variables, filled)[0], np.nan)
    e = normalise_errors(variables, filled, errors[None])[0]
    if present is None:
        present = np.ones(len(variables), dtype=bool)
    ids, s = sample_conditional(model, z, e, present, observed, n, steps, solver, seed, edge_allowed)  # type: ignore[arg-type]
    full = np.zeros((n, len(variables)))
    full[:, ids] = s
    return ids, denormalise(variables, full)[:, ids]


def assert_parity_fixture_holds(model_dir: Path) -> None:
    """The committed graphs reproduce the folder's ``parity.json`` (the TypeScript engine's fixture)."""
    fixture = json.loads((model_dir / PARITY_FILE).read_text())
    model = OnnxSimformer(model_dir)
    schedule = Schedule.from_card(fixture)
    names = (
        "context_ids",
        "context_values",
        "context_errors",
        "context_mask",
        "latent_ids",
        "latent_errors",
        "latent_mask",
        "noise",
    )
    for case in fixture["cases"]:
        arr = {k: np.asarray(case[k], dtype=np.int64 if k.endswith("ids") else np.float32) for k in names}
        kv = model.encode(
            arr["context_ids"], arr["context_values"], arr["context_errors"], arr["context_mask"]
        )
        fn = model.velocity_fn(arr["latent_ids"], arr["latent_errors"], kv, arr["latent_mask"])
        for solver, expected in case["samples"].items():
            got = integrate(fn, arr["noise"], fixture["steps"], solver, schedule)
            want = np.asarray(expected)
            assert np.max(np.abs(got - want)) <= 1e-5 * max(np.max(np.abs(want)), 1e-12), (
                model_dir.name,
                case["label"],
                solver,
            )


def assert_card_sections_hold(card: dict[str, Any]) -> None:
    """The sections a committed card adds beside its graphs: adaptation, observables, prior marginals."""
    # The shipped card says whether it was adapted to real data (issue #9): it was not.
    assert card["domain_adaptation"] == NOT_ADAPTED
    # The observables' training covariance (the engine's misspecification score): positive definite.
    names = [v["name"] for v in card["variables"] if v["role"] == "observable"]
    assert card["observables"]["variables"] == names
    assert np.all(np.linalg.eigvalsh(np.asarray(card["observables"]["covariance"])) > 0)
    # The parameters' prior marginals (a cluster's age divides them out): one density per bin.
    for v in card["variables"]:
        if v["role"] == "parameter":
            marginal = card["prior_marginals"][v["name"]]
            assert len(marginal["edges"]) == len(marginal["density"]) + 1
