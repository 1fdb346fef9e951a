"""Sets of simulated stars in memory: physical (``RawSet``) and normalised for training (``TrainingSet``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

from cradle_models.variables import FloatArray, Variable, normalise, normalise_errors

BoolArray = np.ndarray


@dataclass
class RawSet:
    """Physical values [N, D] (NaN where absent), uncertainties [N, D] (0 = none), present [N, D]."""

    variables: list[Variable]
    values: FloatArray
    errors: FloatArray
    present: BoolArray

    def __post_init__(self) -> None:
        d = len(self.variables)
        for name, arr in (("values", self.values), ("errors", self.errors), ("present", self.present)):
            if arr.ndim != 2 or arr.shape[1] != d:
                raise ValueError(f"RawSet.{name}: expected shape [N, {d}], got {arr.shape}")
        self.values = np.where(self.present, self.values, np.nan)
        self.errors = np.where(self.present, np.nan_to_num(self.errors, nan=0.0), 0.0)

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def subset(self, index: np.ndarray) -> RawSet:
        return RawSet(self.variables, self.values[index], self.errors[index], self.present[index])


@dataclass
class TrainingSet:
    """Normalised tensors for training; absent entries stay NaN and are never gathered into tokens."""

    variables: list[Variable]
    values: Tensor
    errors: Tensor
    present: Tensor

    @staticmethod
    def from_raw(raw: RawSet, variables: list[Variable]) -> TrainingSet:
        values = normalise(variables, raw.values)
        errors = normalise_errors(variables, np.nan_to_num(raw.values, nan=1.0), raw.errors)
        present = raw.present & np.isfinite(values)
        return TrainingSet(
            variables=variables,
            values=torch.as_tensor(values, dtype=torch.float32),
            errors=torch.as_tensor(np.where(present, np.abs(errors), 0.0), dtype=torch.float32),
            present=torch.as_tensor(present, dtype=torch.bool),
        )

    def __len__(self) -> int:
        return int(self.values.shape[0])
