"""End to end: `cradle infer` on a mock catalog from the toy simulator, against the truth.

The committed toy model (native-models/models/toy-gaussian) was trained on cradle_models'
LinearGaussian simulator, whose posterior is known in closed form (Bishop 2006, eq. 2.116-2.117). Stars
drawn from the same simulator (a seed the training did not use) go through the CLI as a CSV with
uncertainty columns and some observables missing; the run's summaries must show the coverage the card
reports on held-out simulations (within binomial noise) and posterior means and widths close to the
analytic ones.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "native-models"))

from cradle_models.data.toy import LinearGaussian  # noqa: E402

MODEL = ROOT / "native-models" / "models" / "toy-gaussian"
STARS = 200
pytestmark = [
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed"),
    pytest.mark.skipif(
        not (MODEL / "card.json").exists(),
        reason="the toy-gaussian model is not committed",
    ),
]


def test_cli_posteriors_match_truth_and_card_calibration(tmp_path: Path) -> None:
    sim = LinearGaussian()
    raw = sim.simulate(STARS, np.random.default_rng(20261126))
    theta, x, sigma = raw.values[:, :2], raw.values[:, 2:], raw.errors[:, 2:]
    frame = pd.DataFrame({"source_id": np.arange(STARS, dtype=np.int64) + 10**15})
    for i in range(3):
        frame[f"x_{i}"] = x[:, i]
        frame[f"x_{i}_err"] = sigma[:, i]
    missing = np.zeros((STARS, 3), dtype=bool)
    missing[::4, 2] = True  # every fourth star lacks x_2: its posterior is that of x_0, x_1 alone
    frame.loc[missing[:, 2], "x_2"] = np.nan
    table = tmp_path / "mock.csv"
    frame.to_csv(table, index=False)

    out = tmp_path / "run"
    result = subprocess.run(
        [
            "node",
            "bin/cradle.mjs",
            "infer",
            "--model",
            str(MODEL),
            "--input",
            str(table),
            "--out",
            str(out),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "complete"
    summary = pq.read_table(out / "summary.parquet").to_pandas()
    assert summary["source_id"].tolist() == frame["source_id"].tolist()

    inside = []
    z_mean = []
    width_ratio = []
    for r in range(STARS):
        keep = ~missing[r]
        sub = LinearGaussian()
        sub.matrix, sub.offset = sim.matrix[keep], sim.offset[keep]
        mean, cov = sub.posterior(x[r, keep], sigma[r, keep])
        for k in range(2):
            lo, hi = summary[f"theta_{k}_p16"][r], summary[f"theta_{k}_p84"][r]
            inside.append(lo <= theta[r, k] <= hi)
            sd = float(np.sqrt(cov[k, k]))
            z_mean.append((summary[f"theta_{k}_mean"][r] - mean[k]) / sd)
            width_ratio.append(summary[f"theta_{k}_std"][r] / sd)

    card = json.loads((MODEL / "card.json").read_text())
    card_coverage = np.mean([c["0.68"] for c in card["calibration"]["all_observables"]["coverage"].values()])
    coverage = float(np.mean(inside))
    noise = np.sqrt(0.68 * 0.32 / len(inside)) + np.sqrt(
        0.68 * 0.32 / 2000
    )  # ours + the card's 1000 stars × 2
    assert abs(coverage - card_coverage) < 3 * noise, (coverage, card_coverage)
    # Posterior means within a fraction of the true posterior width, widths within 20 % on average.
    assert float(np.mean(np.abs(z_mean))) < 0.3
    assert 0.8 < float(np.median(width_ratio)) < 1.2
