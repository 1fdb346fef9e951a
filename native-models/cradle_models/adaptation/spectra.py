"""How a sampled spectrum becomes a spectrum encoder's inputs, in training (``shift_data``) and in the app,
which repeats it from the card's ``spectrum`` block (``spectrum_card``; electron/inference/spectra.ts).

Gaia XP sampled spectra (336–1020 nm in 2 nm steps, 343 samples, W m-2 nm-1: De Angeli et al. 2023,
A&A 674, A2; Montegriffo et al. 2023, A&A 674, A3) are averaged ``width`` samples at a time (the last
343 mod ``width`` samples are dropped); a bin's input is log10 of its mean flux and its uncertainty the
propagated σ of that mean, σ_mean / (mean ln 10). A bin with a missing sample (NaN: one photometer
absent) or a mean flux ≤ 0 (faint stars' noisy ends) is masked, never filled with a number.
"""

from __future__ import annotations

import numpy as np

XP_SAMPLES = 343
XP_BIN = 7  # 343 samples averaged 7 by 7 → 49 inputs
XP_WAVELENGTH_NM = (336.0, 1020.0, 2.0)  # first, last, step
XP_FLUX_UNIT = "W m-2 nm-1"


def bin_spectrum(
    flux: np.ndarray, error: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spectra [n, m] (flux and 1σ) → per bin log10 mean flux, its σ and whether it is observed
    ([n, m // width] each; 0 where not observed). A bin whose σ is not finite keeps its value and gets
    σ = 0: the app then gives it the card's typical uncertainty."""
    n, m = flux.shape
    bins = m // width
    mean = flux[:, : bins * width].reshape(n, bins, width).mean(axis=2)
    sigma = np.sqrt((error[:, : bins * width] ** 2).reshape(n, bins, width).sum(axis=2)) / width
    ok = np.isfinite(mean) & (mean > 0)
    safe = np.where(ok, mean, 1.0)
    values = np.where(ok, np.log10(safe), 0.0)
    errors = np.where(ok & np.isfinite(sigma), sigma / safe / np.log(10), 0.0)
    return values, errors, ok


def bin_names(quantity: str, bins: int) -> tuple[str, ...]:
    """The card variables of a binned spectrum: ``gaia.xp[0]`` … in wavelength order."""
    return tuple(f"{quantity}[{k}]" for k in range(bins))


def spectrum_card(quantity: str) -> dict[str, object]:
    """The card's description of how the app turns a catalogue's spectrum into the encoder's inputs."""
    if quantity != "gaia.xp":
        raise ValueError(
            f"modality {quantity!r}: the app reads Gaia XP spectra only (survey spectra have no "
            "catalogue layout it can bin the way training did)"
        )
    first, last, step = XP_WAVELENGTH_NM
    return {
        "quantity": quantity,
        "samples": XP_SAMPLES,
        "bin": XP_BIN,
        "transform": "log10",
        "flux_unit": XP_FLUX_UNIT,
        "wavelength_nm": {"first": first, "last": last, "step": step},
    }
