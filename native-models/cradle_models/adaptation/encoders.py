"""Modality encoders: one per spectrum type (Gaia XP, LAMOST, APOGEE, BOSS) and one for photometry, each
mapping a star's data of that modality to a few embedding tokens (science doc, section III; the talk's
"Modality encoders" slides). These tokens are the context the Simformer conditions on.

Missing data is a mask, never a number: a spectrum encoder reads ``values * mask`` together with the mask
itself (so a masked pixel and a pixel that is truly 0 differ), and a star that lacks the modality has
its tokens marked invalid (``present`` = False), so attention and the pooled embedding skip them.

An MLP over the pixels rather than a convolutional or attention encoder: the spectra reach the model
binned to tens of pixels (benchmark and ONNX cost on two CPU cores), where an MLP is the cheapest
encoder that sees the whole spectrum at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import Tensor, nn

SPECTRA = ("gaia.xp", "spectrum.lamost", "spectrum.apogee", "spectrum.boss")
PHOTOMETRY = "photometry"


@dataclass(frozen=True)
class ModalitySpec:
    """One modality: its canonical name, how many inputs (pixels or bands) it has, tokens it gives."""

    name: str
    n_inputs: int
    n_tokens: int = 2

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class ModalityEncoder(nn.Module):
    """values, errors, mask [B, P] → tokens [B, n_tokens, width].

    ``errors`` are the per-pixel (per-band) uncertainties in the same normalised units as ``values``
    (0 where unknown); they enter as log σ so the encoder can weigh noisy pixels down.
    """

    def __init__(self, spec: ModalitySpec, width: int, hidden: int = 128) -> None:
        super().__init__()
        self.spec = spec
        self.width = width
        p = spec.n_inputs
        self.net = nn.Sequential(
            nn.Linear(3 * p, hidden),
            nn.GELU(),
            nn.Linear(hidden, hidden),
            nn.GELU(),
            nn.Linear(hidden, spec.n_tokens * width),
        )
        self.slot = nn.Parameter(torch.zeros(spec.n_tokens, width))
        nn.init.normal_(self.slot, std=0.02)

    def forward(self, values: Tensor, errors: Tensor, mask: Tensor) -> Tensor:
        m = mask.to(values.dtype)
        has_err = (errors > 0) & mask
        log_err = torch.where(has_err, torch.log(torch.clamp(errors, min=1e-6)), torch.zeros_like(errors))
        x = torch.cat([torch.where(mask, values, torch.zeros_like(values)), log_err, m], dim=-1)
        h = self.net(x).view(values.shape[0], self.spec.n_tokens, self.width)
        return h + self.slot


class ModalityEncoders(nn.Module):
    """All of a star's modalities → concatenated tokens [B, T, W] and their validity [B, T]."""

    def __init__(self, specs: list[ModalitySpec], width: int, hidden: int = 128) -> None:
        super().__init__()
        self.specs = list(specs)
        self.width = width
        self.encoders = nn.ModuleDict({_key(s.name): ModalityEncoder(s, width, hidden) for s in specs})
        self.modality = nn.Embedding(len(specs), width)

    def encode(self, name: str, values: Tensor, errors: Tensor, mask: Tensor) -> Tensor:
        """Tokens of one modality (with its learned modality embedding), [B, n_tokens, W]."""
        index = [s.name for s in self.specs].index(name)
        return self.encoders[_key(name)](values, errors, mask) + self.modality.weight[index]

    def forward(self, batch: dict[str, dict[str, Tensor]]) -> tuple[Tensor, Tensor, dict[str, Tensor]]:
        """``batch[name]`` holds ``values``/``errors``/``mask`` [B, P] and ``present`` [B] for each modality.

        Returns (tokens [B, T, W], valid [B, T], per-modality tokens {name: [B, n_tokens, W]}).
        """
        tokens: list[Tensor] = []
        valid: list[Tensor] = []
        per: dict[str, Tensor] = {}
        for spec in self.specs:
            d = batch[spec.name]
            z = self.encode(spec.name, d["values"], d["errors"], d["mask"])
            per[spec.name] = z
            tokens.append(z)
            valid.append(d["present"].unsqueeze(1).expand(-1, spec.n_tokens))
        return torch.cat(tokens, dim=1), torch.cat(valid, dim=1), per


def pooled_embedding(per: dict[str, Tensor], present: dict[str, Tensor]) -> Tensor:
    """The star's mean-pooled embedding Z_pool [B, W]: the mean over present modalities of each modality's
    mean token (the talk: "Pool embedding (mean)")."""
    total: Tensor | None = None
    count: Tensor | None = None
    for name, z in per.items():
        w = present[name].to(z.dtype).unsqueeze(1)
        term = z.mean(dim=1) * w
        total = term if total is None else total + term
        count = w if count is None else count + w
    assert total is not None and count is not None
    return total / count.clamp(min=1.0)


def _key(name: str) -> str:
    return name.replace(".", "_")
