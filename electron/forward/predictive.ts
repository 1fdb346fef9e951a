// The posterior predictive of a star's photometry: posterior draws of (initial mass, age, [M/H], A_V,
// R_V, distance) pushed through the simulator's own photometry (simulate/physics-port.ts: isochrones →
// bolometric-correction tables → extincted absolute magnitudes) plus the distance modulus, so the Star
// view compares a star's observed SED with what the forward model says its posterior implies. Binaries
// and YSO disks, which the simulator adds on top, are left out (a single-star prediction). Also the band
// pivot wavelengths that place the bands on the SED's wavelength axis.
import { BANDS, loadPassbands, type Band, type Passband } from './physics/bands.ts';
import { physicsPort } from './simulate/physics-port.ts';
import { allocateInputs, allocateOutputs, type PhotometryPort } from './simulate/photometry-port.ts';

export interface ParameterDraws {
  massInit: Float64Array;
  logAge: Float64Array;
  mh: Float64Array;
  av: Float64Array;
  rv: Float64Array;
  distancePc: Float64Array;
}

export interface PredictedMagnitudes {
  /** Apparent Vega magnitude per band per draw; NaN where the draw has no living star. */
  mags: Record<Band, Float64Array>;
  /** Draws that fall on the isochrones (a living star in the grid). */
  alive: number;
}

let port: PhotometryPort | null = null;

/** Apparent magnitudes of every draw in the ten bands (default port: the simulator's physics). */
export function predictMagnitudes(draws: ParameterDraws, photometry?: PhotometryPort): PredictedMagnitudes {
  const physics = photometry ?? (port ??= physicsPort());
  const n = draws.massInit.length;
  const inputs = allocateInputs(n);
  inputs.count = n;
  inputs.massInit.set(draws.massInit);
  inputs.logAge.set(draws.logAge);
  inputs.mh.set(draws.mh);
  inputs.av.set(draws.av);
  inputs.rv.set(draws.rv);
  const out = allocateOutputs(physics.bands, n);
  physics.compute(inputs, out);
  const mags = {} as Record<Band, Float64Array>;
  let alive = 0;
  for (let i = 0; i < n; i++) if (out.alive[i] === 1 && draws.distancePc[i]! > 0) alive++;
  for (const band of physics.bands) {
    const m = new Float64Array(n);
    for (let i = 0; i < n; i++)
      m[i] =
        out.alive[i] === 1 && draws.distancePc[i]! > 0
          ? out.absMag[band][i]! + 5 * Math.log10(draws.distancePc[i]! / 10)
          : Number.NaN;
    mags[band] = m;
  }
  return { mags, alive };
}

/**
 * Pivot wavelength of a photon-counting band, Å: λp² = ∫ T λ dλ / ∫ T λ⁻¹ dλ (Tokunaga & Vacca 2005,
 * PASP 117, 421, eq. A11), trapezoidal on the passband's own grid.
 */
export function pivotWavelength(band: Passband): number {
  const { wavelength: l, response: t } = band;
  let num = 0;
  let den = 0;
  for (let i = 1; i < l.length; i++) {
    const dl = l[i]! - l[i - 1]!;
    num += 0.5 * dl * (t[i]! * l[i]! + t[i - 1]! * l[i - 1]!);
    den += 0.5 * dl * (t[i]! / l[i]! + t[i - 1]! / l[i - 1]!);
  }
  return Math.sqrt(num / den);
}

/** The pivot wavelength of each of the ten bands, Å. */
export function pivotWavelengths(): Record<Band, number> {
  const out = {} as Record<Band, number>;
  loadPassbands().forEach((band, k) => (out[BANDS[k]!] = pivotWavelength(band)));
  return out;
}
