"""The domain-adaptation training configuration: loss weights, their schedules, the real-data sampler and
the optimal-transport settings, all in one record that the report stores next to its figures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from cradle_models.adaptation.gromov import GWSettings
from cradle_models.adaptation.keypoint_ot import KPGSettings
from cradle_models.adaptation.model import DAModelConfig

Method = Literal["none", "contrastive", "ot", "kpg"]
METHODS: tuple[Method, ...] = ("none", "contrastive", "ot", "kpg")


@dataclass(frozen=True)
class LossWeights:
    """Final loss = flow matching + contrastive·L_C + ot·L_OT + pair·L_R−S (science doc, section III)."""

    contrastive: float = 0.1
    ot: float = 1.0
    pair: float = 1.0
    temperature: float = 0.1  # InfoNCE


@dataclass(frozen=True)
class Schedule:
    """Steps of the two phases and how the alignment weights come in.

    ``pretrain``: the simulated branch learns alone (flow matching + contrastive); the checkpoint is shared
    by every method so they differ only by what happens next. ``adapt``: the method's own losses; their
    weights rise linearly from 0 over ``ramp`` steps (alignment of an untrained embedding would only
    add noise). Learning rate: linear warm-up then cosine, restarted at the adaptation phase.
    """

    pretrain: int = 600
    adapt: int = 250
    ramp: int = 150
    warmup: int = 100
    lr: float = 2e-3
    adapt_lr: float = 1e-3
    weight_decay: float = 1e-4
    clip: float = 1.0

    def ramp_factor(self, step: int) -> float:
        return min(1.0, (step + 1) / max(self.ramp, 1))


@dataclass(frozen=True)
class Sampler:
    """How each step draws its batches: simulated stars, unlabelled real stars, and sim–real pairs (added
    to both minibatches at the same positions, so they are the keypoints of that minibatch's plan)."""

    sim_batch: int = 256
    real_batch: int = 128
    ot_batch: int = 48  # stars per side in each modality's OT problem
    pairs_per_batch: int = 16


@dataclass(frozen=True)
class DATrainConfig:
    method: Method = "none"
    model: DAModelConfig = field(default_factory=lambda: DAModelConfig(n_parameters=4))
    weights: LossWeights = field(default_factory=LossWeights)
    schedule: Schedule = field(default_factory=Schedule)
    sampler: Sampler = field(default_factory=Sampler)
    gw: GWSettings = field(default_factory=lambda: GWSettings(epsilon=0.1, alpha=0.5))
    kpg: KPGSettings = field(default_factory=KPGSettings)
    seed: int = 0

    def with_method(self, method: str) -> DATrainConfig:
        if method not in METHODS:
            raise ValueError(
                f"unknown domain-adaptation method {method!r}; choose one of {', '.join(METHODS)}"
            )
        return replace(self, method=method)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
