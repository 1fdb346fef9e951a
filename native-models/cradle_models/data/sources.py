"""Where training data comes from: the simulator's shards, or a built-in toy; and the fixed splits.

The default stellar variable list uses the architecture doc's canonical names; a shard folder that
lacks some observables trains on the ones it has (the card lists exactly what the model expects).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from cradle_models.data.sets import RawSet
from cradle_models.data.shards import read_manifest, read_shards
from cradle_models.data.toy import Gaussian3D, LinearGaussian
from cradle_models.variables import Transform, Variable

TOYS = ("linear-gaussian", "gaussian-3d")


def _obs(name: str, unit: str, survey: str) -> Variable:
    return Variable(
        name, "observable", unit=unit, survey=survey, error_handling="per-star sigma from <name>.err"
    )


STELLAR_VARIABLES: list[Variable] = [
    Variable("log_age", "parameter", unit="log10 yr"),
    Variable("mass_init", "parameter", unit="Msun", transform=Transform("log10")),
    Variable("mh", "parameter", unit="dex"),
    Variable("distance_pc", "parameter", unit="pc", transform=Transform("log10")),
    # A_V ≥ 0 with many near-zero values: log10(A_V + 0.05) keeps samples ≥ −0.05 mag (science doc, trap 4).
    Variable("av", "parameter", unit="mag", transform=Transform("log10", offset=0.05)),
    _obs("gaia.g", "mag", "gaia"),
    _obs("gaia.bp", "mag", "gaia"),
    _obs("gaia.rp", "mag", "gaia"),
    _obs("gaia.parallax", "mas", "gaia"),
    _obs("tmass.j", "mag", "tmass"),
    _obs("tmass.h", "mag", "tmass"),
    _obs("tmass.ks", "mag", "tmass"),
    _obs("wise.w1", "mag", "wise"),
    _obs("wise.w2", "mag", "wise"),
    _obs("wise.w3", "mag", "wise"),
    _obs("wise.w4", "mag", "wise"),
]


@dataclass
class Source:
    raw: RawSet
    meta: dict[str, Any]


def load_source(data: Path | None, toy: str | None, toy_rows: int, seed: int) -> Source:
    if (data is None) == (toy is None):
        raise ValueError("give exactly one of --data DIR (simulator shards) or --toy NAME")
    if toy is not None:
        rng = np.random.default_rng(seed)
        if toy == "linear-gaussian":
            return Source(
                LinearGaussian().simulate(toy_rows, rng), {"source": "toy", "toy": toy, "seed": seed}
            )
        if toy == "gaussian-3d":
            return Source(Gaussian3D().simulate(toy_rows, rng), {"source": "toy", "toy": toy, "seed": seed})
        raise ValueError(f"unknown toy {toy!r}; choose one of {', '.join(TOYS)}")
    assert data is not None
    manifest = read_manifest(data)
    schema = pq.read_schema(data / manifest["files"][0]["path"])
    variables = [v for v in STELLAR_VARIABLES if v.name in schema.names]
    if not any(v.role == "parameter" for v in variables) or not any(
        v.role == "observable" for v in variables
    ):
        raise ValueError(
            f"{data / manifest['files'][0]['path']}: needs at least one parameter and one observable column "
            f"of {[v.name for v in STELLAR_VARIABLES]}"
        )
    shards = read_shards(data, variables)
    simulator = manifest.get("simulator")
    assets = manifest.get("assets")
    prior = manifest.get("prior")
    meta = {
        "source": "shards",
        "folder": str(data),
        # cradle-forward writes {"simulator": {"name", "version"}, "assets": {"gridsManifestSha256"}};
        # the flat keys of the architecture doc's contract are read too.
        "simulator_version": simulator.get("version")
        if isinstance(simulator, dict)
        else manifest.get("simulator_version"),
        "assets_hash": assets.get("gridsManifestSha256")
        if isinstance(assets, dict)
        else manifest.get("assets_hash"),
        "simulator_seed": manifest.get("seed"),
        "prior_note": prior.get("note") if isinstance(prior, dict) else None,
    }
    return Source(shards.raw, meta)


def split_indices(n: int, seed: int, validation: float = 0.05, test: float = 0.05) -> dict[str, np.ndarray]:
    """A fixed permutation split: train / validation / test (the held-out set of the report)."""
    perm = np.random.default_rng(seed + 12345).permutation(n)
    n_val = max(int(n * validation), 1)
    n_test = max(int(n * test), 1)
    return {"validation": perm[:n_val], "test": perm[n_val : n_val + n_test], "train": perm[n_val + n_test :]}
