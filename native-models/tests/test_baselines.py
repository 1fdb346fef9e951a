"""The report's baselines (sbi NPE, Sagitta) run on stars in our canonical variables, and the report's
Markdown tables render a committed report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cradle_models.baselines.npe import NPE_OBSERVABLES, fully_observed, npe_posterior, train_npe
from cradle_models.baselines.sagitta_age import sagitta_age
from cradle_models.calibration.markdown import markdown_report
from cradle_models.data.sets import RawSet, TrainingSet
from cradle_models.data.sources import STELLAR_VARIABLES
from cradle_models.variables import fit_normalisation

MODELS = Path(__file__).resolve().parents[1] / "models"


def _stars(n: int, seed: int) -> RawSet:
    """Stars whose photometry follows distance and A_V (enough structure for a few training steps)."""
    rng = np.random.default_rng(seed)
    values = np.empty((n, len(STELLAR_VARIABLES)))
    names = [v.name for v in STELLAR_VARIABLES]
    dist = rng.uniform(100, 1000, n)
    av = rng.uniform(0, 2, n)
    params = {
        "log_age": rng.uniform(6, 10, n),
        "mass_init": rng.uniform(0.2, 3, n),
        "mh": rng.normal(0, 0.2, n),
        "distance_pc": dist,
        "av": av,
    }
    for name, col in params.items():
        values[:, names.index(name)] = col
    mu = 5 * np.log10(dist / 10)
    for k, name in enumerate(names[5:]):
        values[:, 5 + k] = 1000 / dist if name == "gaia.parallax" else 4 + mu + av * (1 - 0.08 * k)
    errors = np.where(np.arange(len(names)) >= 5, 0.02, 0.0)[None, :].repeat(n, 0)
    present = np.ones_like(values, dtype=bool)
    present[: n // 4, names.index("wise.w4")] = False
    return RawSet(list(STELLAR_VARIABLES), values, errors, present)


def test_sagitta_age_runs_its_published_networks() -> None:
    cols = {
        "gaia.parallax": np.array([7.0, 2.5]),
        "av": np.array([0.5, 0.1]),
        "gaia.g": np.array([13.0, 14.0]),
        "gaia.bp": np.array([14.2, 14.5]),
        "gaia.rp": np.array([11.9, 13.4]),
        "tmass.j": np.array([10.4, 12.6]),
        "tmass.h": np.array([9.7, 12.2]),
        "tmass.ks": np.array([9.5, 12.1]),
    }
    age, p_pms = sagitta_age(cols)
    assert age.shape == (2,) and np.isfinite(age).all()
    assert 5.0 < age.min() and age.max() < 9.0  # log10(age/yr), Sagitta's output scale is 6–8
    assert ((p_pms >= 0) & (p_pms <= 1)).all()
    with pytest.raises(ValueError, match="every star needs parallax"):
        sagitta_age({**cols, "tmass.h": np.array([9.7, np.nan])})


def test_npe_trains_and_samples_in_physical_units() -> None:
    train_raw = _stars(2000, 0)
    variables = fit_normalisation(train_raw.variables, train_raw.values)
    baseline = train_npe(TrainingSet.from_raw(train_raw, variables), seed=0, max_steps=30, threads=1)
    assert baseline.info["steps"] == 30
    assert baseline.info["observables"] == list(NPE_OBSERVABLES)
    test = TrainingSet.from_raw(_stars(20, 1), variables)
    assert fully_observed(test).all()  # W4 is not an NPE observable
    post = npe_posterior(baseline, test, n_samples=16, seed=0)
    assert post.shape == (20, 16, 5) and np.isfinite(post).all()
    assert (post[..., 3] > 0).all()  # distance_pc: back through its log10 transform


def test_markdown_tables_of_a_committed_report() -> None:
    report = json.loads((MODELS / "cradle-small" / "report.json").read_text())
    text = markdown_report(report, "cradle-small")
    assert text.startswith("# Calibration and accuracy of cradle-small")
    for heading in (
        "## Coverage",
        "## Accuracy (all observables)",
        "## Baseline: NPE",
        "## Baseline: Sagitta",
    ):
        assert heading in text
    assert "| log_age | 50% of observables missing |" in text


def test_a_sweep_is_added_only_to_a_report_of_the_same_stars_and_samples(tmp_path: Path) -> None:
    from cradle_models.report import _existing_report

    (tmp_path / "report.json").write_text(
        json.dumps({"settings": {"samples_per_star": 64, "held_out_stars": 600}})
    )
    assert _existing_report(tmp_path, 64, 600)["settings"]["held_out_stars"] == 600
    with pytest.raises(ValueError, match="give the same --stars and --samples"):
        _existing_report(tmp_path, 128, 600)
    with pytest.raises(ValueError, match="--sweep-only needs an existing report"):
        _existing_report(tmp_path / "absent", 64, 600)
