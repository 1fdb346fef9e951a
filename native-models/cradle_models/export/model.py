"""One call that turns trained weights into a model folder: ONNX graphs, model card, parity fixture.

Used by ``python -m cradle_models.export`` (re-export of a checkpoint with the current graph code) and
available to the trainer, so a model folder is always written the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cradle_models.export.card import build_card, write_card
from cradle_models.export.graphs import export_onnx
from cradle_models.export.parity import write_parity_fixture
from cradle_models.nets.simformer import Simformer
from cradle_models.variables import Variable


def export_model(
    model: Simformer,
    variables: list[Variable],
    out_dir: Path,
    *,
    name: str,
    description: str,
    training: dict[str, Any],
    sampler: dict[str, Any],
    time_sampling: str,
    prior: str,
    ranges: dict[str, tuple[float, float]] | None,
    observables: dict[str, Any] | None = None,
    priors: dict[str, dict[str, list[float]]] | None = None,
    calibration: dict[str, Any] | None = None,
    sampler_basis: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write ``context.onnx``, ``velocity.onnx``, ``card.json`` and ``parity.json`` into ``out_dir``;
    returns the card. ``calibration`` is carried over only by the caller that knows it still holds;
    ``sampler_basis`` records why the sampler defaults are what they are (see __main__.py)."""
    export_onnx(model, out_dir)
    card = build_card(
        name=name,
        description=description,
        variables=variables,
        config=model.config,
        training=training,
        sampler=sampler,
        time_sampling=time_sampling,
        prior=prior,
        ranges=ranges,
        observables=observables,
        priors=priors,
    )
    card["calibration"] = calibration
    if sampler_basis is not None:
        card["sampler_basis"] = sampler_basis
    write_card(card, out_dir)
    write_parity_fixture(out_dir)
    return card
