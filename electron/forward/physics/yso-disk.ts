// Young-stellar-object circumstellar emission: a disk (and optionally an envelope) added to the stellar
// SED in the infrared, with few documented parameters, enough to span the Class I / flat / II / III
// spectral indices in 2-24 um (Lada 1987; Greene et al. 1994).
//
// Disk: optically thick, geometrically thin, with a power-law temperature profile T(r) = T_in (r/r_in)^-q
// from the inner rim (T_in, dust sublimation ~1400 K) out to T_out (Adams, Lada & Shu 1987; Kenyon &
// Hartmann 1987). Each annulus radiates as a blackbody; seen at inclination i (0 = face-on) one face gives
//   F_lambda = cos(i) / d^2 * 2 pi r_in^2 * int_1^x_out B_lambda(T_in x^-q) x dx,   x = r / r_in,
// and r_in follows from the disk luminosity fraction f = L_disk / L_star with L_disk = 2 faces x
// int sigma T^4 2 pi r dr. The infrared slope is lambda F_lambda ~ lambda^(2/q - 4): q = 3/4 (flat
// reprocessing or accretion disk) gives -4/3 (Class II), q = 1/2 (strongly flared) gives 0 (flat).
// Envelope (Class I): reprocessed emission as a single-temperature dust grey body of luminosity fraction
// f_env and temperature T_env (lambda F_lambda peaking in the far-IR), with an extra A_V (G23) applied to
// the star and the disk that the envelope hides. These are deliberately simple: the Robitaille (2017) grid
// is the detailed alternative and is not shipped.
import { BANDS, loadPassbands } from './bands.ts';
import { extinctionForSed } from './extinction.ts';
import { observedSed, type Observation, type ObservedSed, type StarAtmosphere } from './star.ts';
import { bandFlux } from './synthetic-photometry.ts';

const H = 6.62607015e-27;
const C = 2.99792458e10;
const K_B = 1.380649e-16;
const SIGMA_SB = 5.670374419e-5;
const PC_CM = 3.085677581491367e18;

export interface DiskParams {
  /** inner-rim temperature, K (e.g. 1400, dust sublimation) */
  readonly innerTemp: number;
  /** L_disk / L_star (both faces), >= 0 */
  readonly lumFraction: number;
  /** q in T ~ r^-q (0.4-0.75; 0.75 = flat disk) */
  readonly tempIndex: number;
  /** degrees, 0 = face-on; < 90 */
  readonly inclinationDeg: number;
  /** outer edge temperature, K (default 20) */
  readonly outerTemp?: number;
}

export interface EnvelopeParams {
  /** L_env / L_star */
  readonly lumFraction: number;
  /** K */
  readonly temp: number;
  /** extra A_V in front of star and disk */
  readonly av: number;
}

export type YsoClass = 'I' | 'flat' | 'II' | 'III';

/** B_lambda(T) in erg s-1 cm-2 A-1 sr-1 at wavelength l (Angstrom) */
function planck(lAA: number, t: number): number {
  const l = lAA * 1e-8;
  const x = (H * C) / (l * K_B * t);
  if (x > 700) return 0;
  return ((2 * H * C * C) / l ** 5 / Math.expm1(x)) * 1e-8;
}

function checkDisk(p: DiskParams): void {
  if (!(
    p.innerTemp > 0 &&
    p.lumFraction >= 0 &&
    p.tempIndex > 0.25 &&
    p.tempIndex <= 1 &&
    p.inclinationDeg >= 0 &&
    p.inclinationDeg < 90
  )) {
    throw new Error(
      `YSO disk: need innerTemp > 0 K, lumFraction >= 0, 0.25 < tempIndex <= 1, 0 <= inclination < 90 deg (got ${JSON.stringify(p)})`,
    );
  }
}

/** Disk F_lambda at the observer (erg s-1 cm-2 A-1) on `wave` (Angstrom). */
export function diskFlux(
  wave: Float64Array,
  lStarLsun: number,
  distancePc: number,
  p: DiskParams,
): Float64Array {
  checkDisk(p);
  const out = new Float64Array(wave.length);
  if (p.lumFraction === 0) return out;
  const q = p.tempIndex;
  const xOut = (p.innerTemp / (p.outerTemp ?? 20)) ** (1 / q);
  // int_1^xOut x^(1-4q) dx
  const e = 2 - 4 * q;
  const lumInt = Math.abs(e) < 1e-9 ? Math.log(xOut) : (xOut ** e - 1) / e;
  const lStar = lStarLsun * 3.828e33; // IAU 2015 B3 nominal solar luminosity
  const rIn2 = (p.lumFraction * lStar) / (4 * Math.PI * SIGMA_SB * p.innerTemp ** 4 * lumInt);
  const d = distancePc * PC_CM;
  const geom = (Math.cos((p.inclinationDeg * Math.PI) / 180) * 2 * Math.PI * rIn2) / (d * d);
  // log-spaced annuli in x
  const nx = 96;
  const lnOut = Math.log(xOut);
  for (let k = 0; k < wave.length; k++) {
    let s = 0;
    for (let j = 0; j < nx; j++) {
      const lnx = ((j + 0.5) / nx) * lnOut;
      const x = Math.exp(lnx);
      // x dx = x^2 d(ln x)
      s += planck(wave[k] as number, p.innerTemp * x ** -q) * x * x * (lnOut / nx);
    }
    out[k] = geom * s;
  }
  return out;
}

/** Envelope grey-body F_lambda at the observer (erg s-1 cm-2 A-1). */
export function envelopeFlux(
  wave: Float64Array,
  lStarLsun: number,
  distancePc: number,
  p: EnvelopeParams,
): Float64Array {
  if (!(p.lumFraction >= 0 && p.temp > 0 && p.av >= 0))
    throw new Error(`YSO envelope: need lumFraction >= 0, temp > 0, av >= 0 (got ${JSON.stringify(p)})`);
  const out = new Float64Array(wave.length);
  const lEnv = p.lumFraction * lStarLsun * 3.828e33;
  const d = distancePc * PC_CM;
  // isotropic: F = L_env / (4 pi d^2) * pi B / (sigma T^4)
  const scale = lEnv / (4 * Math.PI * d * d) / (SIGMA_SB * p.temp ** 4);
  for (let k = 0; k < wave.length; k++) out[k] = scale * Math.PI * planck(wave[k] as number, p.temp);
  return out;
}

/** Star + disk (+ envelope) at the observer, on the atmosphere grid. */
export function ysoSed(
  star: StarAtmosphere,
  obs: Observation,
  disk: DiskParams,
  envelope?: EnvelopeParams,
): ObservedSed {
  const sed = observedSed(star, obs);
  const lStar = star.radius ** 2 * (star.teff / 5772) ** 4;
  const w = sed.wavelength;
  const dk = diskFlux(w, lStar, obs.distancePc, disk);
  const fore = extinctionForSed(obs.law, w, obs.rv);
  const flux = new Float64Array(w.length);
  const extraAv = envelope?.av ?? 0;
  const env = envelope ? envelopeFlux(w, lStar, obs.distancePc, envelope) : undefined;
  for (let k = 0; k < w.length; k++) {
    const a = fore[k] as number;
    // disk light is reddened by the same foreground A_V as the star (already in sed.flux), plus the envelope
    const inner =
      (sed.flux[k] as number) * 10 ** (-0.4 * extraAv * a) +
      (dk[k] as number) * 10 ** (-0.4 * (obs.av + extraAv) * a);
    flux[k] = inner + (env ? (env[k] as number) * 10 ** (-0.4 * obs.av * a) : 0);
  }
  return { wavelength: w, flux, warnings: sed.warnings };
}

/**
 * Infrared spectral index alpha = d log(lambda F_lambda) / d log(lambda) between 2MASS Ks and WISE W4
 * (2.2-22 um), from the band-averaged fluxes at the bands' photon-weighted mean wavelengths.
 */
export function spectralIndex(sed: ObservedSed): number {
  const bands = loadPassbands();
  const ks = bands[BANDS.indexOf('tmass.ks')];
  const w4 = bands[BANDS.indexOf('wise.w4')];
  if (!ks || !w4) throw new Error('spectral index: Ks and W4 passbands missing');
  const lam = (b: typeof ks): number => {
    let num = 0;
    let den = 0;
    for (let i = 1; i < b.wavelength.length; i++) {
      const dl = (b.wavelength[i] as number) - (b.wavelength[i - 1] as number);
      const l = 0.5 * ((b.wavelength[i] as number) + (b.wavelength[i - 1] as number));
      const s = 0.5 * ((b.response[i] as number) + (b.response[i - 1] as number));
      num += s * l * l * dl;
      den += s * l * dl;
    }
    return num / den;
  };
  const l1 = lam(ks);
  const l2 = lam(w4);
  const f1 = bandFlux(sed, ks) * l1;
  const f2 = bandFlux(sed, w4) * l2;
  return Math.log10(f2 / f1) / Math.log10(l2 / l1);
}

/** Greene et al. (1994) classes from the 2-24 um index. */
export function ysoClass(alpha: number): YsoClass {
  if (alpha >= 0.3) return 'I';
  if (alpha >= -0.3) return 'flat';
  if (alpha >= -1.6) return 'II';
  return 'III';
}
