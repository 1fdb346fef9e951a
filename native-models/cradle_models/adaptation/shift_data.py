"""The synthetic domain shift of the benchmark (issue #9): a "simulated" and a "real" world that differ
the way simulations differ from the sky.

- simulated: PARSEC v1.2S pre-main-sequence tracks (Bressan et al. 2012), Castelli–Kurucz ATLAS9
  atmospheres (Castelli & Kurucz 2003) for photometry and Gaia XP; the noise the simulator assumes;
- "real": magnetic Dartmouth tracks (Feiden 2016, A&A 593, A99, the "Feiden_B" grid of ysoisochrone:
  inflated, cooler young K/M stars, the science doc's trap 5), BT-Settl CIFIST atmospheres (Allard et
  al. 2012), 1.5× the noise, a per-band photometric calibration offset, and a flux-calibration tilt of
  every spectrum. The LAMOST/BOSS/APOGEE-like spectra come from the one high-resolution library Cradle
  ships (BT-Settl) on both sides, so there the shift is the tracks, the noise and the tilt.

Tracks: the ysoisochrone matrices (log age × mass grids of log Teff, log L), interpolated bilinearly in
(log age, log mass) as electron/forward/physics/isochrones.ts does for its regular PMS grids; log g from
g = GM/R² with IAU 2015 nominal constants. Everything after the tracks (bolometric corrections, extinction
by Gordon et al. 2023, XP line-spread and noise law, survey line-spread) is the simulator's own code run
through ``forward_batch.mjs``.

Parameters θ = (log10 age/yr, log10 M_ini/M☉, log10 d/pc, log10(A_V + 0.05)) (the Simformer's transforms,
cradle_models.data.sources), from one prior on both sides: log age U(6.0, 7.8) (the magnetic grid ends at
7.82), M_ini log-uniform 0.6–1.5 M☉ (Kurucz starts at 3500 K), d uniform 100–800 pc, A_V U(0, 3), R_V 3.1.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.io as sio
from scipy.interpolate import RegularGridInterpolator

from cradle_models.adaptation.encoders import PHOTOMETRY
from cradle_models.adaptation.spectra import XP_BIN, bin_spectrum

REPO = Path(__file__).resolve().parents[3]
DRIVER = Path(__file__).with_name("forward_batch.mjs")
PARAMETERS = ("log_age", "mass_init", "distance_pc", "av")
PHOT_BANDS = ("gaia.g", "gaia.bp", "gaia.rp", "tmass.j", "tmass.h", "tmass.ks", "wise.w1", "wise.w2")
PHOT_INPUTS = (*PHOT_BANDS, "gaia.parallax")
SURVEY_BINS = {"spectrum.lamost": 32, "spectrum.boss": 32, "spectrum.apogee": 32}
# Fraction of stars with each spectrum (XP also needs G < 17.65, the DR3 limit for sampled spectra).
COVERAGE = {"gaia.xp": 0.8, "spectrum.lamost": 0.25, "spectrum.boss": 0.15, "spectrum.apogee": 0.15}
LOGG_SUN = np.log10(1.3271244e26 / 6.957e10**2)  # IAU 2015 Resolution B3 nominal GM_sun, R_sun (cgs)
TEFF_SUN = 5772.0


@dataclass(frozen=True)
class World:
    name: str
    tracks: str  # ysoisochrone builtin matrix
    library: str  # kurucz | btsettl (photometry and XP)
    phot_sigma: float = 0.02  # mag, per band
    phot_offset: dict[str, float] = field(default_factory=dict)  # mag, added to the true magnitudes
    noise_scale: float = 1.0  # × the XP noise law and the survey-spectrum noise
    tilt: float = 0.0  # fractional flux-calibration slope across each spectrum's range
    spec_sigma: float = 0.02  # fractional noise per binned survey-spectrum pixel


SIMULATED = World("simulated", "PARSECv1p2_AgeMassGrid_YSO_builtin_matrix.mat", "kurucz")
REAL = World(
    "real",
    "Feiden_B_AgeMassGrid_YSO_builtin_matrix.mat",
    "btsettl",
    phot_sigma=0.03,
    phot_offset={
        "gaia.g": 0.02,
        "gaia.bp": 0.04,
        "gaia.rp": -0.02,
        "tmass.j": 0.03,
        "tmass.h": -0.02,
        "tmass.ks": 0.02,
        "wise.w1": -0.03,
        "wise.w2": 0.02,
    },
    noise_scale=1.5,
    tilt=0.05,
    spec_sigma=0.03,
)


def draw_theta(n: int, rng: np.random.Generator) -> np.ndarray:
    """Physical parameters [n, 4]: log age, M_ini (M☉), distance (pc), A_V (mag)."""
    return np.stack(
        [
            rng.uniform(6.0, 7.8, n),
            10 ** rng.uniform(np.log10(0.6), np.log10(1.5), n),
            rng.uniform(100.0, 800.0, n),
            rng.uniform(0.0, 3.0, n),
        ],
        axis=1,
    )


def to_network(theta: np.ndarray) -> np.ndarray:
    """Physical θ → the transformed parameters the model learns (before standardisation)."""
    return np.stack(
        [theta[:, 0], np.log10(theta[:, 1]), np.log10(theta[:, 2]), np.log10(theta[:, 3] + 0.05)], axis=1
    )


def from_network(y: np.ndarray) -> np.ndarray:
    return np.stack([y[..., 0], 10 ** y[..., 1], 10 ** y[..., 2], 10 ** y[..., 3] - 0.05], axis=-1)


def tracks(file: str) -> RegularGridInterpolator:
    import ysoisochrone

    path = Path(ysoisochrone.__file__).parent / "data" / file
    if not path.exists():
        raise FileNotFoundError(f"{path}: ysoisochrone track matrix not found")
    mat = sio.loadmat(path)
    log_age = np.asarray(mat["log_age"], dtype=np.float64).ravel()
    log_mass = np.log10(np.asarray(mat["mass"], dtype=np.float64).ravel())
    tl = np.asarray(mat["logt_logl"], dtype=np.float64)
    if tl.shape != (log_age.size, log_mass.size, 2):
        raise ValueError(
            f"{path}: logt_logl has shape {tl.shape}, expected ({log_age.size}, {log_mass.size}, 2)"
        )
    return RegularGridInterpolator((log_age, log_mass), tl, bounds_error=False, fill_value=np.nan)


def atmosphere(theta: np.ndarray, world: World) -> dict[str, np.ndarray]:
    """Teff, log g, log L, R from the world's tracks (NaN outside them)."""
    tl = tracks(world.tracks)(np.stack([theta[:, 0], np.log10(theta[:, 1])], axis=1))
    teff = 10 ** tl[:, 0]
    log_l = tl[:, 1]
    radius = np.sqrt(10**log_l) * (TEFF_SUN / teff) ** 2
    logg = LOGG_SUN + np.log10(theta[:, 1]) - 2 * np.log10(radius)
    return {"teff": teff, "logg": logg, "logL": log_l, "radius": radius}


def run_forward(
    atm: dict[str, np.ndarray], theta: np.ndarray, world: World, spectra_rows: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Noise-free photometry, XP and binned survey spectra through the simulator's physics (node)."""
    n = theta.shape[0]
    stars = {
        "teff": atm["teff"],
        "logg": atm["logg"],
        "logL": atm["logL"],
        "radius": atm["radius"],
        "mh": np.zeros(n),
        "av": theta[:, 3],
        "rv": np.full(n, 3.1),
        "distancePc": theta[:, 2],
    }
    surveys = {
        name.split(".")[1]: {"bins": SURVEY_BINS[name], "rows": [int(i) for i in rows]}
        for name, rows in spectra_rows.items()
    }
    with tempfile.TemporaryDirectory(prefix="cradle-da-") as tmp:
        spec = {
            "library": world.library,
            "xp": True,
            "surveys": surveys,
            "stars": {k: v.tolist() for k, v in stars.items()},
        }
        (Path(tmp) / "in.json").write_text(json.dumps(spec, allow_nan=False))
        done = subprocess.run(
            ["node", str(DRIVER), str(Path(tmp) / "in.json"), str(Path(tmp) / "out")],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{DRIVER.name} failed: {done.stderr.strip()[-2000:]}")
        header = json.loads((Path(tmp) / "out" / "out.json").read_text())
        out: dict[str, np.ndarray] = {}
        for name, f in header["files"].items():
            out[name] = (
                np.fromfile(Path(tmp) / "out" / f["file"], dtype="<f4").reshape(f["shape"]).astype(np.float64)
            )
        bands = header["bands"]
    out["phot"] = out["phot"][:, [bands.index(b) for b in PHOT_BANDS]]
    return out


@dataclass
class Observed:
    """One modality for n stars: values, errors, pixel mask [n, P], present [n] (numpy)."""

    values: np.ndarray
    errors: np.ndarray
    mask: np.ndarray
    present: np.ndarray


@dataclass
class Catalogue:
    theta: np.ndarray  # physical [n, 4]
    modalities: dict[str, Observed]

    def take(self, rows: np.ndarray) -> Catalogue:
        return Catalogue(
            self.theta[rows],
            {
                k: Observed(m.values[rows], m.errors[rows], m.mask[rows], m.present[rows])
                for k, m in self.modalities.items()
            },
        )


def _tilt(n_pix: int, slope: float) -> np.ndarray:
    return 1.0 + slope * np.linspace(-0.5, 0.5, n_pix)


def _chunk_mask(
    rng: np.random.Generator, n: int, p: int, frac: float = 0.25, prob: float = 0.3
) -> np.ndarray:
    """Pixel masks: a spectrum loses a contiguous run of ``frac`` of its pixels with probability ``prob``."""
    mask = np.ones((n, p), dtype=bool)
    width = max(1, int(frac * p))
    hit = rng.random(n) < prob
    start = rng.integers(0, p - width + 1, n)
    for i in np.flatnonzero(hit):
        mask[i, start[i] : start[i] + width] = False
    return mask


def observe(
    theta: np.ndarray,
    world: World,
    rng: np.random.Generator,
    coverage_draw: dict[str, np.ndarray] | None = None,
) -> tuple[Catalogue, np.ndarray]:
    """Simulate what the surveys see of stars θ in ``world``. Returns the catalogue of the stars that
    exist in the world's tracks and atmospheres, and their row indices into ``theta``."""
    n = theta.shape[0]
    draws: dict[str, np.ndarray] = (
        coverage_draw if coverage_draw is not None else {k: np.asarray(rng.random(n)) for k in COVERAGE}
    )
    atm = atmosphere(theta, world)
    ok = np.isfinite(atm["teff"]) & np.isfinite(atm["logL"])
    rows = np.flatnonzero(ok)
    theta_ok = theta[rows]
    atm_ok = {k: v[rows] for k, v in atm.items()}
    wanted = {name: np.flatnonzero(draws[name][rows] < COVERAGE[name]) for name in SURVEY_BINS}
    raw = run_forward(atm_ok, theta_ok, world, wanted)
    keep = np.all(np.isfinite(raw["phot"]), axis=1) & np.all(np.isfinite(raw["xp"]), axis=1)
    m = int(keep.sum())
    theta_k = theta_ok[keep]
    mods: dict[str, Observed] = {}

    # Photometry + parallax (Gaia parallax σ 0.03 mas; each band lost with p = 0.1).
    offset = np.array([world.phot_offset.get(b, 0.0) for b in PHOT_BANDS])
    mags = raw["phot"][keep] + offset + rng.normal(0.0, world.phot_sigma, (m, len(PHOT_BANDS)))
    plx_sigma = 0.03
    plx = 1000.0 / theta_k[:, 2] + rng.normal(0.0, plx_sigma, m)
    values = np.concatenate([mags, plx[:, None]], axis=1)
    errors = np.concatenate(
        [np.full((m, len(PHOT_BANDS)), world.phot_sigma), np.full((m, 1), plx_sigma)], axis=1
    )
    mask = np.concatenate([rng.random((m, len(PHOT_BANDS))) >= 0.1, np.ones((m, 1), dtype=bool)], axis=1)
    mods[PHOTOMETRY] = Observed(values, errors, mask, np.ones(m, dtype=bool))

    # Gaia XP: the simulator's XP noise law (× noise_scale), calibration tilt, 7-sample bins, log10.
    xp = raw["xp"][keep]
    xp_err = raw["xp_err"][keep] * world.noise_scale
    xp_obs = (xp + rng.normal(0.0, 1.0, xp.shape) * xp_err) * _tilt(xp.shape[1], world.tilt)
    xp_values, xp_errors, xp_ok = bin_spectrum(xp_obs, xp_err, XP_BIN)
    g = mags[:, 0]
    present = (draws["gaia.xp"][rows][keep] < COVERAGE["gaia.xp"]) & (g < 17.65)
    mods["gaia.xp"] = Observed(xp_values, xp_errors, _chunk_mask(rng, m, xp_values.shape[1]) & xp_ok, present)

    # Survey spectra: fractional noise, tilt, log10.
    for name, bins in SURVEY_BINS.items():
        flux = raw[name.split(".")[1]][keep]
        has = np.all(np.isfinite(flux), axis=1) & np.all(flux > 0, axis=1)
        f = np.where(has[:, None], flux, 1.0)
        f = (
            f
            * (1.0 + rng.normal(0.0, world.spec_sigma * world.noise_scale, f.shape))
            * _tilt(bins, world.tilt)
        )
        f = np.clip(f, 1e-300, None)
        mods[name] = Observed(
            np.log10(f),
            np.full((m, bins), world.spec_sigma * world.noise_scale / np.log(10)),
            _chunk_mask(rng, m, bins),
            has,
        )
    return Catalogue(theta_k, mods), rows[keep]


@dataclass
class ShiftBenchmarkData:
    sim_train: Catalogue
    real_train: Catalogue  # unlabelled in training (θ only used to score)
    real_test: Catalogue
    sim_test: Catalogue
    pairs_sim: Catalogue  # the simulated twins of the paired real stars
    pairs_real: Catalogue


def build(n_sim: int, n_real: int, n_test: int, pair_fraction: float, seed: int) -> ShiftBenchmarkData:
    """Draw both worlds. ``pair_fraction`` of the real training stars also get a simulated twin (same θ)."""
    rng = np.random.default_rng(seed)
    sim, _ = observe(draw_theta(n_sim + n_test, rng), SIMULATED, rng)
    sim_train = sim.take(np.arange(0, sim.theta.shape[0] - n_test))
    sim_test = sim.take(np.arange(sim.theta.shape[0] - n_test, sim.theta.shape[0]))
    theta_real = draw_theta(n_real + n_test, rng)
    real, real_rows = observe(theta_real, REAL, rng)
    n_r = real.theta.shape[0]
    real_test = real.take(np.arange(n_r - n_test, n_r))
    real_train = real.take(np.arange(0, n_r - n_test))
    n_pairs = max(2, int(round(pair_fraction * real_train.theta.shape[0])))
    candidates = rng.choice(real_train.theta.shape[0], size=3 * n_pairs, replace=False)
    twin, twin_rows = observe(real_train.theta[candidates], SIMULATED, rng)
    take = np.arange(min(n_pairs, twin.theta.shape[0]))
    return ShiftBenchmarkData(
        sim_train=sim_train,
        real_train=real_train,
        real_test=real_test,
        sim_test=sim_test,
        pairs_sim=twin.take(take),
        pairs_real=real_train.take(candidates[twin_rows[take]]),
    )
