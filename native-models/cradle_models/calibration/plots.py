"""PNG plots of a calibration report (matplotlib, Agg backend, written atomically)."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from cradle_models.calibration.sbc import binned_ranks  # noqa: E402
from cradle_models.calibration.tarp import TarpResult  # noqa: E402

P = ParamSpec("P")


def _plain_text(plot: Callable[P, None]) -> Callable[P, None]:
    """Draw without LaTeX whatever the global rcParams say: gaiaxpy's plotter sets
    ``text.usetex = True`` when it is imported, and a report must not depend on a TeX install or
    on which package was imported first."""

    @functools.wraps(plot)
    def plain(*args: P.args, **kwargs: P.kwargs) -> None:
        with plt.rc_context({"text.usetex": False}):
            plot(*args, **kwargs)

    return plain


def _save(fig: Figure, path: Path) -> None:
    tmp = path.with_name(path.stem + ".tmp.png")
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    os.replace(tmp, path)


@_plain_text
def plot_coverage(levels: np.ndarray, coverage: np.ndarray, names: list[str], title: str, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], color="0.6", lw=1, ls="--")
    for p, name in enumerate(names):
        ax.plot(levels, coverage[:, p], lw=1.5, label=name)
    ax.set_xlabel("credible level")
    ax.set_ylabel("empirical coverage")
    ax.set_title(title)
    ax.legend(fontsize=7)
    _save(fig, path)


@_plain_text
def plot_sbc(
    ranks: np.ndarray, n_samples: int, names: list[str], title: str, path: Path, bins: int = 16
) -> None:
    cols = min(len(names), 4)
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 2.4 * rows), squeeze=False)
    for p, name in enumerate(names):
        ax = axes[p // cols][p % cols]
        counts, share = binned_ranks(ranks[:, p], n_samples, bins)
        ax.bar(np.arange(bins), counts, width=1.0, color="C0")
        ax.step(
            np.arange(bins + 1) - 0.5,
            np.append(share, share[-1]) * len(ranks),
            where="post",
            color="0.3",
            lw=1,
            ls="--",
        )
        ax.set_title(name, fontsize=9)
    for k in range(len(names), rows * cols):
        axes[k // cols][k % cols].axis("off")
    fig.suptitle(f"{title}; {n_samples + 1} ranks in {bins} bins, dashed: expected count")
    _save(fig, path)


@_plain_text
def plot_tarp(result: TarpResult, title: str, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], color="0.6", lw=1, ls="--")
    ax.plot(result.alpha, result.ecp, lw=1.5, color="C1")
    ax.set_xlabel("credibility level α")
    ax.set_ylabel("expected coverage")
    ax.set_title(f"{title}\nATC = {result.atc:.3f}, KS p = {result.ks_pvalue:.3f}", fontsize=9)
    _save(fig, path)
