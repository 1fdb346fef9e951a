"""sampler_check's comparison of a sampler with its fine-step reference, and the shipped adapted card."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from cradle_models.adaptation import real_clusters, sampler_check


def _summary(median: np.ndarray, half_width: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {"log_age_median": median, "log_age_p16": median - half_width, "log_age_p84": median + half_width}
    )


def test_compare_measures_shifts_and_widths_in_reference_widths() -> None:
    reference = _summary(np.array([7.0, 8.0, 9.0, 9.5]), np.array([0.5, 0.2, 0.1, 0.4]))
    # Shifted by 0.1, 0.1, 0.01 and a missing star; widths ×1.1, ×1, ×0.5.
    card = _summary(np.array([7.1, 8.1, 9.01, np.nan]), np.array([0.55, 0.2, 0.05, 0.4]))
    row = sampler_check.compare(card, reference, ["log_age"])["log_age"]
    assert np.isclose(row["median_abs_shift_in_widths"], 0.2)  # of 0.2, 0.5, 0.1
    assert np.isclose(row["median_abs_width_change"], 0.1)  # of 0.1, 0, 0.5
    assert np.isclose(row["mean_width_ratio"], (1.1 + 1.0 + 0.5) / 3)


def test_shipped_adapted_card_records_the_check_of_its_own_sampler() -> None:
    card = json.loads((real_clusters.ROOT / "native-models/models/real-da-kpg/card.json").read_text())
    basis = card["sampler_basis"]
    assert basis["card_sampler"] == card["sampler"]
    assert basis["table"] == sampler_check.CHECK_TABLE
    for row in basis["against_reference"].values():
        assert row["median_abs_shift_in_widths"] < 0.1
        assert abs(row["mean_width_ratio"] - 1) < 0.05
    text = sampler_check.markdown(basis)
    assert f"{card['sampler']['samples_per_star']} samples" in text
    assert text.count("\n| ") == len(basis["against_reference"]) + 1
