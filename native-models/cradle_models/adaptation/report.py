"""The domain-adaptation benchmark as one command (issue #9), both of its parts:

* synthetic domain shift (train on the simulated world of ``shift_data``, score on its "real" world,
  unlabelled except 1% pairs) for no DA, contrastive only, OT (entropic fused Gromov–Wasserstein + pairs)
  and keypoint-guided OT (+ pairs);
* the real validation clusters (``real_clusters``): the shipped model's cluster ages from the members'
  posteriors, against the literature, with simulated twins — in ``OUT/real-clusters`` (its runs are
  kept there and reused);
* the same clusters with and without domain adaptation (``real_da``): the DA Simformer trained on the
  small training set, adapted by OT to the members' photometry — in ``OUT/real-da``; each method's model
  is written as an app model folder (``OUT/real-da/models``); the keypoint-guided one gets its sampler
  checked against a fine-step reference (``sampler_check``, into its card's ``sampler_basis``) and is run
  through the app's engine on the same clusters (``real_clusters``, in ``OUT/real-da/app-kpg``).
The last two are skipped, with a line saying so, where ``../shared/data`` is absent.

Writes ``report.json``, ``report.md`` (both tables), PNG plots, the adapted (last method's) real-branch
encoders as ONNX graphs, and ``card-section.json``: what a model card says about how it was adapted.

    PYTHONPATH=native-models nice -n 10 native-models/.venv/bin/python -m cradle_models.adaptation.report \
        --out native-models/cradle_models/adaptation/benchmark
"""

from __future__ import annotations

import argparse
import os
import pickle
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from cradle_models.adaptation import real_clusters, real_da, sampler_check, shift_data  # noqa: E402
from cradle_models.adaptation.config import METHODS, DATrainConfig, Schedule  # noqa: E402
from cradle_models.adaptation.evaluate import metrics, physical_scored, posterior_samples  # noqa: E402
from cradle_models.adaptation.export import (  # noqa: E402
    export_encoders,
    parity,
    progress,
    write_json,
    write_text,
)
from cradle_models.adaptation.model import DASimformer  # noqa: E402
from cradle_models.adaptation.train import DATrainer, Normaliser, clone, prepare, specs_of  # noqa: E402
from cradle_models.export.card import read_card, write_card  # noqa: E402

LABELS = {
    "none": "no DA",
    "contrastive": "contrastive only",
    "ot": "OT (fused GW) + pairs",
    "kpg": "keypoint-guided OT + pairs",
}


def load_data(cache_dir: Path, args: argparse.Namespace) -> shift_data.ShiftBenchmarkData:
    """The two worlds' catalogues, simulated once per size/seed and cached (≈ 50 MB at the defaults)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = f"data-{args.sim}-{args.real}-{args.test}-{args.pairs}-{args.seed}.pkl"
    cache = cache_dir / key
    if cache.exists():
        with cache.open("rb") as fh:
            data: shift_data.ShiftBenchmarkData = pickle.load(fh)
        return data
    data = shift_data.build(args.sim, args.real, args.test, args.pairs, args.seed)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(data, fh)
    os.replace(tmp, cache)
    return data


def table(results: dict[str, dict[str, dict[str, float]]], reference: dict[str, dict[str, float]]) -> str:
    head = (
        "| method | log age bias | log age RMSE | log age cov68 | log age cov95 "
        "| A_V bias | A_V RMSE | A_V cov68 | A_V cov95 |"
    )
    rows = [head, "|" + "---|" * 9]

    def row(label: str, m: dict[str, dict[str, float]]) -> str:
        a, v = m["log_age"], m["av"]
        return (
            f"| {label} | {a['bias']:+.3f} | {a['rmse']:.3f} | {a['coverage68']:.3f} | {a['coverage95']:.3f} "
            f"| {v['bias']:+.3f} | {v['rmse']:.3f} | {v['coverage68']:.3f} | {v['coverage95']:.3f} |"
        )

    rows.append(row("no DA, *simulated* test set (reference)", reference))
    for method, m in results.items():
        rows.append(row(LABELS[method], m))
    return "\n".join(rows)


def targets(results: dict[str, dict[str, dict[str, float]]]) -> dict[str, object]:
    """Issue #9's synthetic-shift target per method: |bias| at most half the no-DA |bias| in log age and A_V,
    and the 68%/95% coverage within 0.05 of nominal."""
    base = results["none"]
    out: dict[str, object] = {}
    for method, m in results.items():
        if method == "none":
            continue
        checks = {}
        for q in ("log_age", "av"):
            checks[f"{q}_bias_halved"] = abs(m[q]["bias"]) <= 0.5 * abs(base[q]["bias"])
            checks[f"{q}_coverage_ok"] = (
                abs(m[q]["coverage68"] - 0.68) <= 0.05 and abs(m[q]["coverage95"] - 0.95) <= 0.05
            )
        out[method] = {**checks, "met": all(checks.values())}
    return out


def plots(
    out: Path,
    truth: dict[str, np.ndarray],
    means: dict[str, dict[str, np.ndarray]],
    results: dict[str, dict[str, dict[str, float]]],
) -> list[str]:
    files: list[str] = []
    for q, label, lim in (("log_age", "log10 age / yr", (5.8, 8.0)), ("av", "A_V / mag", (-0.2, 3.4))):
        fig, axes = plt.subplots(1, len(means), figsize=(3.2 * len(means), 3.3), sharey=True)
        for ax, (method, m) in zip(np.atleast_1d(axes), means.items(), strict=True):
            ax.scatter(truth[q], m[q], s=3, alpha=0.4)
            ax.plot(lim, lim, "k-", lw=0.8)
            ax.set_xlim(lim)
            ax.set_ylim(lim)
            r = results[method][q]
            ax.set_title(f"{LABELS[method]}\nbias {r['bias']:+.3f}, RMSE {r['rmse']:.3f}", fontsize=8)
            ax.set_xlabel(f"true {label}", fontsize=8)
        np.atleast_1d(axes)[0].set_ylabel(f"posterior mean {label}", fontsize=8)
        fig.suptitle(f"'Real' test set: {label}", fontsize=9)
        fig.tight_layout()
        name = f"posterior-mean-{q.replace('_', '-')}.png"
        fig.savefig(out / name, dpi=110)
        plt.close(fig)
        files.append(name)
    fig, axes = plt.subplots(1, 2, figsize=(8, 3))
    x = np.arange(len(results))
    for ax, q in zip(axes, ("log_age", "av"), strict=True):
        ax.bar(x - 0.2, [abs(results[m][q]["bias"]) for m in results], 0.4, label="|bias|")
        ax.bar(x + 0.2, [results[m][q]["rmse"] for m in results], 0.4, label="RMSE")
        ax.set_xticks(x, [LABELS[m] for m in results], rotation=20, fontsize=7, ha="right")
        ax.set_title(q, fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out / "bias-rmse.png", dpi=110)
    plt.close(fig)
    files.append("bias-rmse.png")
    return files


def _real_clusters(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """The real validation clusters' part of the report: its table (as a section of report.md) and the
    medians that go into report.json; the full figures are in ``OUT/real-clusters``."""
    if args.synthetic_only:
        return {"skipped": "--synthetic-only", "markdown": ""}
    if not args.validation.is_dir():
        line = f"Real validation clusters: skipped, {args.validation} is absent."
        progress(line)
        return {"skipped": f"{args.validation} is absent", "markdown": line + "\n"}
    progress(f"real validation clusters with {args.real_model.name} (cradle infer and twins)")
    folder = out / "real-clusters"
    report = real_clusters.evaluate(args.real_model.resolve(), args.validation, folder)
    text = real_clusters.write_report(report, folder)
    return {
        "report": "real-clusters/report.json",
        "model": report["model"],
        "median_abs_error_dex": report["median_abs_error_dex"],
        "median_abs_combined_error_dex": report["median_abs_combined_error_dex"],
        "markdown": "#" + text,
    }


def _real_da(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """The real clusters with and without domain adaptation (``real_da``), as a section of report.md."""
    if args.synthetic_only or not args.validation.is_dir():
        return {"skipped": "--synthetic-only" if args.synthetic_only else f"{args.validation} is absent"}
    progress("real validation clusters with and without domain adaptation")
    models = out / "real-da" / "models"
    da_args = real_da.parser().parse_args(
        ["--out", str(out / "real-da"), "--cache", str(args.cache), "--validation", str(args.validation)]
        + (["--training-set", str(args.training_set)] if args.training_set is not None else [])
        + ["--seed", str(args.seed), "--save-models", str(models)]
    )
    report = real_da.evaluate(da_args)
    text = real_da.write_report(report, out / "real-da")
    summary: dict[str, Any] = {
        "report": "real-da/report.json",
        **{
            m: {k: v[k] for k in ("median_abs_error_dex", "median_abs_combined_error_dex")}
            for m, v in report["methods"].items()
        },
        "markdown": "#" + text,
    }
    kpg = models / "real-da-kpg"
    if kpg.is_dir():
        # The adapted model as the app runs it: `cradle infer` on the members and twins (real_clusters).
        progress(f"the keypoint-guided model's sampler against a fine-step reference ({kpg})")
        check = sampler_check.sampler_check(kpg, args.validation, out / "real-da" / "sampler-check")
        card = read_card(kpg)
        card["sampler_basis"] = check
        write_card(card, kpg)
        summary["app_kpg_sampler"] = check
        summary["markdown"] += "\n" + sampler_check.markdown(check)
        progress(f"the keypoint-guided model through the app ({kpg})")
        app = out / "real-da" / "app-kpg"
        app_report = real_clusters.evaluate(kpg, args.validation, app)
        app_text = real_clusters.write_report(app_report, app)
        summary["app_kpg"] = {
            "report": "real-da/app-kpg/report.json",
            "median_abs_error_dex": app_report["median_abs_error_dex"],
            "median_abs_combined_error_dex": app_report["median_abs_combined_error_dex"],
        }
        summary["markdown"] += "\n#" + app_text
    return summary


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="cradle_models.adaptation.report", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "cradle-da-cache",
        help="where the simulated catalogues are cached (default: %(default)s)",
    )
    ap.add_argument("--sim", type=int, default=12000, help="simulated training stars drawn")
    ap.add_argument("--real", type=int, default=6000, help="'real' training stars drawn (unlabelled)")
    ap.add_argument("--test", type=int, default=600, help="test stars drawn per world")
    ap.add_argument(
        "--pairs", type=float, default=0.01, help="fraction of real training stars with a simulated twin"
    )
    ap.add_argument("--pretrain", type=int, default=Schedule.pretrain)
    ap.add_argument("--adapt", type=int, default=Schedule.adapt)
    ap.add_argument("--samples", type=int, default=32, help="posterior samples per star")
    ap.add_argument("--steps", type=int, default=8, help="Heun steps of the posterior sampler")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--real-model",
        type=Path,
        default=real_clusters.ROOT / "native-models" / "models" / "cradle-small",
        help="model whose real-cluster ages are reported (default: the shipped one)",
    )
    ap.add_argument(
        "--validation",
        type=Path,
        default=real_clusters.DEFAULT_VALIDATION,
        help="real-stars/validation folder (default: %(default)s)",
    )
    ap.add_argument("--synthetic-only", action="store_true", help="skip the real validation clusters")
    ap.add_argument(
        "--training-set",
        type=Path,
        default=None,
        help="small-training-set shards for the real-data DA (default: simulated into --cache)",
    )
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    data = load_data(args.cache, args)
    t_data = time.perf_counter() - t0
    norm = Normaliser.fit(data.sim_train)
    prepared = prepare(norm, data.sim_train, data.real_train, data.pairs_sim, data.pairs_real)
    base = DATrainConfig(seed=args.seed)
    base = replace(base, schedule=replace(base.schedule, pretrain=args.pretrain, adapt=args.adapt))
    torch.manual_seed(args.seed)
    model = DASimformer(base.model, specs_of(data.sim_train))
    pre = DATrainer(base, model, prepared)
    progress(f"data ready in {t_data:.0f} s; pre-training the simulated branch ({args.pretrain} steps)")
    pre.pretrain()
    results: dict[str, dict[str, dict[str, float]]] = {}
    means: dict[str, dict[str, np.ndarray]] = {}
    logs: dict[str, object] = {"pretrain": pre.log}
    seconds: dict[str, float] = {"data": t_data, "pretrain": pre.seconds}
    reference: dict[str, dict[str, float]] = {}
    adapted: DASimformer | None = None
    for method in [m for m in args.methods.split(",") if m]:
        cfg = base.with_method(method)
        trainer = DATrainer(cfg, clone(model), prepared)
        progress(f"{LABELS[method]}: {args.adapt} adaptation steps, then posteriors of the 'real' test set")
        trainer.adapt()
        logs[method] = trainer.log
        seconds[method] = trainer.seconds
        s = posterior_samples(
            trainer.model, norm, data.real_test, "real", args.samples, args.steps, args.seed + 1
        )
        results[method] = metrics(s, data.real_test)
        means[method] = {k: v.mean(axis=1) for k, v in physical_scored(s).items()}
        if method == "none":
            s_sim = posterior_samples(
                trainer.model, norm, data.sim_test, "sim", args.samples, args.steps, args.seed + 1
            )
            reference = metrics(s_sim, data.sim_test)
        adapted = trainer.model
    assert adapted is not None
    graphs = export_encoders(adapted.encoders("real"), out / "onnx")
    onnx_max_abs = parity(adapted.encoders("real"), out / "onnx")
    truth = physical_scored(shift_data.to_network(data.real_test.theta))
    files = plots(out, truth, means, results)
    md = (
        "# Domain adaptation: synthetic shift (simulated: PARSEC + Kurucz; "
        "'real': magnetic Feiden + BT-Settl, 1.5x noise, calibration offsets, flux tilt)\n\n"
        + table(results, reference)
        + "\n\n"
    )
    real_summary = _real_clusters(args, out)
    md += real_summary["markdown"]
    real_da_summary = _real_da(args, out)
    md += "\n" + real_da_summary.get("markdown", "")
    write_text(out / "report.md", md)
    write_json(
        out / "report.json",
        {
            "table": results,
            "reference_sim_test_no_da": reference,
            "targets": targets(results) if "none" in results else {},
            "sizes": {
                "sim_train": int(data.sim_train.theta.shape[0]),
                "real_train": int(data.real_train.theta.shape[0]),
                "real_test": int(data.real_test.theta.shape[0]),
                "pairs": int(data.pairs_sim.theta.shape[0]),
            },
            "sampler": {"solver": "heun", "steps": args.steps, "samples_per_star": args.samples},
            "config": base.to_dict(),
            "worlds": {"simulated": repr(shift_data.SIMULATED), "real": repr(shift_data.REAL)},
            "onnx": {**graphs, "max_abs_parity": onnx_max_abs},
            "seconds": {**seconds, "total": time.perf_counter() - t0},
            "plots": files,
            "logs": logs,
            "real_clusters": {k: v for k, v in real_summary.items() if k != "markdown"},
            "real_clusters_domain_adaptation": {k: v for k, v in real_da_summary.items() if k != "markdown"},
        },
    )
    last = list(results)[-1]
    write_json(
        out / "card-section.json",
        {
            "domain_adaptation": {
                "adapted": last != "none",
                "method": LABELS[last],
                "losses": "flow matching + contrastive (InfoNCE, spectrum vs pooled) + OT + real-sim pairs",
                "weights": base.to_dict()["weights"],
                "encoders": graphs,
                "encoder_inputs": "per modality: values, errors (normalised), mask (False = missing pixel)",
                "synthetic_shift": {"real_test": results[last], "no_da": results.get("none")},
                "report": "report.json",
            }
        },
    )
    print(md)


if __name__ == "__main__":
    main()
