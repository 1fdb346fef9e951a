"""Rebuilds assets/grids/gaia-xp/: the Gaia DR3 XP externally-calibrated sampling that gaiaxpy's
calibrate() uses by default, so Cradle can turn continuous XP coefficients into sampled spectra
(336-1020 nm, 2 nm) without Python.

What is extracted (gaiaxpy/config/filters/XpFilter_v375wiv142r.xml, the default BP model v375wi and
RP model v142r of gaiaxpy.calibrator):
  - the sampling grid in nm (XpMerge/sampleMeanWavelengths),
  - the BP and RP merge weights on that grid (XpMerge/bpWeights, rpWeights),
  - the BP and RP design matrices, 55 bases x 343 samples (XpSampling/bpSampledBases, rpSampledBases).
A sampled spectrum is  f = w_bp * (c_bp @ D_bp) + w_rp * (c_rp @ D_rp)  (gaiaxpy
CalibrationAbsoluteSampledSpectrum), in W nm^-1 m^-2.

Run:  native-models/.venv/bin/python assets/make/xp_basis.py
Writes xp-sampled-bases.f64 (little-endian float64 arrays, back to back) and manifest.json there.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import gaiaxpy
import numpy as np
from gaiaxpy.core.config import (
    get_file,
    load_xpmerge_from_xml,
    load_xpsampling_from_xml,
)

OUT = Path(__file__).resolve().parents[1] / "grids" / "gaia-xp"
BP_MODEL = "v375wi"
RP_MODEL = "v142r"


def main() -> None:
    grid, merge = load_xpmerge_from_xml(bp_model=BP_MODEL, rp_model=RP_MODEL)
    design = load_xpsampling_from_xml(bp_model=BP_MODEL, rp_model=RP_MODEL)
    arrays: list[tuple[str, np.ndarray, str]] = [
        ("wavelength_nm", grid, "sample wavelengths (nm)"),
        ("merge_bp", merge["bp"], "BP weight per sample"),
        ("merge_rp", merge["rp"], "RP weight per sample"),
        (
            "design_bp",
            design["bp"],
            "BP basis functions sampled on the grid (basis x sample)",
        ),
        (
            "design_rp",
            design["rp"],
            "RP basis functions sampled on the grid (basis x sample)",
        ),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    blob = bytearray()
    entries = []
    for name, array, description in arrays:
        data = np.ascontiguousarray(array, dtype="<f8")
        entries.append(
            {
                "name": name,
                "dtype": "float64-le",
                "shape": list(data.shape),
                "offset": len(blob),
                "description": description,
            }
        )
        blob.extend(data.tobytes())
    data_file = OUT / "xp-sampled-bases.f64"
    temp = data_file.with_suffix(".tmp")
    temp.write_bytes(bytes(blob))
    temp.replace(data_file)
    source_file = Path(get_file("filter", "filter", None, BP_MODEL, RP_MODEL))
    manifest = {
        "schema": "cradle.grids/1",
        "builtBy": "python assets/make/xp_basis.py",
        "grids": [
            {
                "name": "gaia-xp-sampled-bases",
                "file": data_file.name,
                "description": (
                    "Gaia DR3 XP external calibration: sampling grid, BP/RP merge weights and design matrices"
                ),
                "bytes": len(blob),
                "sha256": hashlib.sha256(blob).hexdigest(),
                "source": {
                    "package": "gaiaxpy",
                    "version": gaiaxpy.__version__,
                    "file": f"gaiaxpy/config/filters/{source_file.name}",
                    "sourceSha256": hashlib.sha256(source_file.read_bytes()).hexdigest(),
                    "models": {"bp": BP_MODEL, "rp": RP_MODEL},
                    "papers": [
                        "Montegriffo et al. 2023, A&A 674, A3 (external calibration)",
                        "De Angeli et al. 2023, A&A 674, A2 (XP processing)",
                    ],
                },
                "licence": "BSD-3-Clause (gaiaxpy, Copyright (c) DPAC, CU5, DPCI)",
                "units": {"wavelength": "nm", "flux": "W nm-1 m-2"},
                "arrays": entries,
            }
        ],
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    main()
