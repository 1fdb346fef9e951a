"""``python -m cradle_models.export``: re-export a trained model folder with the current export code.

    python -m cradle_models.export --model native-models/models/NAME
    python -m cradle_models.export --model DIR --data SHARDS      # or --toy NAME: the training data
    python -m cradle_models.export --model DIR --solver heun --steps 8   # change the card's defaults
    python -m cradle_models.export --model DIR --solver midpoint --steps 5 --grid-exponent 2.5 --final-euler

Reads ``DIR/card.json`` and the EMA weights of ``DIR/checkpoint.pt`` (or ``--checkpoint``), rewrites
the ONNX graphs, the card (same variables and normalisation, training record kept, training ranges
recomputed from the training split) and ``parity.json``. The training data is found from the card's
``training.data`` (the toy and its seed, or the shard folder) unless ``--data``/``--toy`` is given.
The card's calibration is kept when the sampler settings are unchanged (the graphs compute the same
function); changing them clears it until ``cradle_models.report`` measures the new settings, and
records in ``sampler_basis`` the previous settings and the step sweep they were chosen from.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Literal

import torch

from cradle_models.data.sources import TOYS, load_source, split_indices
from cradle_models.export.card import (
    card_variables,
    observable_covariance,
    prior_marginals,
    read_card,
    training_ranges,
)
from cradle_models.export.model import export_model
from cradle_models.export.sampler import Schedule
from cradle_models.nets.simformer import Simformer, SimformerConfig
from cradle_models.training.trainer import CHECKPOINT


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m cradle_models.export", description=__doc__.split("\n")[0])
    p.add_argument("--model", type=Path, required=True, help="model folder (card.json + checkpoint.pt)")
    p.add_argument("--checkpoint", type=Path, help=f"default: MODEL/{CHECKPOINT}")
    p.add_argument("--data", type=Path, help="the simulator shards it was trained on (default: the card's)")
    p.add_argument("--toy", choices=TOYS, help="the toy it was trained on (default: the card's)")
    p.add_argument("--solver", choices=("euler", "heun", "midpoint"), help="new default solver")
    p.add_argument("--steps", type=int, help="new default step count")
    p.add_argument("--samples", type=int, help="new default samples per star")
    p.add_argument(
        "--grid-exponent",
        type=float,
        help="new default time grid: 1 for uniform, P > 1 for the power grid t_k = 1 - (1 - k/N)^P",
    )
    p.add_argument(
        "--final-euler",
        action=argparse.BooleanOptionalAction,
        help="new default for an Euler last step (--no-final-euler: the solver's own)",
    )
    return p.parse_args(argv)


def _new_sampler(card_sampler: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """The card's sampler with the settings given on the command line replaced."""
    sampler = dict(card_sampler)
    for key, value in (("solver", args.solver), ("steps", args.steps), ("samples_per_star", args.samples)):
        if value is not None:
            sampler[key] = value
    if args.grid_exponent is None and args.final_euler is None:
        return sampler
    schedule = Schedule.from_card(sampler)
    if args.grid_exponent is not None:
        grid: Literal["uniform", "power"] = "uniform" if args.grid_exponent == 1.0 else "power"
        schedule = Schedule(grid, args.grid_exponent, schedule.final_euler)
    if args.final_euler is not None:
        schedule = Schedule(schedule.grid, schedule.exponent, args.final_euler)
    return {**sampler, **schedule.to_card()}


def _training_source(
    card: dict[str, Any], args: argparse.Namespace, where: Path
) -> tuple[Path | None, str | None, int]:
    data = card.get("training", {}).get("data", {})
    rows = sum(int(data.get(k, 0)) for k in ("rows_train", "rows_validation", "rows_test"))
    if args.data is not None or args.toy is not None:
        return args.data, args.toy, rows or 100_000
    if data.get("source") == "toy" and data.get("toy") in TOYS:
        return None, str(data["toy"]), rows
    if data.get("source") == "shards" and data.get("folder"):
        return Path(str(data["folder"])), None, rows
    raise ValueError(f"{where}: training.data names no toy or shard folder; give --data DIR or --toy NAME")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    card = read_card(args.model)
    where = args.model / "card.json"
    checkpoint = args.checkpoint or args.model / CHECKPOINT
    try:
        state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    except (OSError, RuntimeError) as err:
        raise SystemExit(f"{checkpoint}: cannot read checkpoint ({err})") from err
    config = SimformerConfig(**state["model_config"])
    arch = SimformerConfig.from_architecture(card["architecture"]).to_dict()
    if arch != config.to_dict():
        raise SystemExit(f"{checkpoint}: model {config.to_dict()} differs from {where} architecture {arch}")
    model = Simformer(config)
    model.load_state_dict(state["ema"])
    model.eval()

    variables = card_variables(card)
    data, toy, rows = _training_source(card, args, where)
    seed = int(card["training"]["data"]["split_seed"])
    source = load_source(data, toy, rows, seed)
    if [v.name for v in source.raw.variables] != [v.name for v in variables]:
        raise SystemExit(f"{where}: the card's variables differ from the training data's columns")
    train = source.raw.subset(split_indices(len(source.raw), seed)["train"])
    ranges = training_ranges(variables, train.values)

    sampler = _new_sampler(card["sampler"], args)
    unchanged = sampler == card["sampler"]
    basis = card.get("sampler_basis")
    if not unchanged:
        # Why the defaults changed: the settings before and the calibration-against-cost sweep that
        # was measured on them (cradle_models.report --step-sweep), kept in the card as the evidence.
        sweep = (card.get("calibration") or {}).get("step_sweep")
        basis = {"previous": card["sampler"], "step_sweep": sweep}
    out = export_model(
        model,
        variables,
        args.model,
        name=str(card["name"]),
        description=str(card.get("description", "")),
        training=dict(card["training"]),
        sampler=sampler,
        time_sampling=str(card["path"].get("time_sampling", "uniform")),
        prior=str(card.get("prior", "")),
        ranges=ranges,
        observables=observable_covariance(
            variables,
            train.values,
            source.raw.subset(split_indices(len(source.raw), seed)["validation"]).values,
        ),
        priors=prior_marginals(variables, train.values),
        calibration=card.get("calibration") if unchanged else None,
        sampler_basis=basis,
    )
    print(
        json.dumps(
            {
                "model": str(args.model),
                "sampler": out["sampler"],
                "ranges": len(ranges),
                "calibration": "kept" if unchanged else "cleared: run cradle_models.report",
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
