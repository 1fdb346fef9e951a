"""The model's variables: names, roles, units, transforms and normalisation.

A model is trained on a fixed ordered list of scalar variables (its tokens). Each variable is mapped to
the network's space by ``z = (transform(value) - mean) / std``; its per-star uncertainty is mapped to the
same space to first order (``err_z = |d transform / d value| * err / std``). The list travels in the model
card so the TypeScript engine hard-codes none of it (architecture doc, "Model card").
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Role = Literal["parameter", "observable"]
TransformKind = Literal["identity", "log10"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Transform:
    """A monotone map to an unbounded space: ``identity`` or ``log10(value + offset)``.

    ``log10`` keeps bounded parameters (masses, distances, A_V with a small offset) in range when sampled
    back (science doc, trap 4).
    """

    kind: TransformKind = "identity"
    offset: float = 0.0

    def forward(self, value: FloatArray) -> FloatArray:
        if self.kind == "identity":
            return value
        return np.log10(value + self.offset)

    def inverse(self, y: FloatArray) -> FloatArray:
        if self.kind == "identity":
            return y
        return np.power(10.0, y) - self.offset

    def error_forward(self, value: FloatArray, err: FloatArray) -> FloatArray:
        """First-order propagation of an uncertainty through the transform."""
        if self.kind == "identity":
            return err
        return err / ((value + self.offset) * math.log(10.0))


@dataclass(frozen=True)
class Variable:
    """One token of the model: a parameter or an observable."""

    name: str
    role: Role
    unit: str = ""
    transform: Transform = field(default_factory=Transform)
    mean: float = 0.0
    std: float = 1.0
    survey: str | None = None
    error_handling: str = "none"

    def to_card(self) -> dict[str, object]:
        out = asdict(self)
        out["transform"] = asdict(self.transform)
        return out

    @staticmethod
    def from_card(raw: dict[str, object]) -> Variable:
        t = raw.get("transform") or {}
        if not isinstance(t, dict):
            raise ValueError(f"variable {raw.get('name')!r}: 'transform' must be an object")
        return Variable(
            name=str(raw["name"]),
            role=_role(raw["role"], str(raw["name"])),
            unit=str(raw.get("unit", "")),
            transform=Transform(kind=_kind(t.get("kind", "identity")), offset=float(t.get("offset", 0.0))),
            mean=float(raw.get("mean", 0.0)),  # type: ignore[arg-type]
            std=float(raw.get("std", 1.0)),  # type: ignore[arg-type]
            survey=None if raw.get("survey") is None else str(raw["survey"]),
            error_handling=str(raw.get("error_handling", "none")),
        )


def _role(value: object, name: str) -> Role:
    if value == "parameter" or value == "observable":
        return value
    raise ValueError(f"variable {name!r}: role must be 'parameter' or 'observable', got {value!r}")


def _kind(value: object) -> TransformKind:
    if value == "identity" or value == "log10":
        return value
    raise ValueError(f"transform kind must be 'identity' or 'log10', got {value!r}")


def normalise(variables: list[Variable], values: FloatArray) -> FloatArray:
    """Physical values [N, D] (NaN where absent) → network space [N, D] (NaN stays NaN)."""
    out = np.empty_like(values, dtype=np.float64)
    for j, v in enumerate(variables):
        out[:, j] = (v.transform.forward(values[:, j]) - v.mean) / v.std
    return out


def normalise_errors(variables: list[Variable], values: FloatArray, errors: FloatArray) -> FloatArray:
    out = np.empty_like(errors, dtype=np.float64)
    for j, v in enumerate(variables):
        out[:, j] = v.transform.error_forward(values[:, j], errors[:, j]) / v.std
    return out


def denormalise(variables: list[Variable], z: FloatArray) -> FloatArray:
    """Network space [..., D] → physical values."""
    out = np.empty_like(z, dtype=np.float64)
    for j, v in enumerate(variables):
        out[..., j] = v.transform.inverse(z[..., j] * v.std + v.mean)
    return out


def fit_normalisation(variables: list[Variable], values: FloatArray) -> list[Variable]:
    """Set each variable's mean/std from training values (physical units, NaN ignored)."""
    fitted: list[Variable] = []
    for j, v in enumerate(variables):
        y = v.transform.forward(values[:, j])
        y = y[np.isfinite(y)]
        if y.size == 0:
            raise ValueError(f"variable {v.name!r}: no finite training values to fit its normalisation")
        std = float(np.std(y))
        fitted.append(
            Variable(
                name=v.name,
                role=v.role,
                unit=v.unit,
                transform=v.transform,
                mean=float(np.mean(y)),
                std=std if std > 0 else 1.0,
                survey=v.survey,
                error_handling=v.error_handling,
            )
        )
    return fitted
