"""Calibration and accuracy of posterior samples on held-out simulations: coverage, TARP, SBC, errors."""

from cradle_models.calibration.accuracy import accuracy_table
from cradle_models.calibration.coverage import coverage_at, coverage_curve, truth_quantiles
from cradle_models.calibration.sbc import sbc_ranks, sbc_uniformity
from cradle_models.calibration.tarp import tarp

__all__ = [
    "accuracy_table",
    "coverage_at",
    "coverage_curve",
    "sbc_ranks",
    "sbc_uniformity",
    "tarp",
    "truth_quantiles",
]
