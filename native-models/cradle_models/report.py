"""``python -m cradle_models.report``: calibration and accuracy of a model on held-out simulations.

    python -m cradle_models.report --model native-models/models/NAME --data DIR
    python -m cradle_models.report --model /tmp/toy --toy linear-gaussian

Re-creates the training run's held-out split (same source, same seed), samples every test star's
posterior with the exported ONNX graphs at the card's solver and step count, for all observables and
again with each observable missing with probability ``--missing`` (default 0.5), and writes
``report.json``, ``report.md`` (the tables), PNG plots beside the card, and the summary into the card's
``calibration`` field. ``--baselines npe,sagitta`` adds sbi's NPE (trained here on the same training
split for ``--npe-steps`` steps) and the published Sagitta age network on the same held-out stars.
Without ``--data`` or ``--toy``, the training set of the card's preset is used (as ``train`` does).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch

from cradle_models.baselines.compare import npe_comparison, sagitta_comparison
from cradle_models.calibration.accuracy import accuracy_table
from cradle_models.calibration.coverage import REPORT_LEVELS, coverage_at, coverage_curve, truth_quantiles
from cradle_models.calibration.markdown import markdown_report
from cradle_models.calibration.plots import plot_coverage, plot_sbc, plot_tarp
from cradle_models.calibration.posterior import posterior_parameters
from cradle_models.calibration.sbc import sbc_ranks, sbc_uniformity
from cradle_models.calibration.tarp import tarp
from cradle_models.data.generate import ensure_training_set
from cradle_models.data.sets import RawSet, TrainingSet
from cradle_models.data.sources import TOYS, load_source, split_indices
from cradle_models.export.card import card_variables, cost, read_card, write_card
from cradle_models.export.onnx_sampler import OnnxSimformer
from cradle_models.export.sampler import Schedule
from cradle_models.nets.simformer import SimformerConfig
from cradle_models.training.config import preset

AGE_BINS_LOG_YR = (
    (None, 7.0, "age < 10 Myr"),
    (7.0, np.log10(6e7), "age 10-60 Myr"),
    (np.log10(6e7), None, "age > 60 Myr"),
)
# The randomised PIT's draws come from their own stream, so they never reuse the posterior's noise.
PIT_SEED_OFFSET = 7919
MAG_BINS = ((None, 13.0), (13.0, 15.0), (15.0, 17.0), (17.0, None))


def _bin(values: np.ndarray, lo: float | None, hi: float | None) -> np.ndarray:
    ok = np.isfinite(values)
    if lo is not None:
        ok &= values >= lo
    if hi is not None:
        ok &= values < hi
    return ok


def splits(raw: RawSet, present: np.ndarray) -> dict[str, np.ndarray]:
    """Age bins, which surveys were observed, and G-magnitude bins (where the variables exist)."""
    names = [v.name for v in raw.variables]
    out: dict[str, np.ndarray] = {}
    if "log_age" in names:
        age = raw.values[:, names.index("log_age")]
        for lo, hi, label in AGE_BINS_LOG_YR:
            out[label] = _bin(age, lo, hi)
    surveys = np.array([v.survey or "" for v in raw.variables])
    labels = np.array(["+".join(sorted({s for s in surveys[row] if s})) or "none" for row in present])
    for label in sorted(set(labels)):
        out[f"surveys: {label}"] = labels == label
    if "gaia.g" in names:
        g = raw.values[:, names.index("gaia.g")]
        for lo, hi in MAG_BINS:
            label = f"{'' if lo is None else f'{lo:g} <= '}G{'' if hi is None else f' < {hi:g}'}"
            out[label] = _bin(g, lo, hi)
    return out


def drop_observables(raw: RawSet, fraction: float, seed: int) -> RawSet:
    is_obs = np.array([v.role == "observable" for v in raw.variables])
    drop = (np.random.default_rng(seed).random(raw.present.shape) < fraction) & is_obs
    return RawSet(raw.variables, raw.values, raw.errors, raw.present & ~drop)


def evaluate(
    model: OnnxSimformer, raw: RawSet, card: dict[str, Any], samples: int, seed: int, out_dir: Path, tag: str
) -> tuple[dict[str, Any], np.ndarray]:
    """The figures of one case and the posterior samples [N, S, P] they came from."""
    variables = card_variables(card)
    stars = TrainingSet.from_raw(raw, variables)
    sampler = card["sampler"]
    post = posterior_parameters(
        model,
        stars,
        samples,
        int(sampler["steps"]),
        sampler["solver"],
        seed,
        schedule=Schedule.from_card(sampler),
    )
    params = [j for j, v in enumerate(variables) if v.role == "parameter"]
    names = [variables[j].name for j in params]
    truth = raw.values[:, params]
    u = truth_quantiles(post, truth, np.random.default_rng(seed + PIT_SEED_OFFSET))
    levels, curve = coverage_curve(u)
    ranks = sbc_ranks(post, truth)
    tarp_result = tarp(post, truth, seed=seed)
    title = f"{card['name']} ({tag})"
    plot_coverage(levels, curve, names, f"coverage, {title}", out_dir / f"coverage_{tag}.png")
    plot_sbc(ranks, samples, names, f"SBC ranks, {title}", out_dir / f"sbc_{tag}.png")
    plot_tarp(tarp_result, f"TARP, {title}", out_dir / f"tarp_{tag}.png")
    at = coverage_at(u, REPORT_LEVELS)
    return {
        "stars": len(raw),
        "coverage": {
            name: {f"{lv:g}": float(at[i, p]) for i, lv in enumerate(REPORT_LEVELS)}
            for p, name in enumerate(names)
        },
        "max_coverage_error": float(np.max(np.abs(at - np.asarray(REPORT_LEVELS)[:, None]))),
        "tarp": {
            "atc": tarp_result.atc,
            "ks_pvalue": tarp_result.ks_pvalue,
            "max_deviation": tarp_result.max_deviation,
        },
        "sbc_chi2_pvalue": dict(zip(names, sbc_uniformity(ranks, samples), strict=True)),
        "accuracy": accuracy_table(post, truth, names, splits(raw, raw.present)),
        "plots": [f"coverage_{tag}.png", f"sbc_{tag}.png", f"tarp_{tag}.png"],
    }, post


def step_sweep(
    model: OnnxSimformer, raw: RawSet, card: dict[str, Any], samples: int, seed: int, steps_list: list[int]
) -> list[dict[str, Any]]:
    """Calibration and accuracy against cost: the card's solver at several step counts (all observables)."""
    variables = card_variables(card)
    stars = TrainingSet.from_raw(raw, variables)
    params = [j for j, v in enumerate(variables) if v.role == "parameter"]
    truth = raw.values[:, params]
    solver = card["sampler"]["solver"]
    schedule = Schedule.from_card(card["sampler"])
    config = SimformerConfig.from_architecture(card["architecture"])
    rows = []
    for steps in steps_list:
        post = posterior_parameters(model, stars, samples, steps, solver, seed, schedule=schedule)
        at = coverage_at(
            truth_quantiles(post, truth, np.random.default_rng(seed + PIT_SEED_OFFSET)), REPORT_LEVELS
        )
        rows.append(
            {
                "solver": solver,
                "steps": steps,
                "flops_per_star": cost(config, variables, solver, steps, samples, schedule)["flops_per_star"],
                "max_coverage_error": float(np.max(np.abs(at - np.asarray(REPORT_LEVELS)[:, None]))),
                "tarp_atc": tarp(post, truth, seed=seed).atc,
                "median_abs_delta": dict(
                    zip(
                        [variables[j].name for j in params],
                        np.median(np.abs(np.median(post, axis=1) - truth), axis=0).tolist(),
                        strict=True,
                    )
                ),
            }
        )
    return rows


def _full_report(
    args: argparse.Namespace,
    card: dict[str, Any],
    model: OnnxSimformer,
    raw: RawSet,
    split: dict[str, np.ndarray],
    test: RawSet,
    samples: int,
    seed: int,
) -> dict[str, Any]:
    """Both calibration passes and the requested baselines."""
    started = time.monotonic()
    all_figures, all_post = evaluate(model, test, card, samples, seed, args.model, "all")
    print(f"all observables: {time.monotonic() - started:.0f} s", file=sys.stderr)
    missing_figures, _ = evaluate(
        model, drop_observables(test, args.missing, seed), card, samples, seed + 1, args.model, "missing"
    )
    print(f"missing observables: {time.monotonic() - started:.0f} s", file=sys.stderr)
    report: dict[str, Any] = {
        "settings": {
            **card["sampler"],
            "samples_per_star": samples,
            "held_out_stars": len(test),
            "missing_fraction": args.missing,
        },
        "all_observables": all_figures,
        "missing_observables": missing_figures,
    }
    wanted = {b.strip() for b in args.baselines.split(",") if b.strip()}
    unknown = wanted - {"npe", "sagitta"}
    if unknown:
        raise ValueError(f"--baselines: unknown {sorted(unknown)}; choose from npe, sagitta")
    variables = card_variables(card)
    baselines: dict[str, Any] = {}
    if "npe" in wanted:

        def simformer_posterior(raw: RawSet, s: int) -> np.ndarray:
            stars = TrainingSet.from_raw(raw, variables)
            sampler = card["sampler"]
            return posterior_parameters(
                model,
                stars,
                samples,
                int(sampler["steps"]),
                sampler["solver"],
                s,
                schedule=Schedule.from_card(sampler),
            )

        baselines["npe"] = npe_comparison(
            simformer_posterior,
            variables,
            raw.subset(split["train"]),
            test,
            samples,
            seed + 3,
            args.npe_steps,
            args.npe_seconds,
            args.threads,
        )
    if "sagitta" in wanted:
        baselines["sagitta"] = sagitta_comparison(test, all_post)
    if baselines:
        report["baselines"] = baselines
    return report


def _existing_report(model_dir: Path, samples: int, stars: int) -> dict[str, Any]:
    """The folder's report.json, to which --sweep-only adds a step sweep (same stars and samples)."""
    path = model_dir / "report.json"
    try:
        report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ValueError(f"{path}: --sweep-only needs an existing report ({err.strerror})") from err
    settings = report.get("settings", {})
    if settings.get("samples_per_star") != samples or settings.get("held_out_stars") != stars:
        raise ValueError(
            f"{path}: made with {settings.get('held_out_stars')} stars x {settings.get('samples_per_star')} "
            f"samples; give the same --stars and --samples to add a sweep"
        )
    return report


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m cradle_models.report", description=__doc__.split("\n")[0])
    p.add_argument("--model", type=Path, required=True, help="model folder (card.json + ONNX graphs)")
    p.add_argument("--data", type=Path, help="the simulator shards the model was trained on")
    p.add_argument("--toy", choices=TOYS, help="the toy the model was trained on")
    p.add_argument("--toy-rows", type=int, default=100_000)
    p.add_argument("--stars", type=int, default=500, help="held-out stars to evaluate")
    p.add_argument("--samples", type=int, help="samples per star (default: the card's)")
    p.add_argument(
        "--missing", type=float, default=0.5, help="fraction of observables dropped in the second pass"
    )
    p.add_argument("--threads", type=int, default=2)
    p.add_argument(
        "--baselines", default="", help="comma-separated baselines to add: npe, sagitta (default: none)"
    )
    p.add_argument("--npe-steps", type=int, default=10_000, help="training steps of NPE (batch 256)")
    p.add_argument(
        "--npe-seconds", type=float, default=1800.0, help="wall-clock cap on NPE training (stops it early)"
    )
    p.add_argument(
        "--sweep-only",
        action="store_true",
        help="only add --step-sweep rows to the folder's existing report.json (same --stars and --samples)",
    )
    p.add_argument(
        "--step-sweep",
        default="",
        help="comma-separated step counts at which to measure calibration against cost, e.g. 4,8,16",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    card = read_card(args.model)
    seed = int(card["training"]["data"]["split_seed"])
    torch.set_num_threads(args.threads)
    if args.data is None and args.toy is None:
        training_set = preset(str(card["training"]["preset"])).training_set
        if training_set is None:
            raise ValueError(f"{args.model / 'card.json'}: give --data or --toy (the preset has no own set)")
        args.data = ensure_training_set(training_set)
    source = load_source(args.data, args.toy, args.toy_rows, seed)
    split = split_indices(len(source.raw), seed)
    test = source.raw.subset(split["test"][: args.stars])
    if [v.name for v in test.variables] != [v["name"] for v in card["variables"]]:
        raise ValueError(f"{args.model / 'card.json'}: the card's variables differ from the data's columns")
    model = OnnxSimformer(args.model, threads=args.threads)
    samples = int(args.samples or card["sampler"]["samples_per_star"])
    if args.sweep_only:
        report = _existing_report(args.model, samples, len(test))
    else:
        report = _full_report(args, card, model, source.raw, split, test, samples, seed)
    if args.step_sweep:
        steps_list = [int(x) for x in args.step_sweep.split(",") if x.strip()]
        measured = step_sweep(model, test, card, samples, seed + 2, steps_list)
        kept = [r for r in report.get("step_sweep", []) if r["steps"] not in steps_list]
        report["step_sweep"] = sorted(kept + measured, key=lambda r: int(r["steps"]))
    _write_atomic(args.model / "report.json", json.dumps(report, indent=2) + "\n")
    table = markdown_report(report, str(card["name"]))
    _write_atomic(args.model / "report.md", table)
    card["calibration"] = {
        "settings": report["settings"],
        **{
            k: {key: report[k][key] for key in ("coverage", "max_coverage_error", "tarp", "sbc_chi2_pvalue")}
            for k in ("all_observables", "missing_observables")
        },
        **({"step_sweep": report["step_sweep"]} if "step_sweep" in report else {}),
        "report": "report.json",
    }
    write_card(card, args.model)
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
