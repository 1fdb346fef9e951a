"""Real clusters vs the simulator: Pleiades and alpha Per CMDs (Gaia DR3) against simulated clusters.

The simulator (`cradle simulate`, PARSEC isochrones + Kurucz/BT-Settl BC tables + G23 dust, binaries on)
makes each cluster at its literature age, distance and extinction; the real members come from
../shared/data/real-stars/validation/gyro-interp (Rebull et al. 2016 Pleiades, Boyle et al. alpha Per,
cross-matched to Gaia DR3 by gyro-interp, MIT). The figure of merit is the median offset in BP-RP of the
real sequence from the simulated one at fixed G over 8 < G < 17 (the issue's target: <= 0.05 mag). The
measured offsets are printed (pytest -s) and must stay under the looser bound asserted here, so a
regression in photometry or dust shows up; the 0.05 target is reported, not assumed.
"""

from __future__ import annotations

import json
import subprocess
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]
GYRO = REPO.parent / "shared" / "data" / "real-stars" / "validation" / "gyro-interp"

CLUSTERS = {
    # Literature (Gaia Collaboration, Babusiaux et al. 2018, A&A 616, A10, Table 2, whose [Fe/H] are from
    # Netopil et al. 2016): Pleiades [Fe/H] -0.01, E(B-V) 0.045 (A_V ~0.12 at R_V 3.1 with the issue's
    # 120 Myr, 135 pc); alpha Per [Fe/H] +0.14, E(B-V) 0.090 -> A_V 0.28, distance modulus 6.214 -> 175 pc,
    # and ~80 Myr from its lithium depletion boundary (79 +- 1.5 Myr, Galindo-Guil et al. 2022, A&A 664,
    # A70). alpha Per's metallicity matters: at [M/H] 0 its simulated K/M sequence is 0.08 mag too blue.
    "pleiades": {
        "file": "Rebull_2016_X_GDR3_supplemented.csv",
        "cluster": {
            "ageMyr": 120,
            "distancePc": 135,
            "av": 0.12,
            "mh": -0.01,
            "lDeg": 166.57,
            "bDeg": -23.52,
        },
    },
    "alpha_per": {
        "file": "Boyle_inprep_X_GDR3_supplemented.csv",
        "cluster": {
            "ageMyr": 80,
            "distancePc": 175,
            "av": 0.28,
            "mh": 0.14,
            "lDeg": 147.36,
            "bDeg": -6.4,
        },
    },
}
BINS = np.arange(8.0, 17.01, 0.5)


# The shape every simulated cluster here shares: compact, cold, nearly uniform extinction.
CLUSTER_SHAPE = {"radiusPc": 2.0, "velocityDispersionKms": 0.5, "avSpread": 0.02}


def simulate(name: str, clusters: list[dict[str, object]], out: Path) -> pd.DataFrame:
    config = {
        "name": name,
        "seed": 3,
        "mixture": {"field": 0},
        "magnitudeLimit": {"band": "gaia.g", "max": 18},
        "clusters": [{**CLUSTER_SHAPE, **cluster} for cluster in clusters],
    }
    config_file = out / f"{name}.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    subprocess.run(
        [
            "node",
            str(REPO / "bin" / "cradle.mjs"),
            "simulate",
            "--config",
            str(config_file),
            "--out",
            str(out / name),
            "--workers",
            "0",
            "--quiet",
        ],
        check=True,
        cwd=REPO,
        capture_output=True,
        timeout=600,
    )
    catalog = pq.read_table(out / name / "catalog.parquet").to_pandas()
    truth = pq.read_table(out / name / "truth.parquet").to_pandas()
    return catalog.merge(truth[["source_id", "binary_q", "has_disk", "cluster_id"]], on="source_id")


def ridge(g: np.ndarray, colour: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    centres, medians = [], []
    for lo, hi in pairwise(BINS):
        sel = (g >= lo) & (g < hi) & np.isfinite(colour)
        if sel.sum() >= 5:
            centres.append((lo + hi) / 2)
            medians.append(float(np.median(colour[sel])))
    return np.array(centres), np.array(medians)


@pytest.mark.skipif(
    not GYRO.exists(),
    reason="../shared/data/real-stars/validation/gyro-interp is absent",
)
@pytest.mark.parametrize("name", list(CLUSTERS))
def test_real_cluster_sequence(name: str, tmp_path: Path) -> None:
    spec = CLUSTERS[name]
    real = pd.read_csv(GYRO / str(spec["file"]))
    real = real[(real["ruwe"] < 1.4) & real["phot_g_mean_mag"].between(8, 17) & np.isfinite(real["bp_rp"])]
    sim = simulate(name, [{"name": name, "massMsun": 1500, **spec["cluster"]}], tmp_path)  # type: ignore[dict-item]
    g_sim = sim["phot_g_mean_mag"].to_numpy(float)
    c_sim = sim["bp_rp"].to_numpy(float)
    centres, medians = ridge(g_sim, c_sim)
    assert len(centres) >= 12, f"{name}: the simulated sequence covers too little of 8 < G < 17"
    g_real = real["phot_g_mean_mag"].to_numpy(float)
    inside = (g_real > centres[0]) & (g_real < centres[-1])
    offsets = real["bp_rp"].to_numpy(float)[inside] - np.interp(g_real[inside], centres, medians)
    median_offset = float(np.median(offsets))
    by_bin = {
        f"{lo:.0f}-{lo + 3:.0f}": round(
            float(np.median(offsets[(g_real[inside] >= lo) & (g_real[inside] < lo + 3)])),
            3,
        )
        for lo in (8.0, 11.0, 14.0)
        if ((g_real[inside] >= lo) & (g_real[inside] < lo + 3)).sum() > 5
    }
    print(
        f"\n{name}: {inside.sum()} real members, median BP-RP offset (real - simulated) at fixed G = "
        f"{median_offset:+.3f} mag; by G: {by_bin}"
    )
    # The target: |offset| <= 0.05 mag (measured +0.04 Pleiades, +0.03 alpha Per).
    assert abs(median_offset) < 0.05


ESPLIN = REPO.parent / "shared" / "data" / "real-stars" / "validation" / "esplin-crA" / "esplin_cata.txt"
# Extinction ratios A_band / A_V in the near/mid-IR (Wang & Chen 2019, ApJ 877, 116, Table 3):
# J 0.243, Ks 0.078, W3 0.040, so E(J-Ks) = 2.12 A_Ks and E(Ks-W3) = 0.49 A_Ks.
E_JK_PER_AK = (0.243 - 0.078) / 0.078
E_KW3_PER_AK = (0.078 - 0.040) / 0.078
# The Coronet cluster around R CrA (ICRS 285.47, -36.95 deg) and the radius that takes in the cloud's core
# (2.6 pc at 150 pc): members inside it are the young, partly embedded population, the rest Upper CrA.
CORONET_CENTRE_DEG = (285.47, -36.95)
CORONET_RADIUS_DEG = 1.0


def on_cloud(ra: np.ndarray, dec: np.ndarray) -> np.ndarray:
    from astropy.coordinates import SkyCoord

    centre = SkyCoord(*CORONET_CENTRE_DEG, unit="deg")
    return np.asarray(SkyCoord(ra, dec, unit="deg").separation(centre).deg < CORONET_RADIUS_DEG)


def colour_offset(
    real: pd.DataFrame, real_col: str, sim: pd.DataFrame, colour: str, label: str
) -> tuple[float, int]:
    """Median of real - simulated colour at fixed Ks (7 < Ks < 11.5), and the number of real stars."""
    k_sim = sim["ks_m"].to_numpy(float)
    c_sim = sim[colour].to_numpy(float)
    ok = np.isfinite(k_sim) & np.isfinite(c_sim) & (k_sim > 6) & (k_sim < 12)
    assert ok.sum() > 30, f"the simulated CrA has too few {label} stars with {colour}"
    grid = np.arange(7.0, 11.51, 0.5)
    near = [np.abs(k_sim[ok] - k) < 0.75 for k in grid]
    # The ridge only where a bin holds 5 simulated stars; real stars beyond it take its end values.
    ks_grid = np.array([k for k, sel in zip(grid, near, strict=True) if sel.sum() >= 5])
    ridge_vals = [np.median(c_sim[ok][sel]) for sel in near if sel.sum() >= 5]
    k_real = real["k0"].to_numpy(float)
    c_real = real[real_col].to_numpy(float)
    sel = np.isfinite(k_real) & np.isfinite(c_real) & (k_real > 7) & (k_real < 11.5)
    offsets = c_real[sel] - np.interp(k_real[sel], ks_grid, ridge_vals)
    return round(float(np.median(offsets)), 3), int(sel.sum())


@pytest.mark.skipif(
    not ESPLIN.exists(),
    reason="../shared/data/real-stars/validation/esplin-crA is absent",
)
def test_corona_australis_ir_colours(tmp_path: Path) -> None:
    """CrA (Esplin & Luhman 2022): dereddened J-Ks and Ks-W3 of class III (diskless) and disk members
    against simulated CrA at fixed Ks, each real group against the simulated stars of the same kind
    (has_disk): photospheres for class III, photosphere + disc for full/flat discs.

    Esplin & Luhman (2022, AJ 163, 64, abstract) describe CrA as two populations at ~150 pc: the Coronet
    cluster, a few Myr old and partly embedded, and Upper CrA, ~15 Myr old, around and beyond the cloud.
    Most class III stars belong to the older one, where a star of given Ks is hotter (bluer in Ks-W3)
    than at 2 Myr, so a single 2 Myr cluster made the simulated photospheres 0.24 mag too red at fixed Ks.
    The two are simulated here (2 and 15 Myr). The Coronet's share is the census's own: the fraction of
    members within CORONET_RADIUS_DEG of the cluster (the on-cloud population of Galli et al. 2020, A&A
    634, A98). Inverting the simulator's earlier disc law, exp(-t / 2.5 Myr), for the share gave 0.45; that
    law left a 15 Myr group 0.3% discs where the census's off-cloud members have 13%, and the simulator now
    follows Polnitzky et al. (2026)'s 5.8 Myr (electron/forward/clusters/disk-fraction.ts).

    Each colour is also compared population by population (real members on / off the cloud against the
    simulated Coronet / Upper CrA), which separates the photospheres' colours from the mix of ages."""
    from astropy.io import ascii as astropy_ascii

    table = astropy_ascii.read(ESPLIN, format="cds").to_pandas()
    ak = table["Ak"].fillna(0.0)
    table["jk0"] = table["Jmag"] - table["Kmag"] - E_JK_PER_AK * ak
    # W3 only where measured well (no flag, σ < 0.1 mag): faint W3 values are biased upwards.
    good_w3 = table["f_W3mag"].isna() & (table["e_W3mag"] < 0.1)
    table["kw30"] = (table["Kmag"] - table["W3mag"] - E_KW3_PER_AK * ak).where(good_w3)
    table["k0"] = table["Kmag"] - ak
    table["on_cloud"] = on_cloud(table["RAdeg"].to_numpy(float), table["DEdeg"].to_numpy(float))
    diskless = table[table["DiskType"] == "III"]
    disk = table[table["DiskType"].isin(["full", "flat/I"])]
    classified = table["DiskType"].notna()
    primordial = table["DiskType"].isin(["full", "full?", "flat/I", "0/I"])
    disc_fraction = float(primordial.sum() / classified.sum())
    coronet_share = float(table["on_cloud"].mean())
    assert 0.0 < coronet_share < 1.0
    ages = {"coronet": 2.0, "upper": 15.0}
    place = {"distancePc": 150.0, "av": 0.0, "lDeg": 359.9, "bDeg": -17.8}
    total_mass = 1200.0
    coronet = {
        "name": "cra",
        "massMsun": total_mass * coronet_share,
        "ageMyr": ages["coronet"],
        "ageSpreadMyr": 0.5,
        **place,
    }
    upper = {
        "name": "upper-cra",
        "massMsun": total_mass * (1 - coronet_share),
        "ageMyr": ages["upper"],
        "ageSpreadMyr": 3.0,
        **place,
    }
    sim = simulate("cra", [coronet, upper], tmp_path)
    print(
        f"\nCrA: Coronet share (members within {CORONET_RADIUS_DEG} deg) {coronet_share:.2f}; "
        f"primordial-disc fraction real {disc_fraction:.3f}, simulated {sim['has_disk'].mean():.3f}"
    )
    sim = sim.assign(jk=sim["j_m"] - sim["ks_m"], kw3=sim["ks_m"] - sim["w3mpro"])
    # Ks-W3 is compared only where W3 is measured well (sigma < 0.1 mag), on both sides.
    sim = sim.assign(kw3=sim["kw3"].where(sim["w3sigmpro"] < 0.1))
    report = {}
    by_population = {}
    for colour, real_col in (("jk", "jk0"), ("kw3", "kw30")):
        for label, group, sim_group in (
            ("diskless", diskless, sim[~sim["has_disk"]]),
            ("disk", disk, sim[sim["has_disk"]]),
        ):
            report[f"{label} {colour}"] = colour_offset(group, real_col, sim_group, colour, label)
            for place_label, real_on, cluster_id in (("Coronet", True, 1), ("Upper CrA", False, 2)):
                part = sim_group[sim_group["cluster_id"] == cluster_id]
                if part[colour].notna().sum() > 30:
                    by_population[f"{place_label} {label} {colour}"] = colour_offset(
                        group[group["on_cloud"] == real_on], real_col, part, colour, label
                    )
    print(
        f"\nCorona Australis median colour offsets (real - simulated) at fixed Ks, (offset, stars): {report}"
        "\nby population (real on / off the cloud against the simulated Coronet / Upper CrA): "
        f"{by_population}"
    )
    assert abs(report["diskless jk"][0]) < 0.15
    # Measured -0.064: -0.24 with a single 2 Myr cluster, -0.14 with the share from the 2.5 Myr disc law,
    # -0.105 with the census's share and that law (the 5.8 Myr law leaves the Coronet fewer diskless
    # stars). Apart, the Upper CrA photospheres meet the 0.05 mag (J-Ks -0.007, Ks-W3 -0.030 over
    # 125 / 74 stars) and the residual is the Coronet's: its on-cloud class III stars are hotter at fixed
    # Ks than 2 Myr stars (Ks-W3 -0.21 over 21 stars).
    assert abs(report["diskless kw3"][0]) < 0.15
    assert abs(by_population["Upper CrA diskless jk"][0]) < 0.05
    assert abs(by_population["Upper CrA diskless kw3"][0]) < 0.05
    # The disc model's light (physics yso-disk.ts with the simulator's prior, centred on a flat
    # reprocessing disc's L_disc/L_* = 1/4: simulate/yso-disk-light.ts) against real disc hosts: measured
    # -0.38 (simulated discs redder; with the earlier prior, L_disc/L_* 0.02-0.3, +0.62).
    assert abs(report["disk kw3"][0]) < 0.5
    assert abs(report["disk jk"][0]) < 0.2
