"""Galaxy frames (electron/galaxy/frames.ts) against astropy: ICRS → Galactic, heliocentric Galactic
Cartesian, Galactocentric (astropy's v4.0 defaults: R0 = 8.122 kpc, z_sun = 20.8 pc) and proper motions
rotated into Galactic with their tangential velocities. Random sky positions, distances and motions;
the TypeScript side runs through `cradle galaxy frames`. Agreement required: 1e-9 relative."""

import json
import subprocess
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.coordinates import Galactocentric, SkyCoord

REPO = Path(__file__).resolve().parents[2]


def run_frames(tmp_path: Path, data: dict[str, list[float]]) -> dict[str, np.ndarray]:
    source = tmp_path / "frames-in.json"
    source.write_text(json.dumps(data))
    out = subprocess.run(
        [
            "node",
            str(REPO / "bin" / "cradle.mjs"),
            "galaxy",
            "frames",
            "--in",
            str(source),
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    return {k: np.asarray(v) for k, v in json.loads(out.stdout).items()}


def close(actual: np.ndarray, expected: np.ndarray, scale: np.ndarray | float) -> None:
    error = np.abs(actual - expected) / np.maximum(np.abs(expected), scale)
    assert error.max() <= 1e-9, f"max relative error {error.max():.3g}"


def test_frames_match_astropy(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    n = 400
    ra = rng.uniform(0, 360, n)
    dec = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    distance = 10 ** rng.uniform(0.5, 4.3, n)
    pmra = rng.normal(0, 30, n)
    pmdec = rng.normal(0, 30, n)
    ts = run_frames(
        tmp_path,
        {
            "ra": ra.tolist(),
            "dec": dec.tolist(),
            "distance_pc": distance.tolist(),
            "pmra": pmra.tolist(),
            "pmdec": pmdec.tolist(),
        },
    )
    sky = SkyCoord(
        ra=ra * u.deg,
        dec=dec * u.deg,
        distance=distance * u.pc,
        pm_ra_cosdec=pmra * u.mas / u.yr,
        pm_dec=pmdec * u.mas / u.yr,
        frame="icrs",
    )
    gal = sky.galactic
    # Angles: compare on the sphere (relative to a full turn) so l near 0/360 is not a false miss.
    dl = (ts["l"] - gal.l.deg + 180) % 360 - 180
    assert np.abs(dl).max() / 360 <= 1e-9
    close(ts["b"], gal.b.deg, 90.0)
    xyz = gal.cartesian.xyz.to_value(u.pc)
    for i, axis in enumerate("xyz"):
        close(ts[axis], xyz[i], distance)
    pm_l = gal.pm_l_cosb.to_value(u.mas / u.yr)
    pm_b = gal.pm_b.to_value(u.mas / u.yr)
    pm_total = np.hypot(pmra, pmdec)
    close(ts["pm_l_cosb"], pm_l, pm_total)
    close(ts["pm_b"], pm_b, pm_total)
    v_l = (gal.pm_l_cosb * gal.distance).to(u.km / u.s, u.dimensionless_angles()).value
    v_b = (gal.pm_b * gal.distance).to(u.km / u.s, u.dimensionless_angles()).value
    v_total = np.hypot(v_l, v_b)
    close(ts["v_l"], v_l, v_total)
    close(ts["v_b"], v_b, v_total)
    positions = SkyCoord(ra=ra * u.deg, dec=dec * u.deg, distance=distance * u.pc, frame="icrs")
    gc = positions.transform_to(Galactocentric())
    gxyz = gc.cartesian.xyz.to_value(u.pc)
    for i, axis in enumerate(["gc_x", "gc_y", "gc_z"]):
        close(ts[axis], gxyz[i], 8122.0)
    # The frame's anchors: the Sun sits at x = −R0 cos θ, z = z☉ in Galactocentric.
    sun = run_frames(
        tmp_path,
        {
            "ra": [0.0],
            "dec": [0.0],
            "distance_pc": [0.0],
            "pmra": [0.0],
            "pmdec": [0.0],
        },
    )
    assert abs(sun["gc_z"][0] - 20.8) < 1e-9
    assert abs(np.hypot(sun["gc_x"][0], sun["gc_z"][0]) - 8122.0) < 1e-9
