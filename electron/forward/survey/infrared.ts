// What 2MASS and AllWISE would report. Both are background-limited at their faint end, so the
// signal-to-noise ratio scales with flux: S/N(m) = S/N_ref · 10^(-0.4(m - m_ref)), and
// σ(m) = √(σ_floor² + (1.0857 / S/N(m))²). A band whose true S/N falls below the survey's detection
// threshold is an upper limit and becomes *not observed* (never a number).
//   2MASS PSC: S/N = 10 at J = 15.8, H = 15.1, Ks = 14.3 (Skrutskie et al. 2006, AJ 131, 1163, Sect. 2.2);
//     sources kept down to S/N ≈ 7 (the PSC's detection criterion, same section); calibration floor
//     0.02 mag (Skrutskie et al. 2006, Sect. 4: ~0.02 mag photometric repeatability for bright stars);
//     saturation of the 51 ms exposures near J ≈ 9, corrected by the 1.3 s read; not modelled.
//   AllWISE: S/N = 5 at W1 = 16.9, W2 = 16.0, W3 = 11.5, W4 = 8.0 (Vega; the AllWISE Explanatory
//     Supplement, Cutri et al. 2013, Sect. 2.2, typical depth at the ecliptic); the catalogue keeps
//     S/N ≥ 5 in some band and reports an upper limit where S/N < 2 (w?sigmpro null); floors 0.02 (W1, W2),
//     0.04 (W3), 0.08 (W4) from the calibration uncertainties of Jarrett et al. 2011, ApJ 735, 112.
import type { Band } from '../physics/bands.ts';

export interface DepthModel {
  band: Band;
  /** Magnitude at which S/N = snrRef. */
  magRef: number;
  snrRef: number;
  /** Minimum true S/N for a measured value (below: not observed). */
  snrDetect: number;
  floorMag: number;
}

export const TMASS_DEPTH: readonly DepthModel[] = [
  { band: 'tmass.j', magRef: 15.8, snrRef: 10, snrDetect: 7, floorMag: 0.02 },
  { band: 'tmass.h', magRef: 15.1, snrRef: 10, snrDetect: 7, floorMag: 0.02 },
  { band: 'tmass.ks', magRef: 14.3, snrRef: 10, snrDetect: 7, floorMag: 0.02 },
];

export const WISE_DEPTH: readonly DepthModel[] = [
  { band: 'wise.w1', magRef: 16.9, snrRef: 5, snrDetect: 2, floorMag: 0.02 },
  { band: 'wise.w2', magRef: 16.0, snrRef: 5, snrDetect: 2, floorMag: 0.02 },
  { band: 'wise.w3', magRef: 11.5, snrRef: 5, snrDetect: 2, floorMag: 0.04 },
  { band: 'wise.w4', magRef: 8.0, snrRef: 5, snrDetect: 2, floorMag: 0.08 },
];

const MINUS_0P4_LN10 = -0.4 * Math.LN10;

export function snr(depth: DepthModel, mag: number): number {
  return depth.snrRef * Math.exp(MINUS_0P4_LN10 * (mag - depth.magRef));
}

/** 1σ magnitude uncertainty at a true magnitude. */
export function infraredError(depth: DepthModel, mag: number): number {
  return errorAtSnr(depth, snr(depth, mag));
}

/** 1σ magnitude uncertainty at a signal-to-noise ratio (the floor added in quadrature). */
export function errorAtSnr(depth: DepthModel, s: number): number {
  const noise = 1.0857362047581294 / s;
  return Math.sqrt(depth.floorMag * depth.floorMag + noise * noise);
}
