"""`python -m assets.make`: rebuild every grid in assets/grids/ and its manifest from the public sources."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from functools import partial
from importlib import metadata

from . import atmospheres, filters, isochrones, xp, xp_basis
from .gridfile import GRIDS, write_manifest


def gaia_xp_entry() -> dict[str, object]:
    """Rebuild assets/grids/gaia-xp/ (the catalog's XP bases, written by xp_basis.py in its own layout)
    and list it here so the top-level manifest names every grid."""
    xp_basis.main()
    sub = json.loads((GRIDS / "gaia-xp" / "manifest.json").read_text())
    entry = dict(sub["grids"][0])
    data = GRIDS / "gaia-xp" / str(entry["file"])
    entry["file"] = f"gaia-xp/{entry['file']}"
    entry["layout"] = "raw float64 arrays described by gaia-xp/manifest.json (assets/make/xp_basis.py)"
    entry["sha256"] = hashlib.sha256(data.read_bytes()).hexdigest()
    return entry


BUILDERS: dict[str, Callable[[], dict[str, object]]] = {
    "filters": filters.build_filters,
    "vega": filters.build_vega,
    "isochrones-parsec12": isochrones.build_parsec,
    **{f"isochrones-{t[0]}": partial(isochrones.build_yso_track, *t) for t in isochrones.YSO_TRACKS},
    "atmos-kurucz": atmospheres.build_kurucz,
    "atmos-btsettl": atmospheres.build_btsettl,
    "spectra-btsettl": atmospheres.build_btsettl_hires,
    "xp-noise": xp.build_xp_noise,
    "gaia-xp-sampled-bases": gaia_xp_entry,
}


def main(argv: list[str] | None = None) -> int:
    """Rebuild every grid, or only the grids named on the command line (the others keep their manifest
    entries, so the manifest still lists every grid)."""
    names = sys.argv[1:] if argv is None else argv
    unknown = [n for n in names if n not in BUILDERS]
    if unknown:
        print(f"assets.make: unknown grid(s) {', '.join(unknown)}; known: {', '.join(BUILDERS)}")
        return 2
    kept: list[dict[str, object]] = []
    if names:
        old = json.loads((GRIDS / "manifest.json").read_text())
        kept = [e for e in old["grids"] if e["name"] not in names]
    entries = kept + [BUILDERS[n]() for n in (names or list(BUILDERS))]
    packages = (
        "numpy",
        "astropy",
        "scipy",
        "speclite",
        "pyphot",
        "ysoisochrone",
        "gaiaxpy",
    )
    versions = {p: metadata.version(p) for p in packages}
    path = write_manifest(entries, versions)
    total = sum(int(e["bytes"]) for e in entries)  # type: ignore[call-overload]
    print(f"wrote {len(entries) - len(kept)} grids; all {len(entries)}: {total / 1e6:.2f} MB; {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
