"""A preset's training set, made by the simulator from a committed config with a fixed seed.

``npm run train -- --preset small`` must reproduce the shipped model from the repository alone, so when
no ``--data`` folder is given the preset's simulator config (``native-models/configs/*.json``) is run
through ``node bin/cradle.mjs simulate --shards`` into a cache folder beside the repository
(``<repo>/../cradle-data/<config name>``; training sets stay out of git). A folder that already holds a
manifest is reused only if it was made from the same config (name, seed, rows); otherwise it is an error
rather than a silent retrain on other data. The simulator's output is independent of its worker count
(chunks are the unit of determinism), so the cache is the same on any machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from cradle_models.data.shards import MANIFEST

NATIVE_MODELS = Path(__file__).resolve().parents[2]
REPO = NATIVE_MODELS.parent


def default_folder(config_path: Path) -> Path:
    return REPO.parent / "cradle-data" / config_path.stem


def _matches(manifest: dict[str, Any], config: dict[str, Any]) -> bool:
    made = manifest.get("config")
    if not isinstance(made, dict):
        return False
    return all(made.get(k) == config.get(k) for k in ("name", "seed", "stars"))


def ensure_training_set(config_rel: str, folder: Path | None = None) -> Path:
    """The shard folder of the simulator config ``config_rel`` (under native-models/), made if absent."""
    config_path = NATIVE_MODELS / config_rel
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ValueError(f"{config_path}: cannot read the training-set config ({err.strerror})") from err
    except json.JSONDecodeError as err:
        raise ValueError(f"{config_path}: not valid JSON ({err})") from err
    out = folder or default_folder(config_path)
    manifest_path = out / MANIFEST
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if not _matches(manifest, config):
            raise ValueError(
                f"{manifest_path}: this training set was not made from {config_path} (name, seed or "
                "stars differ); remove the folder to regenerate it, or pass --data"
            )
        return out
    print(f"generating the training set of {config_path} into {out}", file=sys.stderr)
    cmd = ["node", str(REPO / "bin" / "cradle.mjs"), "simulate", "--config", str(config_path)]
    cmd += ["--shards", "--out", str(out), "--quiet"]
    done = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, check=False)
    if done.returncode != 0 or not manifest_path.exists():
        raise ValueError(f"{config_path}: the simulator failed (exit {done.returncode}) writing {out}")
    return out
