"""HDBSCAN (electron/galaxy/hdbscan.ts) against scikit-learn's `HDBSCAN` on the same points: the labels
must be the same up to a renaming of the clusters (noise stays noise). scikit-learn orders the MST
edges with numpy's unstable quicksort, so where mutual-reachability distances tie (common: every
neighbour inside a point's core distance is at that distance) a point can join either of two groups
merging at the same level; the exact check therefore runs scikit-learn's own steps with a stable edge
order (as ours), and the public estimator must agree on all but such tie points. Test sets: Gaussian blobs of
different densities in 3D, blobs in 5D positions + scaled velocities with a uniform background, and
anisotropic groups; the TypeScript side runs through `cradle galaxy hdbscan`."""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sklearn.cluster import HDBSCAN
from sklearn.cluster._hdbscan._linkage import make_single_linkage, mst_from_data_matrix
from sklearn.cluster._hdbscan._tree import tree_to_labels
from sklearn.metrics import DistanceMetric
from sklearn.neighbors import NearestNeighbors

REPO = Path(__file__).resolve().parents[2]


def ts_labels(
    tmp_path: Path, points: np.ndarray, min_cluster_size: int, min_samples: int | None
) -> np.ndarray:
    source = tmp_path / "points.json"
    source.write_text(json.dumps({"points": points.tolist()}))
    args = [
        "node",
        str(REPO / "bin" / "cradle.mjs"),
        "galaxy",
        "hdbscan",
        "--in",
        str(source),
    ]
    args += ["--min-cluster-size", str(min_cluster_size)]
    if min_samples is not None:
        args += ["--min-samples", str(min_samples)]
    out = subprocess.run(args, check=True, capture_output=True, text=True, cwd=REPO)
    return np.asarray(json.loads(out.stdout)["labels"])


def sklearn_stable_labels(points: np.ndarray, min_cluster_size: int, min_samples: int) -> np.ndarray:
    """scikit-learn's `_hdbscan_prims` + `tree_to_labels`, with a stable sort of the MST edges."""
    nbrs = NearestNeighbors(n_neighbors=min_samples).fit(points)
    core = np.ascontiguousarray(nbrs.kneighbors(points, min_samples)[0][:, -1])
    mst = mst_from_data_matrix(
        np.ascontiguousarray(points), core, DistanceMetric.get_metric("euclidean"), 1.0
    )
    mst = mst[np.argsort(mst["distance"], kind="stable")]
    labels, _ = tree_to_labels(make_single_linkage(mst), min_cluster_size)
    return np.asarray(labels)


def same_up_to_permutation(a: np.ndarray, b: np.ndarray) -> bool:
    if not np.array_equal(a < 0, b < 0):
        return False
    pairs = {(int(x), int(y)) for x, y in zip(a, b, strict=True) if x >= 0}
    return len(pairs) == len({p[0] for p in pairs}) == len({p[1] for p in pairs})


def blobs(
    rng: np.random.Generator,
    dim: int,
    centres: int,
    sizes: list[int],
    spreads: list[float],
) -> np.ndarray:
    parts = [rng.normal(rng.uniform(-50, 50, dim), s, (n, dim)) for n, s in zip(sizes, spreads, strict=True)]
    return np.vstack(parts[:centres])


CASES = [
    ("blobs-3d", 5, None),
    ("blobs-3d-single", 8, 1),
    ("field-5d", 12, 8),
    ("anisotropic", 10, 4),
]


@pytest.mark.parametrize(("name", "min_cluster_size", "min_samples"), CASES)
def test_labels_match_sklearn(
    tmp_path: Path, name: str, min_cluster_size: int, min_samples: int | None
) -> None:
    rng = np.random.default_rng(len(name) * 7919)
    if name.startswith("blobs-3d"):
        points = blobs(rng, 3, 4, [60, 80, 40, 100], [1.0, 2.5, 0.5, 4.0])
    elif name == "field-5d":
        groups = blobs(rng, 5, 3, [70, 50, 90], [1.5, 1.0, 2.0])
        points = np.vstack([groups, rng.uniform(-60, 60, (300, 5))])
    else:
        base = blobs(rng, 3, 3, [80, 60, 70], [1.0, 1.0, 1.0])
        points = base @ np.array([[4.0, 0.3, 0.0], [0.0, 1.0, 0.2], [0.1, 0.0, 0.5]])
    rng.shuffle(points)
    public = (
        HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, copy=True).fit(points).labels_
    )
    expected = sklearn_stable_labels(points, min_cluster_size, min_samples or min_cluster_size)
    actual = ts_labels(tmp_path, points, min_cluster_size, min_samples)
    assert expected.max() >= 1, "test set should hold several clusters"
    assert same_up_to_permutation(actual, expected), (
        f"{name}: TS {np.bincount(actual + 1)} vs sklearn {np.bincount(expected + 1)}"
    )
    # Against the public estimator: the same clusters, at most 1% of points placed differently at ties.
    assert public.max() == expected.max()
    matched = sum(
        np.sum(
            (expected == c)
            & (public == np.bincount(public[expected == c][public[expected == c] >= 0]).argmax())
        )
        for c in range(expected.max() + 1)
    ) + np.sum((expected < 0) & (public < 0))
    assert matched >= 0.99 * len(points)
