"""The real-cluster validation's figures and its simulated twins (cradle_models.adaptation.real_clusters)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cradle_models.adaptation.real_clusters import (
    CLUSTERS,
    DEFAULT_VALIDATION,
    combined_age,
    member_metrics,
    pull_by_magnitude,
    twin_config,
)


def _summaries(median: np.ndarray, half68: float, half95: float) -> pd.DataFrame:
    n = len(median)
    return pd.DataFrame(
        {
            "log_age_median": median,
            "log_age_p16": median - half68,
            "log_age_p84": median + half68,
            "log_age_p2_5": median - half95,
            "log_age_p97_5": median + half95,
            "p_age_lt_50myr": np.full(n, 0.2),
            "misspecified": np.r_[np.ones(n // 4), np.zeros(n - n // 4)].astype(np.uint8),
            "outside_training": np.zeros(n, dtype=np.uint8),
        }
    )


def test_member_metrics_count_the_intervals_that_hold_the_age() -> None:
    # Gaussian posteriors centred on draws from N(age, 1): the 68% and 95% intervals (±1σ, ±1.96σ) of a
    # calibrated posterior hold the age for 68% and 95% of the members.
    rng = np.random.default_rng(1)
    age = 8.0
    median = age + rng.normal(size=40_000)
    figures = member_metrics(_summaries(median, 1.0, 1.959964), age, np.ones(len(median), dtype=bool))
    assert figures["members"] == 40_000
    assert figures["coverage_68"] == pytest.approx(0.6827, abs=0.01)
    assert figures["coverage_95"] == pytest.approx(0.95, abs=0.005)
    assert figures["median_error_dex"] == pytest.approx(0.0, abs=0.02)
    assert figures["misspecified"] == pytest.approx(0.25)


def test_member_metrics_skip_cut_and_unsummarised_members() -> None:
    median = np.array([8.5, 8.6, np.nan, 12.0])
    keep = np.array([True, True, True, False])
    figures = member_metrics(_summaries(median, 0.05, 0.2), 8.0, keep)
    assert figures["members"] == 2
    assert figures["median_error_dex"] == pytest.approx(0.55)
    assert figures["coverage_68"] == 0.0
    assert member_metrics(_summaries(median, 0.05, 0.2), 8.0, np.zeros(4, dtype=bool)) == {"members": 0}


def _members(a0: list[float], g: list[float], teff: list[float]) -> pd.DataFrame:
    n = len(a0)
    return pd.DataFrame(
        {
            "parallax": np.full(n, 7.3),
            "l": np.full(n, 166.6),
            "b": np.full(n, -23.5),
            "azero_gspphot": a0,
            "phot_g_mean_mag": g,
            "teff_gspphot": teff,
        }
    )


def test_twin_sits_at_the_members_parallax_with_the_bright_warm_members_extinction() -> None:
    # The faint, cool members' GSP-Phot A_0 (the overestimated ones) must not set the twin's A_V.
    members = _members(
        [0.1, 0.14, 0.12, 1.2, 1.5, 0.9], [9, 10, 12, 15, 16, 17], [6000, 5500, 5000, 3500, 3400, 4000]
    )
    config = twin_config(CLUSTERS[1], members)
    cluster = config["clusters"][0]
    assert cluster["distancePc"] == pytest.approx(1000 / 7.3)
    assert cluster["av"] == pytest.approx(0.12)
    assert cluster["ageMyr"] == 120
    assert config["mixture"] == {"field": 0, "clusters": 0, "broadAge": 0}


def test_twin_needs_a_parallax_and_a_reliable_extinction() -> None:
    with pytest.raises(ValueError, match="Rebull_2016.*G < 13"):
        twin_config(CLUSTERS[1], _members([0.5], [15], [3500]))
    bad = _members([0.1], [9], [6000]).assign(parallax=[-1.0])
    with pytest.raises(ValueError, match="parallax"):
        twin_config(CLUSTERS[1], bad)


@pytest.mark.skipif(not DEFAULT_VALIDATION.exists(), reason="the shared validation data are absent")
def test_every_cluster_table_is_there_with_the_columns_used() -> None:
    for cluster in CLUSTERS:
        table = pd.read_csv(DEFAULT_VALIDATION / cluster.file, nrows=5)
        missing = {"ruwe", "parallax", "l", "b", "azero_gspphot", "phot_g_mean_mag", "teff_gspphot"} - set(
            table
        )
        assert not missing, f"{cluster.file}: {missing}"
        assert 50 <= cluster.age_myr <= 1000 and math.isfinite(cluster.older_myr)


def _rising_prior() -> tuple[np.ndarray, np.ndarray]:
    """Histogram edges and density of a log-age prior rising towards old ages, like the training set's."""
    edges = np.arange(6.0, 10.15, 0.05)
    centres = 0.5 * (edges[1:] + edges[:-1])
    density = np.exp(0.8 * (centres - 6.0))
    return edges, density / (density.sum() * 0.05)


def _posterior_samples(
    rng: np.random.Generator, edges: np.ndarray, density: np.ndarray, centre: float, sigma: float
) -> np.ndarray:
    """48 posterior samples of a member whose likelihood is Gaussian (centre, sigma) under that prior."""
    centres = 0.5 * (edges[1:] + edges[:-1])
    weights = density * np.exp(-0.5 * ((centres - centre) / sigma) ** 2)
    picked = rng.choice(len(centres), size=48, p=weights / weights.sum())
    return centres[picked] + rng.uniform(-0.025, 0.025, 48)


def test_combined_age_divides_out_the_prior_every_member_repeats() -> None:
    # A prior rising towards old ages (like the training set's), and 200 members of a 120 Myr cluster whose
    # likelihoods are broad (σ = 0.6 dex, centred on noisy draws around the age): their posteriors, sampled
    # 48 times each, lean old, so the median of member medians is biased; the combination is not.
    rng = np.random.default_rng(11)
    edges, density = _rising_prior()
    truth = np.log10(120e6)
    members = [_posterior_samples(rng, edges, density, truth + 0.6 * rng.normal(), 0.6) for _ in range(200)]
    naive = np.median([np.median(m) for m in members])
    age = combined_age(members, edges, density)
    # The combination is unbiased up to the Monte Carlo noise of 48 reweighted samples per member, which
    # is largest where the prior is low (measured +0.11 dex here, against +0.25 for the naive median).
    assert naive - truth > 0.2
    assert abs(age["log_age"] - truth) < 0.5 * (naive - truth)
    assert age["p16"] < age["log_age"] < age["p84"]
    # A few members that are not in the cluster (old field stars) hardly move it (the outlier term).
    field = [rng.normal(9.8, 0.1, 48) for _ in range(10)]
    assert abs(combined_age(members + field, edges, density)["log_age"] - age["log_age"]) < 0.05


def test_combined_age_bootstrap_widens_where_a_few_members_disagree() -> None:
    # 100 members that say little (likelihood σ = 3 dex) and 8 that say much but disagree (4 at log age
    # 7.6, 4 at 8.8, σ = 0.2 dex): the product's interval is as narrow as if they agreed (measured 0.08 dex),
    # while resampling the members moves the answer by several tenths (measured 0.52 dex, 6.5× wider).
    # Members that agree (like the test above's) give a bootstrap interval near the product's own (1.2×).
    rng = np.random.default_rng(3)
    edges, density = _rising_prior()

    def member(centre: float, sigma: float) -> np.ndarray:
        return _posterior_samples(rng, edges, density, centre, sigma)

    agree = [member(8.1 + 0.6 * rng.normal(), 0.6) for _ in range(200)]
    split = [member(8.0, 3.0) for _ in range(100)] + [member(c, 0.2) for c in (7.6, 8.8) for _ in range(4)]
    for members, widening in ((agree, (0.5, 3.0)), (split, (4.0, 20.0))):
        age = combined_age(members, edges, density, bootstrap=200)
        assert age["bootstrap_p16"] <= age["log_age"] <= age["bootstrap_p84"]
        ratio = (age["bootstrap_p84"] - age["bootstrap_p16"]) / (age["p84"] - age["p16"])
        assert widening[0] < ratio < widening[1]
    # Same seed, same answer: the report's figures are reproducible.
    again = [combined_age(split, edges, density, bootstrap=50) for _ in range(2)]
    assert again[0] == again[1]


def test_pull_by_magnitude_bins_and_sums_the_members() -> None:
    members = pd.DataFrame(
        {
            "g": [8.0, 9.5, 11.0, 14.0, 14.5, 16.0, 17.2, 18.0],
            "error_dex": [0.1, 0.3, 0.5, 1.0, 1.2, 1.5, 1.7, 2.0],
            "mh": [0.0, 0.0, -0.1, -0.3, -0.5, -0.2, -0.2, -0.9],
            "pull": [1.0, 2.0, -1.0, -3.0, -1.0, -2.0, -4.0, -9.0],
        }
    )
    bins = pull_by_magnitude(members)
    # G 18 lies beyond the last bin (the training limit is G = 17): it is not counted.
    assert [(b["g_min"], b["members"]) for b in bins] == [(0.0, 2), (10.0, 1), (13.0, 2), (15.0, 2)]
    assert bins[0]["pull_sum"] == 3.0 and bins[0]["median_error_dex"] == pytest.approx(0.2)
    assert bins[2]["pull_mean"] == -2.0 and bins[2]["median_mh"] == pytest.approx(-0.4)
    assert bins[3]["pull_sum"] == -6.0


def test_report_says_when_the_real_clusters_are_skipped(tmp_path: Path) -> None:
    # The one-command report runs the real-cluster part too; where ../shared/data is absent (a user's
    # clone) it says so in report.md instead of failing after the synthetic part's minutes of training.
    from argparse import Namespace

    from cradle_models.adaptation.report import _real_clusters

    absent = tmp_path / "no-validation"
    args = Namespace(synthetic_only=False, validation=absent, real_model=tmp_path / "model")
    part = _real_clusters(args, tmp_path)
    assert part["skipped"] == f"{absent} is absent"
    assert str(absent) in part["markdown"]
    assert not (tmp_path / "real-clusters").exists()
    assert _real_clusters(Namespace(synthetic_only=True), tmp_path)["markdown"] == ""


def test_twin_loses_the_columns_of_the_quantities_the_members_lack() -> None:
    from cradle_models.adaptation.real_clusters import unobserved_columns

    members = {"gaia.g": "phot_g_mean_mag", "tmass.j": None, "tmass.ks": "Ksmag", "wise.w1": None}
    twin = {"gaia.g": "phot_g_mean_mag", "tmass.j": "j_m", "tmass.ks": "ks_m", "wise.w1": "w1mpro"}
    assert unobserved_columns(members, twin) == ["j_m", "w1mpro"]
    # A quantity the twin has no column for either is simply not there to drop.
    assert unobserved_columns({"wise.w4": None}, {"wise.w4": None}) == []


def test_association_metrics_count_the_young_and_combine_the_kept_members() -> None:
    from cradle_models.adaptation.real_clusters import association_metrics

    rng = np.random.default_rng(4)
    n = 60
    truth = np.log10(5e6)
    samples = {i: truth + 0.2 * rng.standard_normal(400) for i in range(n)}
    summary = _summaries(np.array([float(np.median(samples[i])) for i in range(n)]), 0.2, 0.4)
    summary["p_age_lt_50myr"] = np.r_[np.full(45, 0.9), np.full(15, 0.1)]
    keep = np.ones(n, dtype=bool)
    keep[:10] = False
    # A flat prior: the combined age is the members' common age, to well within its spread.
    edges = np.linspace(6.0, 10.1, 101)
    flat = np.full(100, 1.0 / 4.1)
    figures = association_metrics(summary, samples, keep, (edges, flat))
    assert figures["members"] == 50
    assert figures["young_fraction_lt_50myr"] == pytest.approx(35 / 50)
    assert figures["median_age_myr"] == pytest.approx(5.0, rel=0.1)
    combined = figures["combined_myr"]
    assert combined["median"] == pytest.approx(5.0, rel=0.05)
    assert combined["p16"] < combined["median"] < combined["p84"]
    assert association_metrics(summary, samples, np.zeros(n, dtype=bool), (edges, flat)) == {"members": 0}
