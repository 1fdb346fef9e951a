"""HDBSCAN: Cradle's TypeScript implementation (via `cradle galaxy hdbscan`, its own timing) vs
scikit-learn's HDBSCAN on the same 5-D points (groups + uniform field); then placing further points in
the finished clustering (Cradle's approximatePredict, whose cost is its exact k-nearest-neighbour
search over the fitted points) vs scikit-learn's k-d tree `NearestNeighbors.kneighbors` for the same k."""

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import HDBSCAN
from sklearn.neighbors import NearestNeighbors

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))
from galaxy_cli import hdbscan_cli


def main() -> None:
    rng = np.random.default_rng(4)
    tmp = Path(tempfile.mkdtemp(prefix="cradle-bench-hdbscan-"))
    for n in (2000, 10000):
        groups = [rng.normal(rng.uniform(-50, 50, 5), 1.5, (n // 20, 5)) for _ in range(5)]
        points = np.vstack([*groups, rng.uniform(-60, 60, (n - 5 * (n // 20), 5))])
        t0 = time.perf_counter()
        labels = HDBSCAN(min_cluster_size=20, min_samples=10, copy=True).fit(points).labels_
        sk = time.perf_counter() - t0
        result = hdbscan_cli(tmp, points, 20, 10)
        print(
            f"HDBSCAN {n} points: Cradle {result['seconds']:.2f} s ({result['clusters']} clusters), "
            f"scikit-learn {sk:.2f} s ({labels.max() + 1} clusters), ratio {result['seconds'] / sk:.1f}"
        )

    fitted = np.vstack(
        [
            *[rng.normal(rng.uniform(-50, 50, 5), 1.5, (500, 5)) for _ in range(5)],
            rng.uniform(-60, 60, (7500, 5)),
        ]
    )
    for m in (20000, 100000):
        placed = rng.uniform(-60, 60, (m, 5))
        result = hdbscan_cli(tmp, fitted, 20, 10, predict=placed)
        t0 = time.perf_counter()
        NearestNeighbors(n_neighbors=20, algorithm="kd_tree").fit(fitted).kneighbors(placed)
        sk = time.perf_counter() - t0
        ours = result["predict_seconds"]
        print(
            f"Placing {m} points among 10000 fitted (k = 20 neighbours): Cradle {ours:.2f} s, "
            f"scikit-learn k-d tree kneighbors {sk:.2f} s, ratio {ours / sk:.1f}"
        )


if __name__ == "__main__":
    main()
