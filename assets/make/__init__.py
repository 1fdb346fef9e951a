"""Rebuild Cradle's physics grids (assets/grids/) from public sources: `python -m assets.make`."""
