"""HDBSCAN: Cradle's TypeScript implementation (via `cradle galaxy hdbscan`, its own timing) vs
scikit-learn's HDBSCAN on the same 5-D points (groups + uniform field)."""

import json
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import HDBSCAN

REPO = Path(__file__).resolve().parents[3]


def main() -> None:
    rng = np.random.default_rng(4)
    for n in (2000, 10000):
        groups = [
            rng.normal(rng.uniform(-50, 50, 5), 1.5, (n // 20, 5)) for _ in range(5)
        ]
        points = np.vstack([*groups, rng.uniform(-60, 60, (n - 5 * (n // 20), 5))])
        t0 = time.perf_counter()
        labels = (
            HDBSCAN(min_cluster_size=20, min_samples=10, copy=True).fit(points).labels_
        )
        sk = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "points.json"
            source.write_text(json.dumps({"points": points.tolist()}))
            out = subprocess.run(
                [
                    "node",
                    str(REPO / "bin" / "cradle.mjs"),
                    "galaxy",
                    "hdbscan",
                    "--in",
                    str(source),
                ]
                + ["--min-cluster-size", "20", "--min-samples", "10"],
                check=True,
                capture_output=True,
                text=True,
            )
        result = json.loads(out.stdout)
        print(
            f"HDBSCAN {n} points: Cradle {result['seconds']:.2f} s ({result['clusters']} clusters), "
            f"scikit-learn {sk:.2f} s ({labels.max() + 1} clusters), ratio {result['seconds'] / sk:.1f}"
        )


if __name__ == "__main__":
    main()
