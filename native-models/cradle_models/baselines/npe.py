"""NPE baseline: a neural spline flow q(θ | x) from ``sbi`` (Tejero-Cantero et al. 2020; Durkan et al.
2019, NSF) trained on the same simulated stars as the Simformer, for the fully observed case only (the
talk's pilot study: NPE needs a fixed-length x, so it cannot take a star that lacks an observable).

"Fully observed" is Gaia G, BP, RP, parallax, 2MASS J, H, K_s and WISE W1, W2: W3 and W4 are detected for
a minority of G < 17 stars (≈ 37% and 7% in the small training set), and requiring them would leave NPE a
biased bright subset. x is each observable's normalised value and log normalised uncertainty (the
Simformer also sees the per-star uncertainty); θ is every parameter in the model's normalised space.
The estimator is sbi's (``posterior_nn("nsf")``: z-scoring, spline flow, its loss); the loop around it
is ours so that training is bounded by a step count and a wall-clock budget, both recorded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from cradle_models.data.sets import TrainingSet
from cradle_models.variables import denormalise

NPE_OBSERVABLES = (
    "gaia.g",
    "gaia.bp",
    "gaia.rp",
    "gaia.parallax",
    "tmass.j",
    "tmass.h",
    "tmass.ks",
    "wise.w1",
    "wise.w2",
)


@dataclass
class NPEBaseline:
    estimator: Any
    obs_columns: list[int]
    param_columns: list[int]
    info: dict[str, Any]


def observable_columns(data: TrainingSet) -> list[int]:
    names = [v.name for v in data.variables]
    return [names.index(n) for n in NPE_OBSERVABLES if n in names]


def fully_observed(data: TrainingSet) -> np.ndarray:
    """Stars with every NPE observable (and every parameter) present."""
    params = [j for j, v in enumerate(data.variables) if v.role == "parameter"]
    cols = observable_columns(data) + params
    return data.present[:, cols].all(dim=1).numpy()


def npe_inputs(data: TrainingSet, obs_columns: list[int]) -> torch.Tensor:
    values = data.values[:, obs_columns]
    errors = torch.log(data.errors[:, obs_columns].clamp(min=1e-6))
    return torch.cat([values, errors], dim=1)


def train_npe(
    train: TrainingSet,
    seed: int,
    max_steps: int = 20_000,
    max_seconds: float = 480.0,
    batch_size: int = 256,
    lr: float = 5e-4,
    threads: int = 2,
) -> NPEBaseline:
    from sbi.neural_nets import posterior_nn

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    keep = torch.from_numpy(fully_observed(train))
    obs = observable_columns(train)
    params = [j for j, v in enumerate(train.variables) if v.role == "parameter"]
    x = npe_inputs(train, obs)[keep]
    theta = train.values[:, params][keep]
    estimator = posterior_nn("nsf", hidden_features=64, num_transforms=5, num_bins=10)(theta[:4096], x[:4096])
    optimizer = torch.optim.Adam(estimator.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    started, cpu_started = time.monotonic(), time.process_time()
    step, losses = 0, []
    while step < max_steps and time.monotonic() - started < max_seconds:
        idx = torch.randint(len(x), (batch_size,), generator=gen)
        loss = estimator.loss(theta[idx], condition=x[idx]).mean()
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(estimator.parameters(), 5.0)
        optimizer.step()
        losses.append(float(loss.item()))
        step += 1
    estimator.eval()
    info = {
        "estimator": "sbi posterior_nn('nsf', hidden_features=64, num_transforms=5, num_bins=10)",
        "observables": [train.variables[j].name for j in obs],
        "training_stars": int(len(x)),
        "steps": step,
        "batch_size": batch_size,
        "seconds": round(time.monotonic() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu_started, 1),
        "final_loss": float(np.mean(losses[-200:])) if losses else None,
    }
    return NPEBaseline(estimator, obs, params, info)


@torch.no_grad()
def npe_posterior(baseline: NPEBaseline, stars: TrainingSet, n_samples: int, seed: int) -> np.ndarray:
    """Samples [N, S, P] of the parameters in physical units for fully observed ``stars``."""
    torch.manual_seed(seed)
    x = npe_inputs(stars, baseline.obs_columns)
    out = np.empty((len(stars), n_samples, len(baseline.param_columns)))
    for start in range(0, len(stars), 256):
        z = baseline.estimator.sample((n_samples,), condition=x[start : start + 256])  # [S, n, P]
        full = np.zeros((*z.shape[:2], len(stars.variables)))
        full[..., baseline.param_columns] = z.numpy()
        phys = denormalise(stars.variables, full)[..., baseline.param_columns]
        out[start : start + z.shape[1]] = np.transpose(phys, (1, 0, 2))
    return out
