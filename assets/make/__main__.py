"""`python -m assets.make`: rebuild every grid in assets/grids/ and its manifest from the public sources."""

from __future__ import annotations

import hashlib
import json
import sys
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


def main() -> int:
    entries = [filters.build_filters(), filters.build_vega(), isochrones.build_parsec()]
    entries += [isochrones.build_yso_track(*track) for track in isochrones.YSO_TRACKS]
    entries += [
        atmospheres.build_kurucz(),
        atmospheres.build_btsettl(),
        atmospheres.build_btsettl_hires(),
        xp.build_xp_noise(),
        gaia_xp_entry(),
    ]
    packages = ("numpy", "astropy", "scipy", "speclite", "pyphot", "ysoisochrone", "gaiaxpy")
    versions = {p: metadata.version(p) for p in packages}
    path = write_manifest(entries, versions)
    total = sum(int(e["bytes"]) for e in entries)  # type: ignore[call-overload]
    print(f"wrote {len(entries)} grids ({total / 1e6:.2f} MB) and {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
