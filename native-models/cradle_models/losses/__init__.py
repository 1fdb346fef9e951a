"""Training objectives."""

from cradle_models.losses.flow_matching import (
    PATH_DESCRIPTION,
    flow_matching_loss,
    rectified_path,
    sample_time,
)

__all__ = ["PATH_DESCRIPTION", "flow_matching_loss", "rectified_path", "sample_time"]
