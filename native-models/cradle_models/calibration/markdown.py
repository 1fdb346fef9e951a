"""The report as Markdown tables (``report.md`` beside ``report.json``), for the model folder and notes."""

from __future__ import annotations

from typing import Any

from cradle_models.calibration.coverage import coverage_standard_error

CASES = (("all_observables", "all observables"), ("missing_observables", "50% of observables missing"))


def _f(x: object, digits: int = 3) -> str:
    return "–" if x is None else f"{float(x):.{digits}f}"  # type: ignore[arg-type]


def _coverage(report: dict[str, Any]) -> list[str]:
    levels = list(next(iter(report["all_observables"]["coverage"].values())).keys())
    lines = [
        "| parameter | case | " + " | ".join(f"{float(lv):.0%}" for lv in levels) + " |",
        "|---|---|" + "---|" * len(levels),
    ]
    for key, label in CASES:
        for name, cov in report[key]["coverage"].items():
            lines.append(f"| {name} | {label} | " + " | ".join(_f(cov[lv], 3) for lv in levels) + " |")
    stars = int(report["all_observables"]["stars"])
    errors = ", ".join(f"{float(lv):.0%} ±{coverage_standard_error(float(lv), stars):.3f}" for lv in levels)
    lines.append("")
    lines.append(
        f"Coverage from the randomised PIT of each truth among its star's samples; binomial standard error "
        f"of one cell with {stars} stars: {errors}."
    )
    lines.append("")
    lines.append("| case | max \\|coverage − nominal\\| | TARP ATC | TARP KS p | SBC χ² p (per parameter) |")
    lines.append("|---|---|---|---|---|")
    for key, label in CASES:
        r = report[key]
        sbc = ", ".join(f"{n} {_f(p, 2)}" for n, p in r["sbc_chi2_pvalue"].items())
        lines.append(
            f"| {label} | {_f(r['max_coverage_error'])} | {_f(r['tarp']['atc'])} | "
            f"{_f(r['tarp']['ks_pvalue'])} | {sbc} |"
        )
    return lines


def _accuracy(report: dict[str, Any], key: str) -> list[str]:
    table = report[key]["accuracy"]
    names = list(table["all"]["bias"].keys())
    lines = [
        "| split | stars | " + " | ".join(f"{n} bias / RMSE / med\\|Δ\\|" for n in names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for label, row in table.items():
        if row["stars"] == 0:
            lines.append(f"| {label} | 0 | " + " | ".join("–" for _ in names) + " |")
            continue
        cells = [
            f"{_f(row['bias'][n])} / {_f(row['rmse'][n])} / {_f(row['median_abs_delta'][n])}" for n in names
        ]
        lines.append(f"| {label} | {row['stars']} | " + " | ".join(cells) + " |")
    return lines


def _npe(b: dict[str, Any]) -> list[str]:
    if "skipped" in b:
        return [f"NPE not run: {b['skipped']}"]
    npe, sim = b["npe"], b["simformer_same_inputs"]
    lines = [
        f"NPE: {npe['estimator']}, {npe['training_stars']} fully observed training stars, "
        f"{npe['steps']} steps "
        f"(batch {npe['batch_size']}) in {npe['seconds']} s wall / {npe['cpu_seconds']} s CPU; "
        f"observables {', '.join(npe['observables'])} (values and uncertainties). Both models see exactly "
        f"these observables of the same {npe['stars']} held-out stars.",
        "",
        "| model | max \\|coverage − nominal\\| | TARP ATC | "
        + " | ".join(f"med\\|Δ log age\\| {k}" for k in npe["median_abs_delta"] if k != "all")
        + " | "
        + " | ".join(f"med\\|Δ\\| {n}" for n in npe["median_abs_delta"]["all"])
        + " |",
    ]
    bins = [k for k in npe["median_abs_delta"] if k != "all"]
    names = list(npe["median_abs_delta"]["all"])
    lines.append("|---|---|---|" + "---|" * (len(bins) + len(names)))
    for label, r in (("Simformer", sim), ("NPE (sbi NSF)", npe)):
        age = [
            f"{_f(r['median_abs_delta'][k].get('log_age'))} (n={r['median_abs_delta'][k]['stars']})"
            for k in bins
        ]
        allp = [_f(r["median_abs_delta"]["all"][n]) for n in names]
        lines.append(
            f"| {label} | {_f(r['max_coverage_error'])} | {_f(r['tarp_atc'])} | "
            + " | ".join(age + allp)
            + " |"
        )
    return lines


def _sagitta(b: dict[str, Any]) -> list[str]:
    if "skipped" in b:
        return [f"Sagitta not run: {b['skipped']}"]
    lines = [
        f"Sagitta 1.2.3 age network on the {b['stars']} held-out stars with its inputs ({b['inputs']}); "
        "median |Δ log age| (dex) of Sagitta's age and of the Simformer's posterior median:",
        "",
        "| stars | n | Sagitta | Simformer |",
        "|---|---|---|---|",
    ]
    for label, r in b["median_abs_delta_log_age"].items():
        lines.append(f"| {label} | {r['stars']} | {_f(r['sagitta'])} | {_f(r['simformer'])} |")
    return lines


def markdown_report(report: dict[str, Any], name: str) -> str:
    s = report["settings"]
    lines = [
        f"# Calibration and accuracy of {name}",
        "",
        f"{s['held_out_stars']} held-out simulated stars, {s['samples_per_star']} posterior samples per "
        "star, "
        f"{s['solver']} with {s['steps']} steps; second case: each observable dropped with probability "
        f"{s['missing_fraction']}.",
        "",
        "## Coverage of central credible intervals, TARP, SBC",
        "",
        *_coverage(report),
    ]
    for key, label in CASES:
        lines += [
            "",
            f"## Accuracy ({label}): bias / RMSE of the posterior mean, median |Δ| of the median",
            "",
        ]
        lines += _accuracy(report, key)
    baselines = report.get("baselines", {})
    if "npe" in baselines:
        lines += ["", "## Baseline: NPE (fully observed case)", "", *_npe(baselines["npe"])]
    if "sagitta" in baselines:
        lines += ["", "## Baseline: Sagitta (age)", "", *_sagitta(baselines["sagitta"])]
    if "step_sweep" in report:
        lines += ["", "## Cost vs calibration (all observables)", ""]
        lines += [
            "| solver | steps | FLOPs per star | max \\|coverage − nominal\\| | TARP ATC |",
            "|---|---|---|---|---|",
        ]
        for r in report["step_sweep"]:
            lines.append(
                f"| {r['solver']} | {r['steps']} | {r['flops_per_star']:.3g} | "
                f"{_f(r['max_coverage_error'])} | {_f(r['tarp_atc'])} |"
            )
    return "\n".join(lines) + "\n"
