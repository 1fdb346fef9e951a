"""HDBSCAN (electron/galaxy/hdbscan.ts) against scikit-learn's `HDBSCAN` on the same points: the labels
must be the same up to a renaming of the clusters (noise stays noise). scikit-learn orders the MST
edges with numpy's unstable quicksort, so where mutual-reachability distances tie (common: every
neighbour inside a point's core distance is at that distance) a point can join either of two groups
merging at the same level; the exact check therefore runs scikit-learn's own steps with a stable edge
order (as ours), and the public estimator must agree on all but such tie points. Test sets: Gaussian blobs of
different densities in 3D, blobs in 5D positions + scaled velocities with a uniform background, and
anisotropic groups; the TypeScript side runs through `cradle galaxy hdbscan`.

New points placed in a finished clustering (`approximatePredict`, how the Galaxy view lets stars that
were not clustered join the groups found) are checked against the hdbscan library's
`prediction.approximate_predict` on the same fitted points."""

from pathlib import Path

import hdbscan
import numpy as np
import pytest
from galaxy_cli import hdbscan_cli
from hdbscan.prediction import _find_cluster_and_probability
from sklearn.cluster import HDBSCAN
from sklearn.cluster._hdbscan._linkage import make_single_linkage, mst_from_data_matrix
from sklearn.cluster._hdbscan._tree import tree_to_labels
from sklearn.metrics import DistanceMetric
from sklearn.neighbors import NearestNeighbors


def ts_labels(
    tmp_path: Path, points: np.ndarray, min_cluster_size: int, min_samples: int | None
) -> np.ndarray:
    return np.asarray(hdbscan_cli(tmp_path, points, min_cluster_size, min_samples)["labels"])


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


@pytest.mark.parametrize(("min_cluster_size", "min_samples"), [(12, 8), (15, 15)])
def test_approximate_predict_matches_hdbscan_library(
    tmp_path: Path, min_cluster_size: int, min_samples: int
) -> None:
    # Young groups in a field (5D positions + scaled velocities): the fitted set is half of each group
    # and of the field; the new points are the other halves.
    rng = np.random.default_rng(20261127)
    groups = [rng.normal(rng.uniform(-40, 40, 5), s, (n, 5)) for n, s in [(90, 1.5), (70, 1.0), (110, 2.5)]]
    field = rng.uniform(-60, 60, (500, 5))
    fit = np.vstack([g[: len(g) // 2] for g in groups] + [field[:250]])
    new = np.vstack([g[len(g) // 2 :] for g in groups] + [field[250:]])
    # The library's fit counts min_samples + 1 neighbours with the point itself, scikit-learn's (and
    # ours) min_samples: min_samples - 1 gives it our tree.
    reference = hdbscan.HDBSCAN(
        min_cluster_size=min_cluster_size,
        min_samples=min_samples - 1,
        prediction_data=True,
    ).fit(fit)
    data = reference.prediction_data_
    # The library's placement step on the fit's own core distances; a new point's core distance is its
    # (min_samples - 1)-th nearest fitted point (itself counted first), which the library reads at
    # index `min_samples` of its neighbour list: pass min_samples - 2.
    core = NearestNeighbors(n_neighbors=min_samples).fit(fit).kneighbors(fit)[0][:, -1]
    distances, indices = NearestNeighbors(n_neighbors=2 * min_samples).fit(fit).kneighbors(new)
    expected = [
        _find_cluster_and_probability(
            reference.condensed_tree_,
            data.cluster_tree,
            indices[i],
            distances[i],
            core,
            data.cluster_map,
            data.max_lambdas,
            min_samples - 2,
        )
        for i in range(len(new))
    ]
    expected_labels = np.array([row[0] for row in expected])
    expected_strength = np.array([row[1] for row in expected])
    result = hdbscan_cli(tmp_path, fit, min_cluster_size, min_samples, predict=new)
    fitted = np.asarray(result["labels"])
    labels = np.asarray(result["predicted"]["labels"])
    strength = np.asarray(result["predicted"]["probabilities"])
    assert same_up_to_permutation(fitted, reference.labels_)
    assert reference.labels_.max() >= 2 and (expected_labels >= 0).sum() > 100
    assert (expected_labels < 0).sum() > 50, "some field points should stay noise"
    rename = {int(a): int(b) for a, b in zip(fitted, reference.labels_, strict=True) if a >= 0}
    renamed = np.array([rename[int(x)] if x >= 0 else -1 for x in labels])
    np.testing.assert_array_equal(renamed, expected_labels)
    np.testing.assert_allclose(strength, expected_strength, rtol=1e-9, atol=1e-12)
