"""`cradle galaxy hdbscan` from Python: the TypeScript HDBSCAN on points written to a JSON file, for
the reference tests (test_galaxy_hdbscan.py) and the benchmark (test/bench/galaxy/bench.py)."""

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def hdbscan_cli(
    tmp_path: Path,
    points: np.ndarray,
    min_cluster_size: int,
    min_samples: int | None,
    predict: np.ndarray | None = None,
) -> dict[str, Any]:
    source = tmp_path / "points.json"
    request: dict[str, Any] = {"points": points.tolist()}
    if predict is not None:
        request["predict"] = predict.tolist()
    source.write_text(json.dumps(request))
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
    result: dict[str, Any] = json.loads(out.stdout)
    return result
