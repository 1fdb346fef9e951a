"""``python -m cradle_models.train``: train a Simformer, export its ONNX graphs and model card.

    python -m cradle_models.train --preset small --out native-models/models/cradle-small
    python -m cradle_models.train --preset small --data DIR --out native-models/models/NAME
    python -m cradle_models.train --preset tiny --toy linear-gaussian --out /tmp/toy

Without ``--data`` or ``--toy``, a preset with a ``training_set`` config (``small``) simulates its
training set first (cradle_models.data.generate), so that one command reproduces the shipped model.
Re-running with ``--resume`` continues from ``OUT/checkpoint.pt``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from cradle_models.data.generate import NATIVE_MODELS, ensure_training_set
from cradle_models.data.sets import TrainingSet
from cradle_models.data.sources import TOYS, load_source, split_indices
from cradle_models.export.card import observable_covariance, prior_marginals, training_ranges
from cradle_models.export.model import export_model
from cradle_models.training.config import PRESETS, TrainConfig, preset
from cradle_models.training.trainer import CHECKPOINT, Trainer
from cradle_models.variables import fit_normalisation


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m cradle_models.train", description=__doc__.split("\n")[0])
    p.add_argument("--preset", default="small", choices=sorted(PRESETS))
    p.add_argument(
        "--data",
        type=Path,
        help="folder of simulator shards (manifest.json + Parquet); default: the preset's own training set",
    )
    p.add_argument("--toy", choices=TOYS, help="train on a built-in toy simulator instead")
    p.add_argument("--toy-rows", type=int, default=100_000)
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="model folder to write (default: native-models/models/cradle-<preset>)",
    )
    p.add_argument("--name", help="model name for the card (default: the folder name)")
    p.add_argument("--steps", type=int, help="override the preset's step count")
    p.add_argument("--seed", type=int, help="override the preset's seed")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    return p.parse_args(argv)


def configure(args: argparse.Namespace) -> TrainConfig:
    config = preset(args.preset)
    if args.steps is not None:
        config = config.with_overrides(steps=args.steps)
    if args.seed is not None:
        config = config.with_overrides(seed=args.seed)
    return config


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config = configure(args)
    if args.out is None:
        args.out = NATIVE_MODELS / "models" / f"cradle-{config.preset}"
    if args.data is None and args.toy is None and config.training_set is not None:
        args.data = ensure_training_set(config.training_set)
    source = load_source(args.data, args.toy, args.toy_rows, config.seed)
    split = split_indices(len(source.raw), config.seed)
    train_raw = source.raw.subset(split["train"])
    variables = fit_normalisation(source.raw.variables, train_raw.values)
    train = TrainingSet.from_raw(train_raw, variables)
    validation_raw = source.raw.subset(split["validation"])
    validation = TrainingSet.from_raw(validation_raw, variables)

    trainer = Trainer(config, train, validation, out_dir=args.out, device=args.device)
    if args.resume and (args.out / CHECKPOINT).exists():
        trainer.load_checkpoint(args.out / CHECKPOINT)
        print(f"resumed from {args.out / CHECKPOINT} at step {trainer.step}", file=sys.stderr)
    started, cpu_started = time.monotonic(), time.process_time()
    trainer.run(on_log=lambda r: print(json.dumps(r), file=sys.stderr))
    seconds = time.monotonic() - started
    cpu_seconds = time.process_time() - cpu_started
    trainer.save_checkpoint(args.out / CHECKPOINT)

    model = trainer.ema_model()
    last = trainer.history[-1] if trainer.history else {}
    export_model(
        model,
        variables,
        args.out,
        name=args.name or args.out.name,
        description=f"Simformer ({config.preset} preset) trained on "
        f"{source.meta.get('toy') or 'simulator shards'}",
        training={
            "preset": config.preset,
            "config": config.to_dict(),
            "data": {
                **source.meta,
                "rows_train": len(train),
                "rows_validation": len(validation),
                "rows_test": int(len(split["test"])),
                "split_seed": config.seed,
            },
            "steps": trainer.step,
            "seconds_this_run": round(seconds, 1),
            "cpu_seconds_this_run": round(cpu_seconds, 1),
            "threads": config.threads,
            "device": args.device,
            "final_train_loss": last.get("train_loss"),
            "final_validation_loss": last.get("val_loss"),
        },
        sampler={
            "solver": config.solver,
            "steps": config.solver_steps,
            "samples_per_star": config.samples_per_star,
            **config.schedule.to_card(),
        },
        time_sampling=config.time_sampling,
        prior="the training set's distribution of parameters (the simulator's prior after its selection cuts)"
        + (f": {source.meta['prior_note']}" if source.meta.get("prior_note") else ""),
        ranges=training_ranges(variables, train_raw.values),
        observables=observable_covariance(variables, train_raw.values, validation_raw.values),
        priors=prior_marginals(variables, train_raw.values),
    )
    print(
        json.dumps(
            {
                "model": str(args.out),
                "steps": trainer.step,
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu_seconds, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
