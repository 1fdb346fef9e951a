"""The small preset's training set: its committed simulator config, and reuse of a generated folder only
when it was made from that config (otherwise a clear error, never a silent retrain on other data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cradle_models.data.generate import NATIVE_MODELS, ensure_training_set
from cradle_models.training.config import preset

CONFIG = str(preset("small").training_set)


def _folder(tmp_path: Path, **config_changes: object) -> Path:
    config = json.loads((NATIVE_MODELS / CONFIG).read_text())
    folder = tmp_path / "set"
    folder.mkdir()
    manifest = {"config": {**config, **config_changes}, "files": [{"path": "shards/x.parquet", "rows": 1}]}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_small_config_is_the_issue_survey_setup() -> None:
    config = json.loads((NATIVE_MODELS / CONFIG).read_text())
    assert config["magnitudeLimit"] == {"band": "gaia.g", "max": 17}
    assert set(config["mixture"]) == {"field", "clusters", "broadAge"}
    assert min(config["mixture"].values()) > 0
    assert isinstance(config["seed"], int)


def test_a_folder_made_from_the_config_is_reused(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert ensure_training_set(CONFIG, folder) == folder


@pytest.mark.parametrize("change", [{"seed": 1}, {"stars": 10}, {"name": "other"}])
def test_a_folder_made_from_another_config_is_an_error(tmp_path: Path, change: dict[str, object]) -> None:
    folder = _folder(tmp_path, **change)
    with pytest.raises(ValueError, match=r"manifest\.json: this training set was not made from"):
        ensure_training_set(CONFIG, folder)
