"""An app model's default sampler against a fine-step reference, through the app's engine.

An adapted model (``app_model``) ships with the default model's sampler settings (midpoint, 5 steps on
the power-2.5 grid with a final Euler step, 48 samples: chosen for ``cradle-small`` on its validation
split, see native-models/README.md) instead of the Heun 8 × 64 its training report samples with. This
checks that choice on real stars the model is meant for: ``cradle infer`` at the card's settings and
again with ``REFERENCE_STEPS`` Heun steps on the same grid, same seed and number of samples, so each
sample starts from the same noise in both runs and their difference is the ODE solver's error alone.
Per parameter: the median over stars of |Δ posterior median| in units of the reference's half 16–84%
width, the median relative |Δ width| and the mean width ratio; and both runs' stars/s.

    PYTHONPATH=native-models native-models/.venv/bin/python -m cradle_models.adaptation.sampler_check \
        --model native-models/models/real-da-kpg --out /tmp/sampler-check
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from cradle_models.adaptation import real_clusters

REFERENCE_STEPS = 32
# α Per's members (gyro-interp): the largest validation table of the stars the adapted models are for.
CHECK_TABLE = "gyro-interp/Boyle_inprep_X_GDR3_supplemented.csv"


def _run(model: Path, table: Path, out: Path, extra: list[str]) -> tuple[Any, float]:
    if out.exists():
        shutil.rmtree(out)
    real_clusters.run_cradle(
        ["infer", "--quiet", "--model", str(model), "--input", str(table), "--out", str(out), *extra]
    )
    record = json.loads((out / "run.json").read_text())
    return pq.read_table(out / "summary.parquet").to_pandas(), float(record["stars_per_s"])


def compare(card_run: Any, reference: Any, parameters: list[str]) -> dict[str, dict[str, float]]:
    """Per parameter: median |Δ median| / reference half-width, median |Δ half-width| / reference
    half-width, and the mean ratio of half-widths (card / reference), over the stars both runs summarise."""
    out: dict[str, dict[str, float]] = {}
    for p in parameters:
        width = ((reference[f"{p}_p84"] - reference[f"{p}_p16"]) / 2).to_numpy(float)
        card_width = ((card_run[f"{p}_p84"] - card_run[f"{p}_p16"]) / 2).to_numpy(float)
        shift = np.abs(card_run[f"{p}_median"].to_numpy(float) - reference[f"{p}_median"].to_numpy(float))
        ok = np.isfinite(shift) & np.isfinite(card_width) & (width > 0)
        out[p] = {
            "median_abs_shift_in_widths": float(np.median(shift[ok] / width[ok])),
            "median_abs_width_change": float(np.median(np.abs(card_width[ok] - width[ok]) / width[ok])),
            "mean_width_ratio": float(np.mean(card_width[ok] / width[ok])),
        }
    return out


def sampler_check(model: Path, validation: Path, out: Path) -> dict[str, Any]:
    card = json.loads((model / "card.json").read_text())
    sampler = card["sampler"]
    table = validation / CHECK_TABLE
    if not table.exists():
        raise SystemExit(f"{table}: validation table missing")
    card_run, card_rate = _run(model, table, out / "card", [])
    reference, reference_rate = _run(
        model,
        table,
        out / "reference",
        ["--solver", "heun", "--steps", str(REFERENCE_STEPS), "--samples", str(sampler["samples_per_star"])],
    )
    parameters = [v["name"] for v in card["variables"] if v["role"] == "parameter"]
    return {
        "table": CHECK_TABLE,
        "stars": int(len(card_run)),
        "card_sampler": sampler,
        "reference": {"solver": "heun", "steps": REFERENCE_STEPS, "same_noise": True},
        "stars_per_s": {"card": card_rate, "reference": reference_rate},
        "against_reference": compare(card_run, reference, parameters),
    }


def markdown(check: dict[str, Any]) -> str:
    s = check["card_sampler"]
    grid = s["time_grid"]
    lines = [
        f"### The adapted model's sampler: {s['solver']} {s['steps']} steps"
        + (f" (power-{grid['exponent']:g} grid" if grid["kind"] == "power" else " (uniform grid")
        + (", final Euler step)" if s.get("final_euler") else ")")
        + f" × {s['samples_per_star']} samples",
        "",
        f"Against Heun {check['reference']['steps']} steps from the same noise, through `cradle infer` on "
        f"{check['stars']} stars of `{check['table']}`; {check['stars_per_s']['card']:.0f} stars/s at the "
        f"card's settings, {check['stars_per_s']['reference']:.0f} at the reference's.",
        "",
        "| parameter | median \\|Δ median\\| (reference widths) "
        "| median \\|Δ width\\| / width | mean width ratio |",
        "|---|---|---|---|",
    ]
    for name, row in check["against_reference"].items():
        lines.append(
            f"| {name} | {row['median_abs_shift_in_widths']:.3f} | {row['median_abs_width_change']:.3f} "
            f"| {row['mean_width_ratio']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="cradle_models.adaptation.sampler_check", description=__doc__.split("\n\n")[0]
    )
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--validation", type=Path, default=real_clusters.DEFAULT_VALIDATION)
    ap.add_argument("--out", type=Path, required=True, help="folder for the two runs")
    args = ap.parse_args(sys.argv[1:] if argv is None else argv)
    print(json.dumps(sampler_check(args.model, args.validation, args.out), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
