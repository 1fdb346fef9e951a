"""Training configuration and presets.

``tiny``: the test suite's toy models (seconds on one CPU core).
``small``: the model shipped for first use; sized to train in ≤ 45 minutes on 2 CPU cores (measured
2026-11-26 on the idle 2-core machine: 8000 steps of 512 stars in 21.6 min wall, 35 CPU-minutes, i.e.
0.16 s wall per step; the rest of the 45 minutes is headroom for a machine shared with other work).
Its training set is the simulator run of ``native-models/configs/small-training-set.json`` (fixed
seed), generated on first use.
``full``: GPU training (mixed precision) on the complete training sets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from cradle_models.data.masks import MaskMixture
from cradle_models.export.sampler import UNIFORM, Schedule
from cradle_models.losses.flow_matching import TimeSampling


@dataclass(frozen=True)
class ModelSize:
    width: int = 64
    heads: int = 4
    context_layers: int = 2
    velocity_layers: int = 2
    mlp_ratio: int = 2
    prediction: Literal["velocity", "data"] = "velocity"


@dataclass(frozen=True)
class TrainConfig:
    preset: str
    model: ModelSize = field(default_factory=ModelSize)
    batch_size: int = 256
    steps: int = 2000
    lr: float = 1e-3
    weight_decay: float = 1e-4
    warmup_steps: int = 100
    ema_decay: float = 0.999
    grad_clip: float = 1.0
    time_sampling: TimeSampling = "uniform"
    mixture: MaskMixture = field(default_factory=MaskMixture)
    seed: int = 0
    val_every: int = 500
    val_size: int = 2048
    checkpoint_every: int = 1000
    amp: bool = True
    threads: int = 2
    solver: str = "heun"
    solver_steps: int = 16
    samples_per_star: int = 128
    schedule: Schedule = UNIFORM
    # Simulator config (relative to native-models/) that generates this preset's training set when no
    # --data folder is given; None: --data (or --toy) is required.
    training_set: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_overrides(self, **kwargs: Any) -> TrainConfig:
        return replace(self, **kwargs)


PRESETS: dict[str, TrainConfig] = {
    "tiny": TrainConfig(
        preset="tiny",
        model=ModelSize(width=32, heads=2, context_layers=1, velocity_layers=2, mlp_ratio=2),
        batch_size=256,
        steps=1500,
        lr=2e-3,
        warmup_steps=50,
        ema_decay=0.995,
        val_every=500,
        val_size=1024,
        checkpoint_every=500,
        threads=1,
    ),
    "small": TrainConfig(
        preset="small",
        # Data prediction: the Gaia-parallax distance posteriors are ~30x narrower than the prior, and a
        # velocity head left them ~0.1 too wide in coverage at any step count (nets/simformer.py).
        model=ModelSize(
            width=64, heads=4, context_layers=2, velocity_layers=2, mlp_ratio=2, prediction="data"
        ),
        batch_size=512,
        steps=8000,
        lr=2e-3,
        warmup_steps=300,
        ema_decay=0.999,
        time_sampling="uniform",
        # The shipped use is the posterior of all parameters from whatever a star has: weight that mode,
        # keep the others (joint, likelihood, random subsets) and the dropouts so any pattern is served.
        mixture=MaskMixture(
            posterior=0.5,
            joint=0.05,
            likelihood=0.1,
            random=0.35,
            survey_dropout=0.1,
            observable_dropout=0.3,
            observable_dropout_rate=0.5,
            parameter_dropout=0.1,
            edge_cut=0.05,
        ),
        val_every=500,
        val_size=2048,
        checkpoint_every=500,
        threads=2,
        # Midpoint, 5 steps on the power-2.5 grid with a final Euler step (9 evaluations) × 48 samples:
        # on 3,000 validation stars the largest coverage error was 0.011 (all observables) and 0.026 (half
        # missing), against 0.025 / 0.031 for Heun 8 on the power-3 grid × 64 samples at 2.2× the cost;
        # Euler over-tightens and fewer Heun steps over-widen (models/cradle-small sampler_basis).
        solver="midpoint",
        solver_steps=5,
        samples_per_star=48,
        schedule=Schedule("power", 2.5, final_euler=True),
        training_set="configs/small-training-set.json",
    ),
    "full": TrainConfig(
        preset="full",
        model=ModelSize(width=256, heads=8, context_layers=4, velocity_layers=6, mlp_ratio=4),
        batch_size=4096,
        steps=300_000,
        lr=5e-4,
        warmup_steps=5000,
        ema_decay=0.9999,
        val_every=5000,
        val_size=65_536,
        checkpoint_every=5000,
        threads=8,
    ),
}


def preset(name: str) -> TrainConfig:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {sorted(PRESETS)}")
    return PRESETS[name]
