"""The condition-mask sampler: which variables a training example has, which are observed, and M_E.

Per example (all draws from one seeded ``torch.Generator``):
1. **Whole-survey dropout**: each survey is removed with probability ``survey_dropout`` (every pattern of
   missing surveys a real star has is seen).
2. **Observable dropout**: with probability ``observable_dropout`` the example loses each observable
   independently with probability ``observable_dropout_rate`` (≈ 50%: the talk's "50% missing data").
3. **Parameter dropout**: with probability ``parameter_dropout`` each parameter is removed with
   probability 0.5, so posteriors of parameter subsets (marginals) are learned.
   Removed variables are absent: no token, no loss (never filled with a number).
4. **Condition mode** (mixture weights ``posterior``, ``joint``, ``likelihood``, ``random``):
   posterior = all parameters latent and observables observed; joint = everything latent;
   likelihood = parameters observed, observables latent; random = each variable observed with a
   probability drawn per example from U(0, 1) (Gloeckler et al. 2024, sec. 3.4).
5. **Edge cut (M_E)**: with probability ``edge_cut`` the variables are split at random into two groups
   that cannot attend to each other, so each group's outputs learn its own marginal flow (talk, section
   II: ∇log p(x, y) + ∇log p(z) under the cut).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import Tensor

from cradle_models.variables import Variable


@dataclass(frozen=True)
class MaskMixture:
    posterior: float = 0.4
    joint: float = 0.1
    likelihood: float = 0.1
    random: float = 0.4
    survey_dropout: float = 0.1
    observable_dropout: float = 0.3
    observable_dropout_rate: float = 0.5
    parameter_dropout: float = 0.1
    edge_cut: float = 0.1

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    def mode_weights(self) -> Tensor:
        w = torch.tensor([self.posterior, self.joint, self.likelihood, self.random], dtype=torch.float64)
        if (w < 0).any() or w.sum() <= 0:
            raise ValueError(f"mask mixture weights must be ≥ 0 with a positive sum, got {w.tolist()}")
        return w / w.sum()


def sample_conditions(
    present: Tensor, variables: list[Variable], mixture: MaskMixture, generator: torch.Generator
) -> tuple[Tensor, Tensor, Tensor]:
    """present [B, D] (the data's own availability) → (present, observed, groups) for training."""
    b, d = present.shape
    is_param = torch.tensor([v.role == "parameter" for v in variables], dtype=torch.bool)
    is_obs = ~is_param
    present = present.clone()

    surveys = sorted({v.survey for v in variables if v.survey is not None})
    for survey in surveys:
        cols = torch.tensor([v.survey == survey for v in variables], dtype=torch.bool)
        drop = torch.rand(b, generator=generator) < mixture.survey_dropout
        present &= ~(drop.unsqueeze(1) & cols.unsqueeze(0))

    sel = torch.rand(b, generator=generator) < mixture.observable_dropout
    drop = torch.rand(b, d, generator=generator) < mixture.observable_dropout_rate
    present &= ~(sel.unsqueeze(1) & drop & is_obs.unsqueeze(0))

    sel = torch.rand(b, generator=generator) < mixture.parameter_dropout
    drop = torch.rand(b, d, generator=generator) < 0.5
    present &= ~(sel.unsqueeze(1) & drop & is_param.unsqueeze(0))

    mode = torch.multinomial(mixture.mode_weights(), b, replacement=True, generator=generator)
    p_random = torch.rand(b, 1, generator=generator)
    random_obs = torch.rand(b, d, generator=generator) < p_random
    observed = torch.where(
        (mode == 0).unsqueeze(1),
        is_obs.unsqueeze(0).expand(b, d),
        torch.where(
            (mode == 1).unsqueeze(1),
            torch.zeros(b, d, dtype=torch.bool),
            torch.where((mode == 2).unsqueeze(1), is_param.unsqueeze(0).expand(b, d), random_obs),
        ),
    )

    cut = torch.rand(b, 1, generator=generator) < mixture.edge_cut
    groups = ((torch.rand(b, d, generator=generator) < 0.5) & cut).to(torch.int64)
    return present, observed & present, groups
