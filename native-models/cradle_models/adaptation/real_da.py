"""The real validation clusters with and without domain adaptation (issue #9's real-data arm).

The DA Simformer (``model.py``: photometry + parallax encoder → log age, log M, log d, log(A_V + 0.05)) is
trained on the simulator's training set for cradle-small (``configs/small-training-set.json``), then
adapted once by optimal transport (entropic fused Gromov–Wasserstein, ``gromov.py``) towards the real
members' photometry, which it sees unlabelled. Both models give every member a posterior; each cluster's
age is its members' posteriors combined (``real_clusters.combined_age``, the training set's log-age
histogram as the prior to divide out), against the literature ages ``real_clusters`` uses.

- **Real side:** the members of the seven gyro-interp clusters and of Corona Australis, read through the
  app's own column mapping (``cradle catalog inputs``), with RUWE < 1.4 (Lindegren et al. 2021), G < 17
  (the training set's limit) and a parallax. Their ages are never read by the training: the alignment is
  transductive, on the stars whose ages are then reported, as DA would run on a user's catalogue.
  ``holdout/`` is not read.
- **Sim–real pairs from two clusters that are then not scored:** a pair is a real star and a simulated
  star with the same parameters. The members of the Pleiades and Praesepe (the best-studied of the
  seven, 120 and 670 Myr) get twins from their cluster's simulated twin (``real_clusters.twin_config``:
  the cluster's age, distance and A_V), the twin star nearest in G, observed with its partner's mask;
  ``--pairs`` of them (default 1% of the real stars, as in the synthetic benchmark) guide OT (pair loss)
  and keypoint-guided OT (keypoints). Those two clusters' ages are therefore known to the adapted models,
  and the medians are taken over the other five. ``--pairs 0`` runs OT without pairs (keypoint-guided OT
  then cannot run).
- **Simulated stars observed as the members are:** each simulated star also loses what a randomly drawn
  real member lacks (2MASS J/H and WISE are absent from every gyro-interp table, Ks from most), so the two
  sides differ in their values, not in which quantities they carry. A real magnitude without an error
  (the Pleiades' Ks) gets the training set's median error of that band.
- **Simulated stars where the real ones are:** the training and test stars are drawn from the training set
  with weights that give them the real members' distribution of parallax and G (``like_real``).

    PYTHONPATH=native-models native-models/.venv/bin/python -m cradle_models.adaptation.real_da \\
        --out native-models/cradle_models/adaptation/benchmark/real-da

The training set is simulated once into ``--cache`` (about five minutes on two cores) unless
``--training-set`` names one; the real tables' model inputs are cached there too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import torch

from cradle_models.adaptation import app_model, real_clusters
from cradle_models.adaptation.config import DATrainConfig
from cradle_models.adaptation.encoders import PHOTOMETRY
from cradle_models.adaptation.evaluate import metrics, posterior_samples
from cradle_models.adaptation.export import progress, write_json, write_text
from cradle_models.adaptation.model import DASimformer
from cradle_models.adaptation.shift_data import PHOT_INPUTS, Catalogue, Observed
from cradle_models.adaptation.train import DATrainer, Normaliser, clone, prepare, specs_of
from cradle_models.export.card import read_card

TRAINING_SET_CONFIG = real_clusters.ROOT / "native-models" / "configs" / "small-training-set.json"
# The shipped model whose card gives the photometry inputs' units and surveys to a saved model's card.
UNITS_MODEL = real_clusters.ROOT / "native-models" / "models" / "cradle-small"
G_MAX = 17.0
METHODS = ("none", "ot", "kpg")
LABELS = {"none": "no DA", "ot": "OT (fused GW) + pairs", "kpg": "keypoint-guided OT + pairs"}
PAIR_CLUSTERS = ("pleiades", "praesepe")
PRIOR_EDGES = np.round(np.arange(6.0, 10.1 + 1e-9, 0.05), 3)
TRUTH = ("log_age", "mass_init", "distance_pc", "av")
CRA_KEY = "corona_australis"


@dataclass
class RealStars:
    """The kept members of every validation table as one unlabelled catalogue (θ is NaN)."""

    catalogue: Catalogue
    cluster: np.ndarray  # cluster key per star
    disc: np.ndarray  # Esplin & Luhman's DiskType for CrA members, "" elsewhere
    counts: dict[str, dict[str, int]]  # per table: rows, kept


def training_set(args: argparse.Namespace) -> Path:
    """The simulated training set's folder: ``--training-set``, or simulated once into the cache."""
    if args.training_set is not None:
        return Path(args.training_set)
    folder = Path(args.cache) / "small-training-set"
    if not (folder / "manifest.json").exists():
        progress(f"simulating the training set ({TRAINING_SET_CONFIG.name}) into {folder}")
        real_clusters.run_cradle(
            ["simulate", "--config", str(TRAINING_SET_CONFIG), "--out", str(folder), "--shards"]
        )
    return folder


def model_inputs(table: Path, cache: Path, fmt: str | None = None) -> pd.DataFrame:
    """The app's model inputs for ``table`` (value, .err, .observed per photometric input), cached under
    the table's content hash."""
    digest = hashlib.sha256(table.read_bytes()).hexdigest()[:16]
    out = cache / f"{table.stem}-{digest}-inputs.parquet"
    if not out.exists():
        cache.mkdir(parents=True, exist_ok=True)
        extra = ["--format", fmt] if fmt is not None else []
        real_clusters.run_cradle(
            ["catalog", "inputs", str(table), str(out), "--variables", ",".join(PHOT_INPUTS), *extra]
        )
    return pq.read_table(out).to_pandas()


def photometry(frame: pd.DataFrame, typical_error: np.ndarray) -> Observed:
    """The photometry modality from columns ``<name>``, ``<name>.err``, ``<name>.observed``."""
    values = np.column_stack([frame[n].to_numpy(float) for n in PHOT_INPUTS])
    errors = np.column_stack([frame[f"{n}.err"].to_numpy(float) for n in PHOT_INPUTS])
    observed = np.column_stack([frame[f"{n}.observed"].to_numpy().astype(bool) for n in PHOT_INPUTS])
    mask = observed & np.isfinite(values)
    errors = np.where(mask & ~np.isfinite(errors), typical_error[None, :], errors)
    return Observed(
        np.where(mask, values, 0.0), np.where(mask, errors, 0.0), mask, np.ones(len(frame), dtype=bool)
    )


def _keep(inputs: pd.DataFrame, ruwe: np.ndarray) -> np.ndarray:
    g = inputs["gaia.g"].to_numpy(float)
    plx = inputs["gaia.parallax"].to_numpy(float)
    return (
        (ruwe < real_clusters.RUWE_MAX)
        & inputs["gaia.g.observed"].to_numpy().astype(bool)
        & (g < G_MAX)
        & inputs["gaia.parallax.observed"].to_numpy().astype(bool)
        & (plx > 0)
    )


def real_stars(validation: Path, cache: Path, typical_error: np.ndarray) -> RealStars:
    frames: list[Observed] = []
    cluster: list[np.ndarray] = []
    disc: list[np.ndarray] = []
    counts: dict[str, dict[str, int]] = {}
    for c in real_clusters.CLUSTERS:
        table = validation / c.file
        if not table.exists():
            raise SystemExit(f"{table}: validation table missing")
        inputs = model_inputs(table, cache)
        ruwe = pd.read_csv(table, usecols=["ruwe"])["ruwe"].to_numpy(float)
        keep = _keep(inputs, ruwe)
        counts[c.key] = {"rows": int(len(inputs)), "kept": int(keep.sum())}
        frames.append(photometry(inputs[keep], typical_error))
        cluster.append(np.full(int(keep.sum()), c.key))
        disc.append(np.full(int(keep.sum()), ""))
    cra = validation / real_clusters.CRA_FILE
    if cra.exists():
        from astropy.io import ascii as astropy_ascii

        table = astropy_ascii.read(cra, format="cds").to_pandas()
        inputs = model_inputs(cra, cache, "mrt")
        keep = _keep(inputs, table["RUWE"].to_numpy(float))
        counts[CRA_KEY] = {"rows": int(len(inputs)), "kept": int(keep.sum())}
        frames.append(photometry(inputs[keep], typical_error))
        cluster.append(np.full(int(keep.sum()), CRA_KEY))
        disc.append(table["DiskType"].fillna("").astype(str).to_numpy()[keep])
    n = sum(f.values.shape[0] for f in frames)
    joined = Observed(
        *(np.concatenate([getattr(f, k) for f in frames]) for k in Observed.__dataclass_fields__)
    )
    return RealStars(
        Catalogue(np.full((n, 4), np.nan), {PHOTOMETRY: joined}),
        np.concatenate(cluster),
        np.concatenate(disc),
        counts,
    )


def simulated_stars(folder: Path) -> tuple[Catalogue, np.ndarray]:
    """Every training-set star with G < 17 and a positive parallax, and the median error per input."""
    manifest = json.loads((folder / "manifest.json").read_text())
    columns = [*TRUTH, *(f"{n}{s}" for n in PHOT_INPUTS for s in ("", ".err", ".observed"))]
    frame = pd.concat(
        [pq.read_table(folder / f["path"], columns=columns).to_pandas() for f in manifest["files"]],
        ignore_index=True,
    )
    errors = np.array([np.nanmedian(frame[f"{n}.err"].where(frame[f"{n}.observed"])) for n in PHOT_INPUTS])
    keep = _keep(frame, np.zeros(len(frame)))
    frame = frame[keep].reset_index(drop=True)
    theta = frame[list(TRUTH)].to_numpy(float)
    return Catalogue(theta, {PHOTOMETRY: photometry(frame, errors)}), errors


def observed_as(sim: Catalogue, real: Catalogue, rng: np.random.Generator) -> Catalogue:
    """``sim`` with each star also missing what a randomly drawn real star misses."""
    m = sim.modalities[PHOTOMETRY]
    pattern = real.modalities[PHOTOMETRY].mask[rng.integers(0, real.theta.shape[0], sim.theta.shape[0])]
    mask = m.mask & pattern
    return Catalogue(
        sim.theta,
        {PHOTOMETRY: Observed(np.where(mask, m.values, 0.0), np.where(mask, m.errors, 0.0), mask, m.present)},
    )


def like_real(sim: Catalogue, real: Catalogue, n: int, rng: np.random.Generator) -> Catalogue:
    """``n`` stars of ``sim`` drawn (with replacement) so that their observed log parallax and G follow the
    real stars' (a histogram ratio on a 24 × 20 grid). Both are observables, so the reweighting leaves
    p(θ | data) as it is: it only puts the training stars where the real ones are (the real members lie
    within 500 pc, most of the training set beyond), which the alignment's balanced plans need."""
    v_sim = sim.modalities[PHOTOMETRY].values
    v_real = real.modalities[PHOTOMETRY].values
    g, plx = PHOT_INPUTS.index("gaia.g"), PHOT_INPUTS.index("gaia.parallax")
    lp_real = np.log10(v_real[:, plx])
    edges = (
        np.linspace(lp_real.min() - 0.05, lp_real.max() + 0.05, 25),
        np.linspace(min(v_real[:, g].min(), v_sim[:, g].min()), G_MAX, 21),
    )
    h_real, _, _ = np.histogram2d(lp_real, v_real[:, g], bins=edges)
    lp_sim = np.log10(v_sim[:, plx])
    h_sim, _, _ = np.histogram2d(lp_sim, v_sim[:, g], bins=edges)
    i = np.clip(np.searchsorted(edges[0], lp_sim, side="right") - 1, 0, len(edges[0]) - 2)
    j = np.clip(np.searchsorted(edges[1], v_sim[:, g], side="right") - 1, 0, len(edges[1]) - 2)
    inside = (lp_sim >= edges[0][0]) & (lp_sim <= edges[0][-1])
    weight = np.where(inside, h_real[i, j] / np.maximum(h_sim[i, j], 1), 0.0)
    return sim.take(rng.choice(len(weight), size=n, replace=True, p=weight / weight.sum()))


def twin_stars(
    cluster: real_clusters.Cluster, validation: Path, cache: Path
) -> tuple[pd.DataFrame, np.ndarray]:
    """The model inputs and true θ of ``cluster``'s simulated twin (simulated once into ``cache``)."""
    members = pd.read_csv(validation / cluster.file)
    folder = cache / "twins" / cluster.key
    config = real_clusters.twin_config(cluster, members)
    if (folder / "config.json").exists() and json.loads((folder / "config.json").read_text()) != config:
        shutil.rmtree(folder)
    if not (folder / "sky" / "truth.parquet").exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_json(folder / "config.json", config)
        real_clusters.run_cradle(
            ["simulate", "--config", str(folder / "config.json"), "--out", str(folder / "sky")]
        )
    inputs = model_inputs(folder / "sky" / "catalog.parquet", folder)
    truth = pq.read_table(folder / "sky" / "truth.parquet", columns=["source_id", *TRUTH]).to_pandas()
    ids = pq.read_table(folder / "sky" / "catalog.parquet", columns=["source_id"]).column(0).to_numpy()
    if not np.array_equal(ids, truth["source_id"].to_numpy()):
        raise SystemExit(f"{folder / 'sky'}: catalog.parquet and truth.parquet rows differ")
    return inputs, truth[list(TRUTH)].to_numpy(float)


def pairs(
    stars: RealStars,
    twins: dict[str, tuple[pd.DataFrame, np.ndarray]],
    n: int,
    typical_error: np.ndarray,
    rng: np.random.Generator,
) -> tuple[Catalogue, Catalogue]:
    """(simulated, real) catalogues of ``n`` pairs: real members of the pair clusters, each with the twin
    star nearest in G, observed as its partner is."""
    candidates = np.flatnonzero(np.isin(stars.cluster, list(twins)))
    chosen = np.sort(rng.choice(candidates, size=min(n, len(candidates)), replace=False))
    real = stars.catalogue.take(chosen)
    real_phot = real.modalities[PHOTOMETRY]
    g = PHOT_INPUTS.index("gaia.g")
    modalities = {key: photometry(frame, typical_error) for key, (frame, _) in twins.items()}
    p = len(PHOT_INPUTS)
    values, errors = np.zeros((len(chosen), p)), np.zeros((len(chosen), p))
    mask, theta = np.zeros((len(chosen), p), dtype=bool), np.zeros((len(chosen), 4))
    for k, row in enumerate(chosen):
        key = str(stars.cluster[row])
        twin = modalities[key]
        j = int(np.argmin(np.abs(twin.values[:, g] - real_phot.values[k, g])))
        mask[k] = twin.mask[j] & real_phot.mask[k]
        values[k] = np.where(mask[k], twin.values[j], 0.0)
        errors[k] = np.where(mask[k], twin.errors[j], 0.0)
        theta[k] = twins[key][1][j]
    sim = Catalogue(theta, {PHOTOMETRY: Observed(values, errors, mask, np.ones(len(chosen), dtype=bool))})
    return sim, real


def cluster_rows(
    log_age: np.ndarray, stars: RealStars, prior: tuple[np.ndarray, np.ndarray]
) -> list[dict[str, Any]]:
    """Per validation cluster: members, median error of their posterior medians, 68% coverage of the
    literature age, and the combined age's error (dex)."""
    rows = []
    for c in real_clusters.CLUSTERS:
        sel = np.flatnonzero(stars.cluster == c.key)
        truth = math.log10(c.age_myr * 1e6)
        samples = log_age[sel]
        p16, p50, p84 = np.percentile(samples, [16, 50, 84], axis=1)
        combined = real_clusters.combined_age(list(samples), *prior, bootstrap=real_clusters.BOOTSTRAP)
        rows.append(
            {
                "key": c.key,
                "name": c.name,
                "age_myr": c.age_myr,
                "members": int(len(sel)),
                "median_error_dex": float(np.median(p50) - truth),
                "coverage_68": float(np.mean((p16 <= truth) & (truth <= p84))),
                "combined": {**combined, "error_dex": combined["log_age"] - truth},
            }
        )
    return rows


def cra_groups(log_age: np.ndarray, stars: RealStars, prior: tuple[np.ndarray, np.ndarray]) -> dict[str, Any]:
    """CrA's members by Esplin & Luhman's disc class: members, median of their posterior medians and
    combined age, in Myr."""
    out: dict[str, Any] = {}
    for label, kinds in real_clusters.CRA_GROUPS.items():
        member = stars.cluster == CRA_KEY
        if kinds is not None:
            member &= np.isin(stars.disc, kinds)
        sel = np.flatnonzero(member)
        if len(sel) == 0:
            continue
        combined = real_clusters.combined_age(list(log_age[sel]), *prior, bootstrap=real_clusters.BOOTSTRAP)
        out[label] = {
            "members": int(len(sel)),
            "median_age_myr": float(10 ** np.median(np.median(log_age[sel], axis=1)) / 1e6),
            "combined_myr": {k: float(10**v / 1e6) for k, v in combined.items()},
        }
    return out


def evaluate(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    sim_all, typical = simulated_stars(training_set(args))
    stars = real_stars(args.validation, Path(args.cache) / "real-inputs", typical)
    sim_all = observed_as(sim_all, stars.catalogue, rng)
    order = rng.permutation(sim_all.theta.shape[0])
    split = len(order) * 9 // 10  # training and test stars are drawn from disjoint 90% / 10% pools
    sim_train = like_real(sim_all.take(order[:split]), stars.catalogue, args.sim, rng)
    sim_test = like_real(sim_all.take(order[split:]), stars.catalogue, args.test, rng)
    n_pairs = round(args.pairs * stars.catalogue.theta.shape[0])
    if n_pairs > 0:
        twins = {
            c.key: twin_stars(c, args.validation, Path(args.cache))
            for c in real_clusters.CLUSTERS
            if c.key in PAIR_CLUSTERS
        }
        pairs_sim, pairs_real = pairs(stars, twins, n_pairs, typical, rng)
    else:
        pairs_sim = pairs_real = sim_train.take(np.arange(0))
    methods_run = [m for m in METHODS if n_pairs > 0 or m != "kpg"]
    norm = Normaliser.fit(sim_train)
    data = prepare(norm, sim_train, stars.catalogue, pairs_sim, pairs_real)
    counts, _ = np.histogram(sim_train.theta[:, 0], bins=PRIOR_EDGES)
    prior = (PRIOR_EDGES, counts / counts.sum() / np.diff(PRIOR_EDGES))
    base = DATrainConfig(seed=args.seed)
    base = replace(base, schedule=replace(base.schedule, pretrain=args.pretrain, adapt=args.adapt))
    torch.manual_seed(args.seed)
    model = DASimformer(base.model, specs_of(sim_train))
    pre = DATrainer(base, model, data)
    progress(
        f"{args.sim} simulated and {stars.catalogue.theta.shape[0]} real stars; "
        f"pre-training ({args.pretrain} steps)"
    )
    pre.pretrain()
    methods: dict[str, Any] = {}
    logs: dict[str, Any] = {"pretrain": pre.log}
    seconds: dict[str, float] = {"pretrain": pre.seconds}
    for method in methods_run:
        trainer = DATrainer(base.with_method(method), clone(model), data)
        progress(f"{LABELS[method]}: {args.adapt} adaptation steps, then the members' posteriors")
        trainer.adapt()
        logs[method], seconds[method] = trainer.log, trainer.seconds
        if args.save_models is not None:
            save_app_model(args, method, trainer.model, norm, sim_train, sim_test, typical, n_pairs, base)
        domain = "sim" if method == "none" else "real"
        real = posterior_samples(
            trainer.model, norm, stars.catalogue, domain, args.samples, args.steps, args.seed + 1
        )
        sim = posterior_samples(trainer.model, norm, sim_test, "sim", args.samples, args.steps, args.seed + 1)
        rows = cluster_rows(real[..., 0], stars, prior)
        scored = [r for r in rows if n_pairs == 0 or r["key"] not in PAIR_CLUSTERS]
        methods[method] = {
            "label": LABELS[method] if n_pairs > 0 else LABELS[method].replace(" + pairs", ", no pairs"),
            "clusters": rows,
            "median_abs_error_dex": float(np.median([abs(r["median_error_dex"]) for r in scored])),
            "median_abs_combined_error_dex": float(
                np.median([abs(r["combined"]["error_dex"]) for r in scored])
            ),
            "corona_australis": cra_groups(real[..., 0], stars, prior),
            "simulated_test": metrics(sim, sim_test, args.seed),
        }
    return {
        "training_set": str(TRAINING_SET_CONFIG.relative_to(real_clusters.ROOT)),
        "reference": real_clusters.REFERENCE,
        "member_cut": f"RUWE < {real_clusters.RUWE_MAX}, G < {G_MAX}, parallax > 0",
        "tables": stars.counts,
        "sizes": {
            "sim_train": args.sim,
            "sim_test": int(sim_test.theta.shape[0]),
            "pairs": int(pairs_sim.theta.shape[0]),
        },
        "pair_clusters": list(PAIR_CLUSTERS) if n_pairs > 0 else [],
        "sampler": {"solver": "heun", "steps": args.steps, "samples_per_star": args.samples},
        "config": base.to_dict(),
        "methods": methods,
        "seconds": {**seconds, "total": time.perf_counter() - t0},
        "logs": logs,
    }


def save_app_model(
    args: argparse.Namespace,
    method: str,
    model: DASimformer,
    norm: Normaliser,
    sim_train: Catalogue,
    sim_test: Catalogue,
    typical: np.ndarray,
    n_pairs: int,
    base: DATrainConfig,
) -> Path:
    """One method's trained model as a model folder the app runs (``app_model``), in ``--save-models``."""
    adapted = method != "none"
    template = read_card(UNITS_MODEL)
    folder = app_model.write_app_model(
        model,
        norm,
        args.save_models / f"real-da-{method}",
        train=sim_train,
        held_out=sim_test,
        template=template,
        inputs={PHOTOMETRY: PHOT_INPUTS},
        typical={n: float(e) for n, e in zip(PHOT_INPUTS, typical, strict=True) if np.isfinite(e)},
        name=f"real-da-{method}",
        description=(
            f"Photometry + parallax encoder and a Simformer for log age, mass, distance and A_V, trained on "
            f"{args.sim} stars of {TRAINING_SET_CONFIG.name} drawn like the validation members; "
            + (
                f"adapted by {LABELS[method]} to the real Gaia/2MASS/WISE photometry of the validation "
                f"clusters' members (unlabelled), {n_pairs} sim-real pairs from {' and '.join(PAIR_CLUSTERS)}"
                if adapted
                else "not adapted (the real stars go through the simulated branch)"
            )
            + ". Meant for real catalogues of nearby, lightly reddened stars like those members; a simulated "
            "catalogue should go to a model that was not adapted. cradle_models.adaptation.real_da."
        ),
        # The app samples with the default model's settings (chosen on its validation split), not the
        # Heun sampler of this report's PyTorch posteriors: sampler_check measures the difference.
        sampler=dict(template["sampler"]),
        training={
            "training_set": str(TRAINING_SET_CONFIG.relative_to(real_clusters.ROOT)),
            "sim_train": args.sim,
            "pretrain_steps": args.pretrain,
            "adapt_steps": args.adapt,
            "seed": args.seed,
            "config": base.with_method(method).to_dict(),
        },
        domain_adaptation={
            "adapted": adapted,
            "method": method if adapted else None,
            "note": (
                f"{LABELS[method]}; the real branch's encoders read the catalogue. Real side: the "
                "validation clusters' members, unlabelled; "
                f"{n_pairs} pairs match members of {' and '.join(PAIR_CLUSTERS)} to stars of their "
                f"simulated twins, made at the literature ages ({real_clusters.REFERENCE}), so those two "
                "clusters' ages are known to the model"
                if adapted
                else "trained on simulations only"
            ),
        },
        prior=(
            "the training stars' distribution (reweighted to the validation members' parallax and G, "
            "real_da.like_real); prior_marginals.log_age is what a cluster combination divides out"
        ),
    )
    progress(f"{LABELS[method]}: model folder {folder}")
    return folder


def _sim_figures(method: dict[str, Any]) -> str:
    age = method["simulated_test"]["log_age"]
    return f"{method['label']} {age['bias']:+.3f} / {age['rmse']:.3f} / {age['coverage68']:.2f}"


def markdown(report: dict[str, Any]) -> str:
    methods = list(report["methods"].values())
    pair_keys = set(report["pair_clusters"])
    lines = [
        "# Real validation clusters with and without domain adaptation",
        "",
        f"DA Simformer (photometry + parallax) trained on `{report['training_set']}`; members: "
        f"{report['member_cut']}; {report['sizes']['pairs']} sim–real pairs from "
        f"{', '.join(report['pair_clusters']) or 'no cluster'}; {report['sampler']['samples_per_star']} "
        f"samples, Heun {report['sampler']['steps']} steps. Errors in dex against {report['reference']}; "
        "per method: median error of the members' posterior medians / fraction of members whose 68% "
        "interval holds the age / error of the combined age [16% and 84% of it over "
        f"{real_clusters.BOOTSTRAP} bootstrap resamplings of the members].",
        "",
        "| cluster | age (Myr) | members | " + " | ".join(m["label"] for m in methods) + " |",
        "|---|---|---|" + "---|" * len(methods),
    ]
    for i, row in enumerate(methods[0]["clusters"]):
        cells = [_cluster_cell(m["clusters"][i]) for m in methods]
        name = row["name"] + (" (pairs)" if row["key"] in pair_keys else "")
        lines.append(f"| {name} | {row['age_myr']:g} | {row['members']} | " + " | ".join(cells) + " |")
    scored = "the clusters without pairs" if pair_keys else "the clusters"
    lines += [
        "",
        f"Median |error| over {scored}, members' medians / combined: "
        + "; ".join(
            f"{m['label']} {m['median_abs_error_dex']:.2f} / {m['median_abs_combined_error_dex']:.2f} dex"
            for m in methods
        )
        + ".",
        "",
        "Simulated test stars (log age bias / RMSE / 68% coverage): "
        + "; ".join(_sim_figures(m) for m in methods)
        + ".",
    ]
    groups = methods[0]["corona_australis"]
    if groups:
        lines += [
            "",
            "| Corona Australis, combined Myr [16%, 84%] (bootstrap 16%, 84%) | members | "
            + " | ".join(m["label"] for m in methods)
            + " |",
            "|---|---|" + "---|" * len(methods),
        ]
        for label, first in groups.items():
            cells = [_myr(m["corona_australis"][label]["combined_myr"]) for m in methods]
            lines.append(f"| {label} | {first['members']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cluster_cell(row: dict[str, Any]) -> str:
    c = row["combined"]
    truth = c["log_age"] - c["error_dex"]
    return (
        f"{row['median_error_dex']:+.2f} / {row['coverage_68']:.2f} / {c['error_dex']:+.2f} "
        f"[{c['bootstrap_p16'] - truth:+.2f}, {c['bootstrap_p84'] - truth:+.2f}]"
    )


def _myr(c: dict[str, float]) -> str:
    return (
        f"{c['log_age']:.1f} [{c['p16']:.1f}, {c['p84']:.1f}] "
        f"({c['bootstrap_p16']:.1f}, {c['bootstrap_p84']:.1f})"
    )


def write_report(report: dict[str, Any], out: Path) -> str:
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / "report.json", report)
    text = markdown(report)
    write_text(out / "report.md", text)
    return text


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cradle-da-cache")
    p.add_argument("--training-set", type=Path, default=None, help="shards folder (default: simulate)")
    p.add_argument("--validation", type=Path, default=real_clusters.DEFAULT_VALIDATION)
    p.add_argument("--sim", type=int, default=60000, help="simulated training stars")
    p.add_argument("--test", type=int, default=2000, help="simulated test stars")
    p.add_argument("--pretrain", type=int, default=3000)
    p.add_argument("--adapt", type=int, default=600)
    p.add_argument("--samples", type=int, default=64)
    p.add_argument("--steps", type=int, default=8)
    p.add_argument(
        "--pairs", type=float, default=0.01, help="sim-real pairs, as a fraction of the real stars (0: none)"
    )
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument(
        "--save-models", type=Path, default=None, help="write each method's model as an app model folder here"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    torch.set_num_threads(args.threads)
    print(write_report(evaluate(args), args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
