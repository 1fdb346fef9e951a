"""The published Sagitta networks (McBride et al. 2021, AJ 162, 282; PyPI ``sagitta`` 1.2.3, MIT) as an
age baseline on simulated stars.

Sagitta's age regressor is a 1-D CNN over eight inputs — parallax, A_V, Gaia G, BP, RP and 2MASS J, H,
K_s — each mapped linearly to [−1, 1] from fixed ranges (``sagitta.data_tools.DataTools.normalize_gaia``),
and returns log10(age / yr) scaled from [6, 8]. We call the package's own network class, weights and
normalisation rather than its pipeline, because the pipeline downloads missing columns from the Gaia
archive by source_id and derives A_V from (l, b, parallax) with its A_V network: simulated training
shards carry no sky positions, so this baseline is given the *true* simulated A_V — an advantage over the
Simformer, which infers A_V. The PMS-probability network is run as well: Sagitta's authors trust ages only
for stars it classes as pre-main-sequence, so the report gives the age error on all young stars and on
those with P(PMS) > 0.8.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import torch

INPUTS = ("parallax", "av", "g", "bp", "rp", "j", "h", "k")
# Our canonical variable names for Sagitta's inputs (architecture doc, canonical names).
CANONICAL = {
    "parallax": "gaia.parallax",
    "av": "av",
    "g": "gaia.g",
    "bp": "gaia.bp",
    "rp": "gaia.rp",
    "j": "tmass.j",
    "h": "tmass.h",
    "k": "tmass.ks",
}


def _load(name: str) -> torch.nn.Module:
    from sagitta.model_code import Sagitta

    model = Sagitta()
    path = resources.files("sagitta") / "model_state_dicts" / name
    with resources.as_file(path) as file:
        model.load_state_dict(torch.load(file, map_location="cpu", weights_only=True))
    return model.eval()


def sagitta_inputs(columns: dict[str, np.ndarray]) -> np.ndarray:
    """Canonical columns → Sagitta's normalised input [N, 1, 8] (float32)."""
    from sagitta.data_tools import DataTools

    cols = [DataTools.normalize_gaia(np.asarray(columns[CANONICAL[k]], dtype=np.float64), k) for k in INPUTS]
    return np.stack(cols, axis=1).astype(np.float32)[:, None, :]


@torch.no_grad()
def sagitta_age(columns: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(log10 age / yr, P(PMS)) per star from Sagitta's age and PMS networks; every input must be finite."""
    from sagitta.data_tools import DataTools

    x = sagitta_inputs(columns)
    if not np.isfinite(x).all():
        raise ValueError("sagitta_age: every star needs parallax, A_V, G, BP, RP, J, H and K_s")
    inputs = torch.from_numpy(x)
    age = _load("age_model.pt")(inputs).numpy().ravel()
    pms = torch.sigmoid(_load("pms_model.pt")(inputs)).numpy().ravel()
    return np.asarray(DataTools.normalize_gaia(age, "age", back=True), dtype=np.float64), pms
