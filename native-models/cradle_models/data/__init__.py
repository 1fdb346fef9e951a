"""Training data: condition-mask sampler, toy simulators, the simulator's Parquet shards."""

from cradle_models.data.masks import MaskMixture, sample_conditions
from cradle_models.data.sets import RawSet, TrainingSet

__all__ = ["MaskMixture", "RawSet", "TrainingSet", "sample_conditions"]
