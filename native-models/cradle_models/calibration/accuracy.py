"""Point accuracy per parameter: bias and RMSE of the posterior mean, median |Δ| of the posterior
median, over all stars and over named subsets (age bins, surveys observed, magnitude bins)."""

from __future__ import annotations

import numpy as np


def _metrics(samples: np.ndarray, truth: np.ndarray) -> dict[str, list[float]]:
    mean = samples.mean(axis=1)
    median = np.median(samples, axis=1)
    delta = mean - truth
    return {
        "bias": delta.mean(axis=0).tolist(),
        "rmse": np.sqrt((delta**2).mean(axis=0)).tolist(),
        "median_abs_delta": np.median(np.abs(median - truth), axis=0).tolist(),
    }


def accuracy_table(
    samples: np.ndarray, truth: np.ndarray, names: list[str], splits: dict[str, np.ndarray]
) -> dict[str, dict[str, object]]:
    """samples [N, S, P], truth [N, P]; ``splits`` maps a label to a boolean mask over stars.

    Returns {label: {"stars": n, "<metric>": {parameter: value}}} with "all" first; empty splits are kept
    with stars = 0 so a table always has the same rows.
    """
    out: dict[str, dict[str, object]] = {}
    for label, mask in {"all": np.ones(len(truth), dtype=bool), **splits}.items():
        n = int(mask.sum())
        row: dict[str, object] = {"stars": n}
        if n > 0:
            for metric, values in _metrics(samples[mask], truth[mask]).items():
                row[metric] = dict(zip(names, values, strict=True))
        out[label] = row
    return out
