"""Toy simulators with analytic answers, for development and tests.

- ``LinearGaussian``: θ ~ N(μ0, Σ0), x = A θ + b + σ ⊙ ε with a per-star noise level σ (reported as the
  observables' uncertainties). The posterior is Gaussian with
  Σ_post = (Σ0⁻¹ + Aᵀ diag(σ)⁻² A)⁻¹ and μ_post = Σ_post (Σ0⁻¹ μ0 + Aᵀ diag(σ)⁻² (x − b))
  (Bishop 2006, "Pattern Recognition and Machine Learning", eq. 2.116–2.117).
- ``Gaussian3D``: the talk's 3D example (section II) as a correlated Gaussian over (x, y, z), whose
  conditional p(x, y | z) and marginal p(x, y) are known (Bishop 2006, eq. 2.81–2.82 and 2.92–2.93).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cradle_models.data.sets import RawSet
from cradle_models.variables import FloatArray, Variable


@dataclass
class LinearGaussian:
    dim_theta: int = 2
    dim_x: int = 3
    noise_low: float = 0.3
    noise_high: float = 0.8
    seed: int = 0
    prior_mean: FloatArray = field(init=False)
    prior_cov: FloatArray = field(init=False)
    matrix: FloatArray = field(init=False)
    offset: FloatArray = field(init=False)

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        self.prior_mean = rng.normal(0.0, 0.5, self.dim_theta)
        lower = np.tril(rng.normal(0.0, 0.4, (self.dim_theta, self.dim_theta)), -1) + np.eye(self.dim_theta)
        self.prior_cov = lower @ lower.T
        self.matrix = rng.normal(0.0, 1.0, (self.dim_x, self.dim_theta))
        self.offset = rng.normal(0.0, 0.5, self.dim_x)

    @property
    def variables(self) -> list[Variable]:
        params = [Variable(f"theta_{i}", "parameter") for i in range(self.dim_theta)]
        obs = [
            Variable(f"x_{i}", "observable", survey="toy", error_handling="per-star sigma")
            for i in range(self.dim_x)
        ]
        return params + obs

    def simulate(self, n: int, rng: np.random.Generator) -> RawSet:
        theta = rng.multivariate_normal(self.prior_mean, self.prior_cov, n)
        sigma = rng.uniform(self.noise_low, self.noise_high, (n, self.dim_x))
        x = theta @ self.matrix.T + self.offset + sigma * rng.standard_normal((n, self.dim_x))
        values = np.concatenate([theta, x], axis=1)
        errors = np.concatenate([np.zeros((n, self.dim_theta)), sigma], axis=1)
        return RawSet(self.variables, values, errors, np.ones_like(values, dtype=bool))

    def posterior(self, x: FloatArray, sigma: FloatArray) -> tuple[FloatArray, FloatArray]:
        prec0 = np.linalg.inv(self.prior_cov)
        noise_prec = np.diag(1.0 / sigma**2)
        cov = np.asarray(np.linalg.inv(prec0 + self.matrix.T @ noise_prec @ self.matrix), dtype=np.float64)
        mean = cov @ (prec0 @ self.prior_mean + self.matrix.T @ noise_prec @ (x - self.offset))
        return mean, cov


@dataclass
class Gaussian3D:
    mean: FloatArray = field(default_factory=lambda: np.array([0.5, -0.3, 0.2]))
    cov: FloatArray = field(
        default_factory=lambda: np.array([[1.0, 0.3, 0.6], [0.3, 0.8, -0.4], [0.6, -0.4, 1.2]])
    )

    @property
    def variables(self) -> list[Variable]:
        return [Variable("x", "parameter"), Variable("y", "parameter"), Variable("z", "observable")]

    def simulate(self, n: int, rng: np.random.Generator) -> RawSet:
        values = rng.multivariate_normal(self.mean, self.cov, n)
        return RawSet(self.variables, values, np.zeros_like(values), np.ones_like(values, dtype=bool))

    def conditional_xy(self, z: float) -> tuple[FloatArray, FloatArray]:
        s_ab = self.cov[:2, 2:]
        s_bb = self.cov[2:, 2:]
        mean = self.mean[:2] + (s_ab @ np.linalg.inv(s_bb) @ (np.array([z]) - self.mean[2:]))
        cov = self.cov[:2, :2] - s_ab @ np.linalg.inv(s_bb) @ s_ab.T
        return mean, cov

    def marginal_xy(self) -> tuple[FloatArray, FloatArray]:
        return self.mean[:2].copy(), self.cov[:2, :2].copy()
