"""The baselines beside the Simformer on the same held-out stars: calibration and accuracy figures.

NPE is compared on the fully observed stars (the NPE observables, see ``npe``), the Simformer being given
exactly those observables; Sagitta on the stars that have its eight inputs, against the Simformer's
posterior from all of each star's observables. Age bins as in the main report.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cradle_models.baselines.npe import NPE_OBSERVABLES, fully_observed, npe_posterior, train_npe
from cradle_models.baselines.sagitta_age import CANONICAL, sagitta_age
from cradle_models.calibration.coverage import REPORT_LEVELS, coverage_at, truth_quantiles
from cradle_models.calibration.tarp import tarp
from cradle_models.data.sets import RawSet, TrainingSet
from cradle_models.variables import Variable

YOUNG_BINS_LOG_YR = ((None, 7.0, "age < 10 Myr"), (7.0, float(np.log10(6e7)), "age 10-60 Myr"))
AGE_BINS_LOG_YR = (*YOUNG_BINS_LOG_YR, (float(np.log10(6e7)), None, "age > 60 Myr"))


def _in_bin(x: np.ndarray, lo: float | None, hi: float | None) -> np.ndarray:
    ok = np.isfinite(x)
    if lo is not None:
        ok &= x >= lo
    if hi is not None:
        ok &= x < hi
    return ok


def posterior_figures(post: np.ndarray, truth: np.ndarray, names: list[str], seed: int) -> dict[str, Any]:
    """Coverage at the report's levels, TARP ATC and median |Δ| (all and per age bin) of samples [N, S, P]."""
    at = coverage_at(truth_quantiles(post, truth, np.random.default_rng(seed)), REPORT_LEVELS)
    median = np.median(post, axis=1)
    out: dict[str, Any] = {
        "stars": int(len(truth)),
        "coverage": {
            n: {f"{lv:g}": float(at[i, p]) for i, lv in enumerate(REPORT_LEVELS)} for p, n in enumerate(names)
        },
        "max_coverage_error": float(np.max(np.abs(at - np.asarray(REPORT_LEVELS)[:, None]))),
        "tarp_atc": tarp(post, truth, seed=seed).atc,
        "median_abs_delta": {
            "all": dict(zip(names, np.median(np.abs(median - truth), axis=0).tolist(), strict=True))
        },
    }
    if "log_age" in names:
        age = truth[:, names.index("log_age")]
        for lo, hi, label in AGE_BINS_LOG_YR:
            sel = _in_bin(age, lo, hi)
            out["median_abs_delta"][label] = {
                "stars": int(sel.sum()),
                **(
                    dict(
                        zip(names, np.median(np.abs(median[sel] - truth[sel]), axis=0).tolist(), strict=True)
                    )
                    if sel.any()
                    else {}
                ),
            }
    return out


def only_observables(raw: RawSet, keep: tuple[str, ...]) -> RawSet:
    """The same stars with every observable not in ``keep`` made absent."""
    cols = np.array([v.role == "parameter" or v.name in keep for v in raw.variables])
    return RawSet(raw.variables, raw.values, raw.errors, raw.present & cols[None, :])


def npe_comparison(
    simformer_posterior: Any,
    variables: list[Variable],
    train: RawSet,
    test: RawSet,
    samples: int,
    seed: int,
    max_steps: int,
    max_seconds: float,
    threads: int,
) -> dict[str, Any]:
    """Train sbi's NPE on the training split and compare it with the Simformer on fully observed test stars.

    ``simformer_posterior(raw, seed)`` returns the Simformer's samples [N, S, P] for a ``RawSet``. NPE
    stops at ``max_steps`` (so a busy machine does not change the baseline) or after ``max_seconds``.
    """
    baseline = train_npe(
        TrainingSet.from_raw(train, variables),
        seed,
        max_steps=max_steps,
        max_seconds=max_seconds,
        threads=threads,
    )
    test_set = TrainingSet.from_raw(test, variables)
    keep = fully_observed(test_set)
    stars = test.subset(np.flatnonzero(keep))
    params = [j for j, v in enumerate(variables) if v.role == "parameter"]
    names = [variables[j].name for j in params]
    truth = stars.values[:, params]
    npe_post = npe_posterior(baseline, TrainingSet.from_raw(stars, variables), samples, seed)
    sim_post = simformer_posterior(only_observables(stars, NPE_OBSERVABLES), seed)
    return {
        "npe": {**baseline.info, **posterior_figures(npe_post, truth, names, seed)},
        "simformer_same_inputs": posterior_figures(sim_post, truth, names, seed),
    }


def sagitta_comparison(test: RawSet, simformer_post: np.ndarray) -> dict[str, Any]:
    """Sagitta's age vs the Simformer's posterior median on test stars with all of Sagitta's inputs.

    ``simformer_post`` [N, S, P] are the Simformer's samples for every star of ``test`` (all observables).
    """
    names = [v.name for v in test.variables]
    needed = list(CANONICAL.values())
    missing = [n for n in needed if n not in names]
    if missing or "log_age" not in names:
        return {"skipped": f"the model's variables lack {missing or ['log_age']} needed by Sagitta"}
    cols = [names.index(n) for n in needed]
    has = test.present[:, cols].all(axis=1)
    columns = {n: test.values[has, names.index(n)] for n in needed}
    sag_age, p_pms = sagitta_age(columns)
    params = [v.name for v in test.variables if v.role == "parameter"]
    truth = test.values[has, names.index("log_age")]
    sim_age = np.median(simformer_post[has, :, params.index("log_age")], axis=1)
    rows: dict[str, Any] = {}
    for lo, hi, label in (*YOUNG_BINS_LOG_YR, (None, float(np.log10(6e7)), "age < 60 Myr")):
        sel = _in_bin(truth, lo, hi)
        for subset, mask in (("all", sel), ("P(PMS) > 0.8", sel & (p_pms > 0.8))):
            n = int(mask.sum())
            rows[f"{label}, {subset}"] = {
                "stars": n,
                "sagitta": float(np.median(np.abs(sag_age[mask] - truth[mask]))) if n else None,
                "simformer": float(np.median(np.abs(sim_age[mask] - truth[mask]))) if n else None,
            }
    return {
        "inputs": "parallax, true simulated A_V (shards carry no sky position for Sagitta's A_V network), "
        "G, BP, RP, J, H, K_s",
        "stars": int(has.sum()),
        "median_abs_delta_log_age": rows,
    }
