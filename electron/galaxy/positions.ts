// Star positions and motions for the Galaxy view from catalogue columns: the distance is the posterior
// median where a run has one, otherwise the inverse parallax (only for parallaxes measured at better
// than the given signal-to-noise, where 1/ϖ is a usable estimate — Bailer-Jones 2015, PASP 127, 994),
// and its 1σ half-width travels along as an attribute (posterior p16–p84, or σ_ϖ/ϖ² propagated).
import {
  galacticToCartesian,
  icrsToGalactic,
  properMotionToGalactic,
  tangentialVelocityKms,
} from './frames.ts';

export interface StarColumns {
  raDeg: Float64Array;
  decDeg: Float64Array;
  /** Posterior median distance, pc (NaN where the star has none). */
  distancePc?: Float64Array;
  /** Posterior 16th/84th percentile distance, pc. */
  distanceP16Pc?: Float64Array;
  distanceP84Pc?: Float64Array;
  parallaxMas?: Float64Array;
  parallaxErrorMas?: Float64Array;
  pmRaMasYr?: Float64Array;
  pmDecMasYr?: Float64Array;
}

export const DISTANCE_NONE = 0;
export const DISTANCE_POSTERIOR = 1;
export const DISTANCE_PARALLAX = 2;

export interface StarPositions {
  count: number;
  /** Heliocentric Galactic Cartesian, pc; NaN where the star has no distance. */
  x: Float64Array;
  y: Float64Array;
  z: Float64Array;
  lDeg: Float64Array;
  bDeg: Float64Array;
  distancePc: Float64Array;
  /** Half the 16–84% width (or the propagated parallax error), pc; NaN where unknown. */
  distanceErrorPc: Float64Array;
  /** DISTANCE_NONE / DISTANCE_POSTERIOR / DISTANCE_PARALLAX per star. */
  distanceSource: Uint8Array;
  /** Tangential velocity along l and b, km/s; NaN without proper motion or distance. */
  vLKms: Float64Array;
  vBKms: Float64Array;
}

/** Inverse parallax is used only above this parallax signal-to-noise. */
export const MIN_PARALLAX_SNR = 5;

function at(column: Float64Array | undefined, i: number): number {
  return column === undefined ? Number.NaN : column[i]!;
}

export function starPositions(columns: StarColumns): StarPositions {
  const n = columns.raDeg.length;
  for (const [name, column] of Object.entries(columns) as [string, Float64Array | undefined][]) {
    if (column !== undefined && column.length !== n)
      throw new Error(`galaxy positions: column ${name} has ${column.length} rows, ra has ${n}`);
  }
  const out: StarPositions = {
    count: n,
    x: new Float64Array(n),
    y: new Float64Array(n),
    z: new Float64Array(n),
    lDeg: new Float64Array(n),
    bDeg: new Float64Array(n),
    distancePc: new Float64Array(n),
    distanceErrorPc: new Float64Array(n),
    distanceSource: new Uint8Array(n),
    vLKms: new Float64Array(n),
    vBKms: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const ra = columns.raDeg[i]!;
    const dec = columns.decDeg[i]!;
    const { lDeg, bDeg } = icrsToGalactic(ra, dec);
    out.lDeg[i] = lDeg;
    out.bDeg[i] = bDeg;
    let distance = at(columns.distancePc, i);
    let error = Number.NaN;
    let source = DISTANCE_NONE;
    if (Number.isFinite(distance) && distance > 0) {
      source = DISTANCE_POSTERIOR;
      error = 0.5 * (at(columns.distanceP84Pc, i) - at(columns.distanceP16Pc, i));
    } else {
      const parallax = at(columns.parallaxMas, i);
      const parallaxError = at(columns.parallaxErrorMas, i);
      const snr = parallax / parallaxError;
      if (parallax > 0 && (!Number.isFinite(parallaxError) || snr >= MIN_PARALLAX_SNR)) {
        source = DISTANCE_PARALLAX;
        distance = 1000 / parallax;
        error = (1000 * parallaxError) / (parallax * parallax);
      } else distance = Number.NaN;
    }
    out.distancePc[i] = distance;
    out.distanceErrorPc[i] = error;
    out.distanceSource[i] = source;
    const [x, y, z] = galacticToCartesian(lDeg, bDeg, distance);
    out.x[i] = x;
    out.y[i] = y;
    out.z[i] = z;
    const pm = properMotionToGalactic(ra, dec, at(columns.pmRaMasYr, i), at(columns.pmDecMasYr, i));
    out.vLKms[i] = tangentialVelocityKms(pm.pmLCosB, distance);
    out.vBKms[i] = tangentialVelocityKms(pm.pmB, distance);
  }
  return out;
}
