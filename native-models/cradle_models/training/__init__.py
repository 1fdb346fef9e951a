"""Training loop, presets, EMA, schedules and checkpoints."""

from cradle_models.training.config import PRESETS, TrainConfig, preset
from cradle_models.training.trainer import Trainer

__all__ = ["PRESETS", "TrainConfig", "Trainer", "preset"]
