"""The real validation clusters (issue #9's real-data target) for a shipped model, one command.

For each open cluster of ``validation/gyro-interp`` with an age on the gyro-interp scale (Bouma, Palumbo
& Hillenbrand 2023, ApJL 947, L3, Table 1), the app's own path is run on the members as they are on
disk: ``cradle infer`` reads the table with its automatic column mapping and writes the posterior
summaries. Each cluster also gets a **simulated twin**: the same age, at the members' median parallax
distance and extinction, simulated by ``cradle simulate`` to the training magnitude limit and
run through the same model. The twin says what the model does on the simulator's own stars in that
place; the gap between twin and real members is the domain shift that adaptation is meant to remove,
the rest is the model's (or the prior's) own limit.

Per cluster: members kept (RUWE < 1.4 — Lindegren et al. 2021, A&A 649, A2: larger values mark
non-single or badly fitted sources), the median over members of the posterior median log age minus
the cluster's log age, and the fraction of members whose 68% and 95% intervals hold the cluster's age.

    PYTHONPATH=native-models native-models/.venv/bin/python -m cradle_models.adaptation.real_clusters \
        --model native-models/models/cradle-small \
        --out native-models/cradle_models/adaptation/benchmark/real-clusters

Runs are kept under ``--out/runs`` and reused when complete (``cradle infer --resume``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from cradle_models.adaptation.export import write_json

ROOT = Path(__file__).resolve().parents[3]
CLI = ROOT / "bin" / "cradle.mjs"
DEFAULT_VALIDATION = ROOT.parent / "shared" / "data" / "real-stars" / "validation"
REFERENCE = "Bouma, Palumbo & Hillenbrand 2023, ApJL 947, L3, Table 1 (gyro-interp's age scale)"
RUWE_MAX = 1.4
TWIN_G_MAX = 17.0
TWIN_SEED = 20261127


@dataclass(frozen=True)
class Cluster:
    key: str
    name: str
    file: str
    age_myr: float
    older_myr: float
    younger_myr: float


# Ages and their +/- 1σ from BPH23 Table 1; the files are gyro-interp's member lists × Gaia DR3.
CLUSTERS = (
    Cluster("alpha_per", "α Per", "gyro-interp/Boyle_inprep_X_GDR3_supplemented.csv", 80, 5, 5),
    Cluster("pleiades", "Pleiades", "gyro-interp/Rebull_2016_X_GDR3_supplemented.csv", 120, 12, 12),
    Cluster("psc_eri", "Psc–Eri", "gyro-interp/Curtis_2019_X_GDR3_supplemented.csv", 120, 12, 12),
    Cluster("blanco1", "Blanco 1", "gyro-interp/Gillen_2020_X_GDR3_supplemented.csv", 120, 12, 12),
    Cluster("ngc3532", "NGC 3532", "gyro-interp/Fritzewski_2021_X_DR3_supplemented.csv", 300, 60, 50),
    Cluster("group_x", "Group X", "gyro-interp/Messina_2022_X_GDR3_supplemented.csv", 300, 60, 70),
    Cluster("praesepe", "Praesepe", "gyro-interp/Rampalli_2021_X_DR3_supplemented.csv", 670, 67, 67),
)


def member_metrics(summary: pd.DataFrame, log_age: float, keep: np.ndarray) -> dict[str, Any]:
    """Figures of one cluster from its members' posterior summaries (rows where ``keep``)."""
    rows = summary[keep & summary["log_age_median"].notna().to_numpy()]
    if len(rows) == 0:
        return {"members": 0}
    inside = {
        level: ((rows[low] <= log_age) & (log_age <= rows[high])).mean()
        for level, (low, high) in {
            "68": ("log_age_p16", "log_age_p84"),
            "95": ("log_age_p2_5", "log_age_p97_5"),
        }.items()
    }
    return {
        "members": int(len(rows)),
        "median_error_dex": float(np.median(rows["log_age_median"]) - log_age),
        "coverage_68": float(inside["68"]),
        "coverage_95": float(inside["95"]),
        "p_age_lt_50myr_mean": float(rows["p_age_lt_50myr"].mean()),
        "misspecified": float(rows["misspecified"].mean()),
        "outside_training": float(rows["outside_training"].mean()),
    }


def twin_config(cluster: Cluster, members: pd.DataFrame) -> dict[str, Any]:
    """A simulation of the cluster where its members are: median (l, b), distance 1/median parallax,
    A_V from the median GSP-Phot A_0 of its bright, warm members (G < 13, Teff > 4800 K: GSP-Phot
    overestimates A_0 for faint and cool stars, Andrae et al. 2023, A&A 674, A27, §5; over all members
    the Pleiades median is 0.96 against its E(B-V) ≈ 0.04), solar [M/H]."""
    parallax = float(np.nanmedian(members["parallax"]))
    if not parallax > 0:
        raise ValueError(f"{cluster.file}: no positive median parallax to place the simulated twin")
    reliable = (
        (members["phot_g_mean_mag"] < 13)
        & (members["teff_gspphot"] > 4800)
        & members["azero_gspphot"].notna()
    )
    if not reliable.any():
        raise ValueError(
            f"{cluster.file}: no member with G < 13 and a GSP-Phot Teff > 4800 K to set the twin's A_V"
        )
    a0 = float(np.median(members.loc[reliable, "azero_gspphot"]))
    l_deg, b_deg = float(np.nanmedian(members["l"])), float(np.nanmedian(members["b"]))
    return {
        "name": f"simulated twin of {cluster.name}",
        "seed": TWIN_SEED,
        "region": {"kind": "cone", "lDeg": l_deg, "bDeg": b_deg, "radiusDeg": 5},
        "magnitudeLimit": {"band": "gaia.g", "max": TWIN_G_MAX},
        "mixture": {"field": 0, "clusters": 0, "broadAge": 0},
        "clusters": [
            {
                "name": cluster.key,
                "ageMyr": cluster.age_myr,
                "massMsun": 1000,
                "lDeg": l_deg,
                "bDeg": b_deg,
                "distancePc": 1000 / parallax,
                "radiusPc": 3,
                "velocityDispersionKms": 0.5,
                "av": round(a0, 3),
                "avSpread": 0.03,
                "mh": 0,
            }
        ],
    }


def _cradle(args: list[str]) -> None:
    done = subprocess.run(["node", str(CLI), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"cradle {' '.join(args)} failed ({done.returncode}):\n{done.stderr.strip()}")


def _infer(model: Path, table: Path, run: Path) -> pd.DataFrame:
    """The engine's summaries of ``table`` (the run is resumed, or reused when complete; a run of another
    model card is started again)."""
    record = run / "run.json"
    if record.exists():
        card_sha = hashlib.sha256((model / "card.json").read_bytes()).hexdigest()
        if json.loads(record.read_text())["model"]["card_sha256"] != card_sha:
            shutil.rmtree(run)
    resume = ["--resume"] if record.exists() else []
    _cradle(["infer", "--quiet", "--model", str(model), "--input", str(table), "--out", str(run), *resume])
    return pq.read_table(run / "summary.parquet").to_pandas()


def evaluate(model: Path, validation: Path, out: Path) -> dict[str, Any]:
    runs = out / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for cluster in CLUSTERS:
        table = validation / cluster.file
        if not table.exists():
            raise SystemExit(f"{table}: validation table missing")
        members = pd.read_csv(table)
        log_age = math.log10(cluster.age_myr * 1e6)
        real = _infer(model, table, runs / cluster.key)
        if len(real) != len(members):
            raise SystemExit(
                f"{runs / cluster.key}: {len(real)} summaries for {len(members)} rows of {table}"
            )
        keep = (members["ruwe"] < RUWE_MAX).to_numpy()
        twin_dir = runs / f"{cluster.key}-twin"
        config = twin_config(cluster, members)
        if (twin_dir / "config.json").exists() and json.loads(
            (twin_dir / "config.json").read_text()
        ) != config:
            shutil.rmtree(twin_dir)
        twin_dir.mkdir(parents=True, exist_ok=True)
        write_json(twin_dir / "config.json", config)
        if not (twin_dir / "sky" / "catalog.parquet").exists():
            _cradle(["simulate", "--config", str(twin_dir / "config.json"), "--out", str(twin_dir / "sky")])
        twin = _infer(model, twin_dir / "sky" / "catalog.parquet", twin_dir / "run")
        rows.append(
            {
                "key": cluster.key,
                "name": cluster.name,
                "file": cluster.file,
                "age_myr": cluster.age_myr,
                "age_sigma_dex": math.log10(
                    (cluster.age_myr + cluster.older_myr) / (cluster.age_myr - cluster.younger_myr)
                )
                / 2,
                "rows": int(len(members)),
                "real": member_metrics(real, log_age, keep),
                "twin": {
                    **member_metrics(twin, log_age, np.ones(len(twin), dtype=bool)),
                    "distance_pc": config["clusters"][0]["distancePc"],
                    "av": config["clusters"][0]["av"],
                },
            }
        )
    real_errors = [abs(r["real"]["median_error_dex"]) for r in rows]
    twin_errors = [abs(r["twin"]["median_error_dex"]) for r in rows]
    card = json.loads((model / "card.json").read_text())
    return {
        "model": card["name"],
        "model_created": card.get("created"),
        "reference": REFERENCE,
        "member_cut": f"RUWE < {RUWE_MAX}",
        "twin_g_max": TWIN_G_MAX,
        "clusters": rows,
        "median_abs_error_dex": {
            "real": float(np.median(real_errors)),
            "twin": float(np.median(twin_errors)),
        },
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Real validation clusters: {report['model']} without domain adaptation",
        "",
        f"Cluster ages: {report['reference']}. Members: {report['member_cut']}.",
        "Error: median over members of the posterior median log age, minus the cluster's log age.",
        "Coverage: fraction of members whose 68% / 95% interval holds the cluster's age. Twin: the",
        "simulator's version of the cluster (same age, median parallax distance, GSP-Phot A_0 of the",
        f"bright warm members, solar [M/H], G < {report['twin_g_max']:g}) through the same model.",
        "",
        "| cluster | age (Myr) | members | error (dex) | cov 68 | cov 95 | misspecified "
        "| twin: stars | twin error | twin cov 68 | twin cov 95 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["clusters"]:
        real, twin = r["real"], r["twin"]
        lines.append(
            f"| {r['name']} | {r['age_myr']:g} | {real['members']} | {real['median_error_dex']:+.2f} | "
            f"{real['coverage_68']:.2f} | {real['coverage_95']:.2f} | {real['misspecified']:.2f} | "
            f"{twin['members']} | {twin['median_error_dex']:+.2f} | {twin['coverage_68']:.2f} | "
            f"{twin['coverage_95']:.2f} |"
        )
    med = report["median_abs_error_dex"]
    lines += [
        "",
        f"Median |error| over the clusters: real members {med['real']:.2f} dex, "
        f"simulated twins {med['twin']:.2f} dex.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", type=Path, required=True, help="model folder (card.json + graphs)")
    p.add_argument("--out", type=Path, required=True, help="report folder (runs are kept in OUT/runs)")
    p.add_argument("--validation", type=Path, default=DEFAULT_VALIDATION, help="real-stars/validation folder")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    report = evaluate(args.model.resolve(), args.validation, args.out)
    write_json(args.out / "report.json", report)
    tmp = args.out / "report.md.tmp"
    tmp.write_text(markdown(report))
    os.replace(tmp, args.out / "report.md")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
