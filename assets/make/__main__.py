"""`python -m assets.make`: rebuild every grid in assets/grids/ and its manifest from the public sources."""

from __future__ import annotations

import sys
from importlib import metadata

from . import atmospheres, filters, isochrones
from .gridfile import write_manifest


def main() -> int:
    entries = [filters.build_filters(), filters.build_vega(), isochrones.build_parsec()]
    entries += [isochrones.build_yso_track(*track) for track in isochrones.YSO_TRACKS]
    entries += [atmospheres.build_kurucz(), atmospheres.build_btsettl()]
    versions = {
        p: metadata.version(p)
        for p in ("numpy", "astropy", "scipy", "speclite", "pyphot", "ysoisochrone")
    }
    path = write_manifest(entries, versions)
    total = sum(int(e["bytes"]) for e in entries)  # type: ignore[call-overload]
    print(f"wrote {len(entries)} grids ({total / 1e6:.2f} MB) and {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
