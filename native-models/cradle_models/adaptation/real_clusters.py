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
the cluster's log age, the fraction of members whose 68% and 95% intervals hold the cluster's age, and
the cluster's age from its members' posteriors combined (``combined_age``): every member's posterior
carries the model's prior, so the product of N posteriors would count it N times; each member's samples
are reweighted by 1/prior (the card's ``prior_marginals``) into a likelihood of the common age
(Hogg, Myers & Bovy 2010, ApJ 725, 2166, eq. 9, with a Gaussian kernel), mixed with a flat outlier term
for non-members and binaries (Hogg, Bovy & Lang 2010, arXiv:1008.4686, §5), and multiplied under a
flat prior in log age. The product's interval narrows as 1/√N even where the members' posteriors are
biased, so the combined age also gets a bootstrap interval over members (Efron & Tibshirani 1993, An
Introduction to the Bootstrap, ch. 6), and the report says which members pull the combination where:
each member's log-likelihood of the cluster's age minus that of the combined age, pooled in bins of G.

Corona Australis (``validation/esplin-crA``, Esplin & Luhman 2022), the issue's young region, is two
populations of different ages rather than one cluster: its members go through the same path and are
reported by disc class (median age, the fraction the model calls younger than 50 Myr, combined age), next
to the literature ages of both populations, outside the median over the single-age clusters.

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

from cradle_models.adaptation.export import write_json, write_text

ROOT = Path(__file__).resolve().parents[3]
CLI = ROOT / "bin" / "cradle.mjs"
DEFAULT_VALIDATION = ROOT.parent / "shared" / "data" / "real-stars" / "validation"
REFERENCE = "Bouma, Palumbo & Hillenbrand 2023, ApJL 947, L3, Table 1 (gyro-interp's age scale)"
RUWE_MAX = 1.4
# The combination's kernel width (dex) and outlier fraction, and its log-age grid.
KERNEL_DEX = 0.1
OUTLIER_FRACTION = 0.05
AGE_GRID = np.arange(6.0, 10.1 + 1e-9, 0.005)
# Resamplings of the members for the combined age's bootstrap interval, and the G bins of the pull table.
BOOTSTRAP = 200
G_BINS = ((0.0, 10.0), (10.0, 13.0), (13.0, 15.0), (15.0, 17.5))
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


# Corona Australis, the young validation region, is two populations rather than one cluster:
# Esplin & Luhman (2022, AJ 163, 64, abstract): the Coronet cluster, "a few Myr", partly embedded, and
# Upper CrA, ~15 Myr, around and beyond the cloud; Rigliaco, Gratton & Nascimbeni (2025, arXiv:2508.19757,
# abstract) date the same two groups CrA-Main 3 ± 1 Myr and CrA-North 6.7 ± 0.3 Myr. Its members are
# reported by disc class (Esplin & Luhman's DiskType): disc-bearing members belong mostly to the young
# group, class III members mostly to the older one. Not in the median over the single-age clusters.
CRA_FILE = "esplin-crA/esplin_cata.txt"
CRA_LITERATURE = (
    "Coronet / CrA-Main: a few Myr (Esplin & Luhman 2022), 3 ± 1 Myr (Rigliaco et al. 2025); "
    "Upper CrA / CrA-North: ~15 Myr (Esplin & Luhman 2022), 6.7 ± 0.3 Myr (Rigliaco et al. 2025)"
)
CRA_GROUPS = {
    "all members": None,
    "with discs (any IR excess)": (
        "full",
        "full?",
        "flat/I",
        "0/I",
        "transitional",
        "evolved",
        "evol or transitional",
        "debris/ev trans",
        "debris/ev trans?",
    ),
    "class III (no excess)": ("III",),
}


def association_metrics(
    summary: pd.DataFrame,
    samples: dict[int, np.ndarray],
    keep: np.ndarray,
    prior: tuple[np.ndarray, np.ndarray],
) -> dict[str, Any]:
    """A young association's figures over the kept rows: members, the median of their posterior median
    ages, the fraction the model calls younger than 50 Myr (p_age_lt_50myr > 0.5), and their combined
    age (``combined_age``), in Myr."""
    rows = np.flatnonzero(keep & summary["log_age_median"].notna().to_numpy())
    if len(rows) == 0:
        return {"members": 0}
    combined = combined_age([samples[int(r)] for r in rows], *prior, bootstrap=BOOTSTRAP)
    return {
        "members": int(len(rows)),
        "median_age_myr": float(10 ** np.median(summary["log_age_median"].to_numpy()[rows]) / 1e6),
        "young_fraction_lt_50myr": float(np.mean(summary["p_age_lt_50myr"].to_numpy()[rows] > 0.5)),
        "combined_myr": {
            "median": float(10 ** combined["log_age"] / 1e6),
            "p16": float(10 ** combined["p16"] / 1e6),
            "p84": float(10 ** combined["p84"] / 1e6),
            "bootstrap_p16": float(10 ** combined["bootstrap_p16"] / 1e6),
            "bootstrap_p84": float(10 ** combined["bootstrap_p84"] / 1e6),
        },
    }


def corona_australis(
    model: Path, validation: Path, runs: Path, prior: tuple[np.ndarray, np.ndarray]
) -> dict[str, Any] | None:
    """CrA's members through ``cradle infer`` (the table as published, a byte-by-byte MRT file), by disc
    class; None where the table is absent."""
    from astropy.io import ascii as astropy_ascii

    table_file = validation / CRA_FILE
    if not table_file.exists():
        return None
    table = astropy_ascii.read(table_file, format="cds").to_pandas()
    summary = _infer(model, table_file, runs / "corona_australis")
    if len(summary) != len(table):
        raise SystemExit(f"{runs / 'corona_australis'}: {len(summary)} summaries for {len(table)} rows")
    keep = (table["RUWE"] < RUWE_MAX).to_numpy() & ~summary["outside_training"].astype(bool).to_numpy()
    by_row = _samples_by_row(runs / "corona_australis")
    groups = {}
    for label, kinds in CRA_GROUPS.items():
        member = (
            np.ones(len(table), dtype=bool) if kinds is None else table["DiskType"].isin(kinds).to_numpy()
        )
        groups[label] = association_metrics(summary, by_row, keep & member, prior)
    return {
        "file": CRA_FILE,
        "literature": CRA_LITERATURE,
        "rows": int(len(table)),
        "outside_training_excluded": int(summary["outside_training"].astype(bool).sum()),
        "groups": groups,
    }


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
    }


def member_log_likelihoods(
    members: list[np.ndarray], prior_edges: np.ndarray, prior_density: np.ndarray
) -> np.ndarray:
    """Each member's log-likelihood of the common log age on AGE_GRID, [members, grid]: its samples
    reweighted by 1/prior, smoothed by a Gaussian kernel and mixed with the flat outlier term (see the
    module header)."""
    floor = 1e-3 * prior_density.max()
    outlier = OUTLIER_FRACTION / (AGE_GRID[-1] - AGE_GRID[0])
    out = np.empty((len(members), len(AGE_GRID)))
    for i, samples in enumerate(members):
        at = np.clip(np.searchsorted(prior_edges, samples, side="right") - 1, 0, len(prior_density) - 1)
        weights = 1.0 / np.maximum(prior_density[at], floor)
        kernel = np.exp(-0.5 * ((AGE_GRID[:, None] - samples[None, :]) / KERNEL_DEX) ** 2)
        likelihood = (kernel @ weights) / (weights.sum() * KERNEL_DEX * np.sqrt(2 * np.pi))
        out[i] = np.log((1 - OUTLIER_FRACTION) * likelihood + outlier)
    return out


def _quantiles(log_post: np.ndarray) -> tuple[float, float, float]:
    """16th, 50th and 84th percentiles of a log posterior on AGE_GRID."""
    post = np.exp(log_post - log_post.max())
    cdf = np.cumsum(post) / post.sum()
    p16, p50, p84 = (float(AGE_GRID[np.searchsorted(cdf, q)]) for q in (0.16, 0.5, 0.84))
    return p16, p50, p84


def combined_age(
    members: list[np.ndarray],
    prior_edges: np.ndarray,
    prior_density: np.ndarray,
    bootstrap: int = 0,
    seed: int = 0,
) -> dict[str, float]:
    """The common log age of ``members`` (each an array of its posterior samples of log age) on AGE_GRID:
    median and 16th/84th percentiles of the combined posterior (see the module header); with
    ``bootstrap`` > 0 also its bootstrap interval (``combine``)."""
    return combine(member_log_likelihoods(members, prior_edges, prior_density), bootstrap, seed)


def combine(log_lik: np.ndarray, bootstrap: int = 0, seed: int = 0) -> dict[str, float]:
    """The combined posterior of members' log-likelihoods [members, grid]: median and 16th/84th
    percentiles. With ``bootstrap`` > 0, also the 16th/84th percentiles of the median over that many
    resamplings of the members with replacement: the product's own interval shrinks as 1/√N whether or
    not the members' posteriors are right, while the bootstrap shows how much the answer rests on a few
    of them."""
    p16, p50, p84 = _quantiles(log_lik.sum(axis=0))
    age = {"log_age": p50, "p16": p16, "p84": p84}
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        n = log_lik.shape[0]
        counts = rng.multinomial(n, np.full(n, 1.0 / n), size=bootstrap)
        medians = [_quantiles(row)[1] for row in counts @ log_lik]
        age["bootstrap_p16"], age["bootstrap_p84"] = (float(q) for q in np.percentile(medians, [16, 84]))
    return age


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


def run_cradle(args: list[str]) -> None:
    done = subprocess.run(["node", str(CLI), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"cradle {' '.join(args)} failed ({done.returncode}):\n{done.stderr.strip()}")


def _infer(model: Path, table: Path, run: Path) -> pd.DataFrame:
    """The engine's summaries of ``table`` (the run is resumed, or reused when complete; a run of another
    model card, without samples, or of a table whose content has changed since — the engine refuses to
    resume those — is started again)."""
    record = run / "run.json"
    if record.exists():
        recorded = json.loads(record.read_text())
        card_sha = hashlib.sha256((model / "card.json").read_bytes()).hexdigest()
        stat = table.stat()
        given = recorded["input"]
        # The engine resumes a run whose input has the recorded SHA-256 whatever its modification time
        # (a re-copied validation folder); a run recorded without one is matched on size and time.
        same_input = (
            given["sha256"] == hashlib.sha256(table.read_bytes()).hexdigest()
            if "sha256" in given
            else given["size"] == stat.st_size and given["mtime_ms"] == round(stat.st_mtime_ns / 1e6)
        )
        if (
            recorded["model"]["card_sha256"] != card_sha
            or not recorded["settings"]["keep_samples"]
            or not same_input
        ):
            shutil.rmtree(run)
    resume = ["--resume"] if record.exists() else []
    run_cradle(
        [
            "infer",
            "--quiet",
            "--keep-samples",
            "--model",
            str(model),
            "--input",
            str(table),
            "--out",
            str(run),
            *resume,
        ]
    )
    return pq.read_table(run / "summary.parquet").to_pandas()


def _combined(
    run: Path,
    summary: pd.DataFrame,
    g_mag: np.ndarray,
    keep: np.ndarray,
    log_age: float,
    prior: tuple[np.ndarray, np.ndarray],
) -> tuple[dict[str, float], pd.DataFrame]:
    """``combined_age`` of the kept rows of a run (with its bootstrap over members), its error against the
    cluster's ``log_age``, and per member: G, the posterior median's error and [M/H], and the member's
    log-likelihood ratio of the cluster's age to the combined one (``pull``: negative where the member
    pulls the combination away from the cluster's age)."""
    by_row = _samples_by_row(run)
    rows = [int(r) for r in np.flatnonzero(keep) if int(r) in by_row]
    log_lik = member_log_likelihoods([by_row[r] for r in rows], *prior)
    age = combine(log_lik, bootstrap=BOOTSTRAP)
    at = np.searchsorted(AGE_GRID, [log_age, age["log_age"]])
    per_member = pd.DataFrame(
        {
            "g": g_mag[rows],
            "error_dex": summary["log_age_median"].to_numpy()[rows] - log_age,
            # A model without [M/H] (an adapted model from real_da) leaves it out of the pull table.
            "mh": summary["mh_median"].to_numpy()[rows] if "mh_median" in summary else np.nan,
            "pull": log_lik[:, min(at[0], len(AGE_GRID) - 1)] - log_lik[:, min(at[1], len(AGE_GRID) - 1)],
        }
    )
    return {**age, "error_dex": age["log_age"] - log_age}, per_member


def pull_by_magnitude(members: pd.DataFrame) -> list[dict[str, float | None]]:
    """Members of all clusters (``_combined``'s per-member frames, concatenated) in bins of G: how many,
    their posterior medians' error and [M/H] (medians), and their summed and mean pull."""
    out = []
    for low, high in G_BINS:
        sel = members[(members["g"] >= low) & (members["g"] < high)]
        if len(sel) == 0:
            continue
        out.append(
            {
                "g_min": low,
                "g_max": high,
                "members": int(len(sel)),
                "median_error_dex": float(sel["error_dex"].median()),
                "median_mh": None if sel["mh"].isna().all() else float(sel["mh"].median()),
                "pull_sum": float(sel["pull"].sum()),
                "pull_mean": float(sel["pull"].mean()),
            }
        )
    return out


def _samples_by_row(run: Path) -> dict[int, np.ndarray]:
    """The log-age samples of every row of a run (samples.parquet: row, sample, parameters)."""
    samples = pq.read_table(run / "samples.parquet", columns=["row", "log_age"]).to_pandas()
    return {int(r): g["log_age"].to_numpy(float) for r, g in samples.groupby("row")}


def _mapping(run: Path) -> dict[str, str | None]:
    """Quantity → the column (or expression) a run's input mapping used for it, None where absent."""
    mapping: dict[str, str | None] = json.loads((run / "run.json").read_text())["input"]["mapping"]
    return mapping


def unobserved_columns(members: dict[str, str | None], twin: dict[str, str | None]) -> list[str]:
    """The twin's columns for the quantities the members' table does not have (2MASS J/H and WISE for
    every gyro-interp table): dropping them gives the twin the members' information."""
    return sorted(str(twin[q]) for q, column in members.items() if column is None and twin.get(q))


def _without_columns(catalogue: Path, columns: list[str]) -> Path:
    """``catalogue`` without ``columns``, written beside it (atomically) once."""
    out = catalogue.with_name(catalogue.stem + "-as-members.parquet")
    if not out.exists():
        table = pq.read_table(catalogue)
        tmp = out.with_name(out.name + ".tmp")
        pq.write_table(table.drop_columns(columns), tmp)
        os.replace(tmp, out)
    return out


def evaluate(model: Path, validation: Path, out: Path) -> dict[str, Any]:
    runs = out / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    card = json.loads((model / "card.json").read_text())
    if "log_age" not in card.get("prior_marginals", {}):
        raise SystemExit(f"{model / 'card.json'}: no prior_marginals.log_age to combine members' posteriors")
    prior_edges = np.asarray(card["prior_marginals"]["log_age"]["edges"])
    prior_density = np.asarray(card["prior_marginals"]["log_age"]["density"])
    rows: list[dict[str, Any]] = []
    groups = ("real", "twin", "twin_as_members")
    pooled: dict[str, list[pd.DataFrame]] = {g: [] for g in groups}
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
        in_range = ~real["outside_training"].astype(bool).to_numpy()
        keep = (members["ruwe"] < RUWE_MAX).to_numpy() & real["log_age_median"].notna().to_numpy() & in_range
        twin_dir = runs / f"{cluster.key}-twin"
        config = twin_config(cluster, members)
        if (twin_dir / "config.json").exists() and json.loads(
            (twin_dir / "config.json").read_text()
        ) != config:
            shutil.rmtree(twin_dir)
        twin_dir.mkdir(parents=True, exist_ok=True)
        write_json(twin_dir / "config.json", config)
        if not (twin_dir / "sky" / "catalog.parquet").exists():
            run_cradle(
                ["simulate", "--config", str(twin_dir / "config.json"), "--out", str(twin_dir / "sky")]
            )
        twin = _infer(model, twin_dir / "sky" / "catalog.parquet", twin_dir / "run")
        every = twin["log_age_median"].notna().to_numpy()
        dropped = unobserved_columns(_mapping(runs / cluster.key), _mapping(twin_dir / "run"))
        reduced = _without_columns(twin_dir / "sky" / "catalog.parquet", dropped)
        twin_alike = _infer(model, reduced, twin_dir / "run-as-members")
        every_alike = twin_alike["log_age_median"].notna().to_numpy()
        prior = (prior_edges, prior_density)
        twin_g = pq.read_table(twin_dir / "sky" / "catalog.parquet", columns=["phot_g_mean_mag"])
        twin_g_mag = twin_g.column(0).to_numpy(zero_copy_only=False).astype(float)
        real_combined, real_members = _combined(
            runs / cluster.key, real, members["phot_g_mean_mag"].to_numpy(float), keep, log_age, prior
        )
        twin_combined, twin_members = _combined(twin_dir / "run", twin, twin_g_mag, every, log_age, prior)
        alike_combined, alike_members = _combined(
            twin_dir / "run-as-members", twin_alike, twin_g_mag, every_alike, log_age, prior
        )
        for group, frame in zip(groups, (real_members, twin_members, alike_members), strict=True):
            pooled[group].append(frame)

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
                "outside_training_excluded": int((~in_range).sum()),
                "real": {
                    **member_metrics(real, log_age, keep),
                    "combined": real_combined,
                },
                "twin": {
                    **member_metrics(twin, log_age, every),
                    "combined": twin_combined,
                    "distance_pc": config["clusters"][0]["distancePc"],
                    "av": config["clusters"][0]["av"],
                },
                "twin_as_members": {
                    **member_metrics(twin_alike, log_age, every_alike),
                    "combined": alike_combined,
                    "columns_dropped": dropped,
                },
            }
        )
    cra = corona_australis(model, validation, runs, (prior_edges, prior_density))
    adaptation = card.get("domain_adaptation") or {}
    return {
        "model": card["name"],
        "model_created": card.get("created"),
        "adapted": bool(adaptation.get("adapted", False)),
        "adaptation_method": adaptation.get("method"),
        "reference": REFERENCE,
        "member_cut": f"RUWE < {RUWE_MAX}, inside the model's training ranges (outside_training = 0)",
        "twin_g_max": TWIN_G_MAX,
        "clusters": rows,
        "median_abs_error_dex": {
            g: float(np.median([abs(r[g]["median_error_dex"]) for r in rows])) for g in groups
        },
        "median_abs_combined_error_dex": {
            g: float(np.median([abs(r[g]["combined"]["error_dex"]) for r in rows])) for g in groups
        },
        "pull_by_magnitude": {g: pull_by_magnitude(pd.concat(pooled[g], ignore_index=True)) for g in groups},
        "corona_australis": cra,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Real validation clusters: {report['model']} "
        + (
            f"(adapted to real data: {report['adaptation_method']})"
            if report.get("adapted")
            else "without domain adaptation"
        ),
        "",
        f"Cluster ages: {report['reference']}. Members: {report['member_cut']}; 'out': members left out",
        "because the model flags them outside its training ranges (mostly G > 17).",
        "Error: median over members of the posterior median log age, minus the cluster's log age.",
        "Coverage: fraction of members whose 68% / 95% interval holds the cluster's age. Combined: the",
        "cluster's log age from its members' posteriors, the prior divided out (median [16%, 84%]),",
        f"minus the cluster's; bootstrap: 16% and 84% of that median over {BOOTSTRAP} resamplings of the",
        "members. Twin: the simulator's version of the cluster (same age, median parallax",
        "distance, GSP-Phot A_0 of the bright warm members, solar [M/H], "
        f"G < {report['twin_g_max']:g}) through the same model, observed in every survey the simulator",
        "models; twin as members: the same stars with only the quantities the members' table has",
        "(Gaia G, BP, RP, parallax, and 2MASS Ks for the Pleiades and Praesepe).",
        "",
        "| cluster | age (Myr) | members (out) | error (dex) | cov 68 | cov 95 | misspecified "
        "| combined (dex) | twin: stars | twin error | twin cov 68 | twin cov 95 | twin combined "
        "| twin as members: error | cov 68 | combined |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def comb(c: dict[str, float], log_age: float) -> str:
        return (
            f"{c['error_dex']:+.2f} [{c['p16'] - log_age:+.2f}, {c['p84'] - log_age:+.2f}] "
            f"(bootstrap {c['bootstrap_p16'] - log_age:+.2f}, {c['bootstrap_p84'] - log_age:+.2f})"
        )

    for r in report["clusters"]:
        real, twin, alike = r["real"], r["twin"], r["twin_as_members"]
        log_age = math.log10(r["age_myr"] * 1e6)
        lines.append(
            f"| {r['name']} | {r['age_myr']:g} | {real['members']} ({r['outside_training_excluded']}) | "
            f"{real['median_error_dex']:+.2f} | "
            f"{real['coverage_68']:.2f} | {real['coverage_95']:.2f} | {real['misspecified']:.2f} | "
            f"{comb(real['combined'], log_age)} | "
            f"{twin['members']} | {twin['median_error_dex']:+.2f} | {twin['coverage_68']:.2f} | "
            f"{twin['coverage_95']:.2f} | {comb(twin['combined'], log_age)} | "
            f"{alike['median_error_dex']:+.2f} | {alike['coverage_68']:.2f} | "
            f"{comb(alike['combined'], log_age)} |"
        )
    med = report["median_abs_error_dex"]
    comb_med = report["median_abs_combined_error_dex"]
    lines += [
        "",
        f"Median |error| over the clusters: real members {med['real']:.2f} dex, "
        f"simulated twins {med['twin']:.2f} dex, twins as members {med['twin_as_members']:.2f} dex; "
        f"combined posteriors: real {comb_med['real']:.2f} dex, twins {comb_med['twin']:.2f} dex, "
        f"twins as members {comb_med['twin_as_members']:.2f} dex.",
        "",
        "## Which members pull the combined ages",
        "",
        "Members of the seven clusters pooled in bins of G. Pull: a member's log-likelihood of its cluster's",
        "age minus that of the combined age (nats; negative: it pulls the combination away from the",
        "cluster's age). Error and [M/H]: medians of the members' posterior medians.",
        "",
        "| G | real: members | error (dex) | [M/H] | pull, sum | pull, mean "
        "| twin: members | error | [M/H] | pull, mean | twin as members: error | [M/H] | pull, mean |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    pulls = report["pull_by_magnitude"]

    def mh(row: dict[str, Any]) -> str:
        return "—" if row["median_mh"] is None else f"{row['median_mh']:+.2f}"

    for real, twin, alike in zip(pulls["real"], pulls["twin"], pulls["twin_as_members"], strict=True):
        lines.append(
            f"| {real['g_min']:g}–{real['g_max']:g} | {real['members']} | {real['median_error_dex']:+.2f} | "
            f"{mh(real)} | {real['pull_sum']:.0f} | {real['pull_mean']:+.2f} | "
            f"{twin['members']} | {twin['median_error_dex']:+.2f} | {mh(twin)} | "
            f"{twin['pull_mean']:+.2f} | {alike['median_error_dex']:+.2f} | {mh(alike)} | "
            f"{alike['pull_mean']:+.2f} |"
        )
    lines.append("")
    cra = report.get("corona_australis")
    if cra is not None:
        lines += [
            "## Corona Australis: a young region of two populations",
            "",
            f"Literature: {cra['literature']}. Members: RUWE < {RUWE_MAX}, inside the training ranges "
            f"({cra['outside_training_excluded']} of {cra['rows']} rows left out). Ages in Myr; combined: "
            "the members' posteriors with the prior divided out, median [16%, 84%] (bootstrap over members).",
            "",
            "| members | stars | median of posterior medians | P(age < 50 Myr) > 0.5 | combined |",
            "|---|---|---|---|---|",
        ]
        for label, g in cra["groups"].items():
            c = g["combined_myr"]
            lines.append(
                f"| {label} | {g['members']} | {g['median_age_myr']:.1f} | "
                f"{g['young_fraction_lt_50myr']:.2f} | "
                f"{c['median']:.1f} [{c['p16']:.1f}, {c['p84']:.1f}] "
                f"({c['bootstrap_p16']:.1f}, {c['bootstrap_p84']:.1f}) |"
            )
        lines.append("")
    return "\n".join(lines)


def write_report(report: dict[str, Any], out: Path) -> str:
    """``report.json`` and ``report.md`` in ``out`` (each written whole, then moved into place)."""
    write_json(out / "report.json", report)
    text = markdown(report)
    write_text(out / "report.md", text)
    return text


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", type=Path, required=True, help="model folder (card.json + graphs)")
    p.add_argument("--out", type=Path, required=True, help="report folder (runs are kept in OUT/runs)")
    p.add_argument("--validation", type=Path, default=DEFAULT_VALIDATION, help="real-stars/validation folder")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    print(write_report(evaluate(args.model.resolve(), args.validation, args.out), args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
