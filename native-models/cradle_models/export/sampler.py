"""Reference sampler: integrate the flow ODE from given initial noise (Euler, Heun, midpoint).

The TypeScript engine must reproduce these samples from the same inputs and noise (parity tests), so
the solvers are written exactly as the engine runs them (electron/inference/solver.ts), step k going
from t_k to t_{k+1} with h_k = t_{k+1} − t_k:
- Euler:    x ← x + h v(x, t)
- Heun:     k1 = v(x, t); k2 = v(x + h k1, t + h); x ← x + h (k1 + k2) / 2
- midpoint: k1 = v(x, t); x ← x + h v(x + h k1 / 2, t + h / 2)
The time grid (``Schedule``, the card's ``sampler.time_grid``) is uniform, t_k = k / steps, or a power
grid t_k = 1 − (1 − k / steps)^p whose steps shrink towards the data end (t = 1), where narrow posteriors
need them: with uniform Heun steps h the last step leaves a width of order h / 2 however narrow the
posterior is (a Gaussian posterior of width σ ≪ h under the rectified path). ``final_euler`` makes the
last step Euler, as EDM's sampler does (Karras et al. 2022, Algorithm 1, line 9), so that no evaluation
falls on t = 1 itself (a data-predicting model divides by 1 − t).
The context is encoded once; only the velocity graph runs per evaluation. ``velocity_fn`` abstracts
over PyTorch and ONNX Runtime so both share one integrator.

Layout (the exported velocity graph's): every per-star array (token ids, errors, masks, the encoded
context) has one row per star, and the state x is [stars, samples, n_latent]. A batch of unrelated
rows (one sample each) is the case samples = 1: the samplers accept noise [rows, n_latent] for it and
return the same shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import torch

from cradle_models.export.graphs import VelocityGraph
from cradle_models.nets.simformer import Simformer

Solver = Literal["euler", "heun", "midpoint"]
VelocityFn = Callable[[np.ndarray, float], np.ndarray]

EVALUATIONS_PER_STEP: dict[str, int] = {"euler": 1, "heun": 2, "midpoint": 2}


@dataclass(frozen=True)
class Schedule:
    """The time grid and last-step rule of a sampler (the card's ``sampler`` fields beside the solver)."""

    grid: Literal["uniform", "power"] = "uniform"
    exponent: float = 1.0
    final_euler: bool = False

    def __post_init__(self) -> None:
        if self.grid not in ("uniform", "power"):
            raise ValueError(f"unknown time grid {self.grid!r}; choose uniform or power")
        if not self.exponent >= 1.0:
            raise ValueError(f"the power grid's exponent must be ≥ 1, got {self.exponent}")

    @classmethod
    def from_card(cls, sampler: dict[str, Any]) -> Schedule:
        grid = sampler.get("time_grid", {"kind": "uniform"})
        return cls(grid["kind"], float(grid.get("exponent", 1.0)), bool(sampler.get("final_euler", False)))

    def to_card(self) -> dict[str, Any]:
        grid: dict[str, Any] = {"kind": self.grid}
        if self.grid == "power":
            grid["exponent"] = self.exponent
        return {"time_grid": grid, "final_euler": self.final_euler}

    def times(self, steps: int) -> np.ndarray:
        """t_0 = 0, …, t_steps = 1 (float32)."""
        if self.grid == "uniform":
            h = np.float32(1.0 / steps)
            return np.array([np.float32(k) * h for k in range(steps)] + [1.0], dtype=np.float32)
        u = np.arange(steps + 1, dtype=np.float64) / steps
        return (1.0 - (1.0 - u) ** self.exponent).astype(np.float32)

    def evaluations(self, steps: int, solver: str) -> int:
        """Velocity evaluations per sample."""
        per_step = EVALUATIONS_PER_STEP[solver]
        return per_step * steps - (per_step - 1 if self.final_euler else 0)


UNIFORM = Schedule()


def integrate(
    velocity: VelocityFn, x0: np.ndarray, steps: int, solver: Solver, schedule: Schedule = UNIFORM
) -> np.ndarray:
    """Integrate dx/dt = velocity(x, t) from t = 0 to 1 starting at x0 (float32 throughout)."""
    if steps < 1:
        raise ValueError(f"steps must be ≥ 1, got {steps}")
    x: np.ndarray = x0.astype(np.float32, copy=True)
    times = schedule.times(steps)
    for k in range(steps):
        t = float(times[k])
        h = np.float32(times[k + 1] - times[k])
        k1 = velocity(x, t)
        if solver == "euler" or (schedule.final_euler and k == steps - 1):
            x = x + h * k1
        elif solver == "heun":
            k2 = velocity(x + h * k1, float(np.float32(t) + h))
            x = x + h * (k1 + k2) * np.float32(0.5)
        elif solver == "midpoint":
            x = x + h * velocity(x + (h * np.float32(0.5)) * k1, float(np.float32(t) + h * np.float32(0.5)))
        else:
            raise ValueError(f"unknown solver {solver!r}; choose euler, heun or midpoint")
    return x


def as_samples(noise: np.ndarray) -> tuple[np.ndarray, bool]:
    """Noise as [stars, samples, n_latent] (float32), and whether it came as one sample per row."""
    x = np.asarray(noise, dtype=np.float32)
    if x.ndim == 2:
        return x[:, None, :], True
    if x.ndim != 3:
        raise ValueError(f"noise must be [rows, n_latent] or [stars, samples, n_latent], got {x.shape}")
    return x, False


def torch_velocity_fn(
    model: Simformer,
    latent_ids: np.ndarray,
    latent_errors: np.ndarray,
    context_kv: torch.Tensor,
    latent_mask: np.ndarray,
) -> VelocityFn:
    """Velocity of a PyTorch model with a fixed (already encoded) context, in the exported graph's
    per-star layout (``VelocityGraph``, the same work as the ONNX graph): x is [stars, samples, n_latent]."""
    graph = VelocityGraph(model).eval()
    ids = torch.as_tensor(latent_ids, dtype=torch.int64)
    errs = torch.as_tensor(latent_errors, dtype=torch.float32)
    mask = torch.as_tensor(latent_mask, dtype=torch.float32)

    @torch.no_grad()
    def fn(x: np.ndarray, t: float) -> np.ndarray:
        tt = torch.full((x.shape[0],), t, dtype=torch.float32)
        v = graph(ids, torch.as_tensor(x), errs, tt, context_kv, mask)
        return v.numpy().astype(np.float32)

    return fn


def posterior_samples_torch(
    model: Simformer,
    context_ids: np.ndarray,
    context_values: np.ndarray,
    context_errors: np.ndarray,
    context_mask: np.ndarray,
    latent_ids: np.ndarray,
    latent_errors: np.ndarray,
    latent_mask: np.ndarray,
    noise: np.ndarray,
    steps: int,
    solver: Solver,
    schedule: Schedule = UNIFORM,
) -> np.ndarray:
    """Per-star arrays (one row per star) and noise [stars, samples, n_latent] (or [rows, n_latent]:
    one sample per row); returns x at t = 1 in the shape of the noise."""
    with torch.no_grad():
        kv = model.encode(
            torch.as_tensor(context_ids, dtype=torch.int64),
            torch.as_tensor(context_values, dtype=torch.float32),
            torch.as_tensor(context_errors, dtype=torch.float32),
            torch.as_tensor(context_mask, dtype=torch.float32),
        )
    fn = torch_velocity_fn(model, latent_ids, latent_errors, kv, latent_mask)
    x0, one_per_row = as_samples(noise)
    x = integrate(fn, x0, steps, solver, schedule)
    return x[:, 0, :] if one_per_row else x


def sample_conditional(
    model: Simformer,
    values: np.ndarray,
    errors: np.ndarray,
    present: np.ndarray,
    observed: np.ndarray,
    n_samples: int,
    steps: int,
    solver: Solver,
    seed: int,
    edge_allowed: np.ndarray | None = None,
    schedule: Schedule = UNIFORM,
) -> tuple[np.ndarray, np.ndarray]:
    """Samples of the latent variables of one star (network space).

    values/errors/present/observed are rows of D; ``edge_allowed`` an optional M_E [D, D] (True =
    query may attend to key). Returns (variable indices of the latent tokens [Nl], samples [S, Nl]).
    """
    from cradle_models.nets.tokens import attention_masks, split_tokens

    def star(a: np.ndarray, dtype: torch.dtype) -> torch.Tensor:
        return torch.as_tensor(a[None, :], dtype=dtype)

    context, latent = split_tokens(
        star(values, torch.float32),
        star(errors, torch.float32),
        star(present, torch.bool),
        star(observed, torch.bool),
    )
    me = None if edge_allowed is None else torch.as_tensor(edge_allowed[None])
    ctx_mask, lat_mask = attention_masks(context, latent, me)
    n_tokens = latent.values.shape[1]
    noise = np.random.default_rng(seed).standard_normal((1, n_samples, n_tokens)).astype(np.float32)
    x = posterior_samples_torch(
        model,
        context.ids.numpy(),
        context.values.numpy(),
        context.errors.numpy(),
        ctx_mask.numpy(),
        latent.ids.numpy(),
        latent.errors.numpy(),
        lat_mask.numpy(),
        noise,
        steps,
        solver,
        schedule,
    )
    n_latent = int(latent.valid[0].sum())
    return latent.ids[0, :n_latent].numpy(), x[0, :, :n_latent]
