// Turns true apparent values into what the surveys would have published, star by star: which
// observables exist (depth, coverage, faint-end incompleteness, random dropouts) and their noisy values
// and reported uncertainties. A missing observable is NaN here and null in every file written; it is
// never replaced by a number.
import type { Band } from '../physics/bands.ts';
import type { Random } from '../simulate/random.ts';
import {
  bpRpProbability,
  gaiaDetectionProbability,
  gaiaMagnitudeErrorAt,
  gaiaParallaxError,
  GAIA_REFERENCE_NOBS,
  PM_SCALE,
  XP_G_LIMIT,
  type GaiaSplines,
} from './gaia.ts';
import { errorAtSnr, snr, TMASS_DEPTH, WISE_DEPTH } from './infrared.ts';
import { SPECTROSCOPIC_SURVEYS } from './spectroscopic.ts';

export interface SurveyOptions {
  dropout: number;
  gaiaNobsScale: number;
  modelFloorMag: number;
}

export interface TrueValues {
  rows: number;
  raDeg: Float64Array;
  decDeg: Float64Array;
  lDeg: Float64Array;
  bDeg: Float64Array;
  parallaxMas: Float64Array;
  pmraMasYr: Float64Array;
  pmdecMasYr: Float64Array;
  mag: Partial<Record<Band, Float64Array>>;
}

export interface Observations {
  /** Observed magnitude and its 1σ uncertainty per band; NaN = not observed. */
  mag: Partial<Record<Band, Float64Array>>;
  magErr: Partial<Record<Band, Float64Array>>;
  parallax: Float64Array;
  parallaxErr: Float64Array;
  pmra: Float64Array;
  pmraErr: Float64Array;
  pmdec: Float64Array;
  pmdecErr: Float64Array;
  /** 1 where DR3 would publish an XP spectrum. */
  hasXp: Uint8Array;
  /** 1 where the spectroscopic survey observed the star, per survey name. */
  spectra: Record<string, Uint8Array>;
}

const INFRARED_DEPTH = [...TMASS_DEPTH, ...WISE_DEPTH];
const BP_RP = [
  ['gaia.bp', 'bp'],
  ['gaia.rp', 'rp'],
] as const;

export function observe(
  truth: TrueValues,
  splines: GaiaSplines,
  options: SurveyOptions,
  rng: Random,
): Observations {
  const n = truth.rows;
  const nan = (): Float64Array => new Float64Array(n).fill(Number.NaN);
  const out: Observations = {
    mag: {},
    magErr: {},
    parallax: nan(),
    parallaxErr: nan(),
    pmra: nan(),
    pmraErr: nan(),
    pmdec: nan(),
    pmdecErr: nan(),
    hasXp: new Uint8Array(n),
    spectra: {},
  };
  const bands = Object.keys(truth.mag) as Band[];
  for (const band of bands) {
    out.mag[band] = nan();
    out.magErr[band] = nan();
  }
  const floor2 = options.modelFloorMag * options.modelFloorMag;
  const withFloor = (sigma: number): number => Math.sqrt(sigma * sigma + floor2);
  const keepAfterDropout = (): boolean => rng.uniform() >= options.dropout;
  const gTrue = truth.mag['gaia.g'];
  const hasGaia =
    gTrue !== undefined && truth.mag['gaia.bp'] !== undefined && truth.mag['gaia.rp'] !== undefined;
  const sigmaG = gaiaMagnitudeErrorAt(splines, 'g', GAIA_REFERENCE_NOBS.g * options.gaiaNobsScale);
  const sigmaBpRp = BP_RP.map(([band, key]) => ({
    trueMag: truth.mag[band],
    mag: out.mag[band],
    magErr: out.magErr[band],
    sigma: gaiaMagnitudeErrorAt(splines, key, GAIA_REFERENCE_NOBS[key] * options.gaiaNobsScale),
  }));
  const infrared = INFRARED_DEPTH.flatMap((depth) => {
    const trueMag = truth.mag[depth.band];
    return trueMag === undefined
      ? []
      : [
          {
            depth,
            trueMag,
            mag: out.mag[depth.band] as Float64Array,
            magErr: out.magErr[depth.band] as Float64Array,
          },
        ];
  });
  const plxScale = 1 / Math.sqrt(options.gaiaNobsScale);

  for (let i = 0; i < n; i++) {
    // Gaia: detection, then BP/RP, parallax and proper motions.
    if (hasGaia) {
      const g = gTrue[i] as number;
      const detected = rng.uniform() < gaiaDetectionProbability(g) && keepAfterDropout();
      const bpRpPresent = rng.uniform() < bpRpProbability(g);
      if (detected) {
        const sG = sigmaG(g);
        const gObs = g + sG * rng.normal();
        (out.mag['gaia.g'] as Float64Array)[i] = gObs;
        (out.magErr['gaia.g'] as Float64Array)[i] = withFloor(sG);
        if (bpRpPresent) {
          for (const band of sigmaBpRp) {
            const m = (band.trueMag as Float64Array)[i] as number;
            const s = band.sigma(m);
            (band.mag as Float64Array)[i] = m + s * rng.normal();
            (band.magErr as Float64Array)[i] = withFloor(s);
          }
        }
        const sPlx = gaiaParallaxError(g) * plxScale;
        out.parallax[i] = (truth.parallaxMas[i] as number) + sPlx * rng.normal();
        out.parallaxErr[i] = sPlx;
        out.pmra[i] = (truth.pmraMasYr[i] as number) + PM_SCALE.ra * sPlx * rng.normal();
        out.pmraErr[i] = PM_SCALE.ra * sPlx;
        out.pmdec[i] = (truth.pmdecMasYr[i] as number) + PM_SCALE.dec * sPlx * rng.normal();
        out.pmdecErr[i] = PM_SCALE.dec * sPlx;
        out.hasXp[i] = gObs < XP_G_LIMIT ? 1 : 0;
      }
    }
    // 2MASS and AllWISE: detected above their S/N threshold, then a random dropout per band.
    for (const { depth, trueMag, mag, magErr } of infrared) {
      const m = trueMag[i] as number;
      const noiseDraw = rng.normal();
      const kept = keepAfterDropout();
      const s = snr(depth, m);
      if (!(s >= depth.snrDetect) || !kept) continue;
      const sigma = errorAtSnr(depth, s);
      mag[i] = m + sigma * noiseDraw;
      magErr[i] = withFloor(sigma);
    }
  }

  for (const survey of SPECTROSCOPIC_SURVEYS) {
    const mask = new Uint8Array(n);
    const selectMag = truth.mag[survey.selectBand];
    if (selectMag !== undefined) {
      for (let i = 0; i < n; i++) {
        const m = selectMag[i] as number;
        const u = rng.uniform();
        const inside =
          m >= survey.magMin &&
          m <= survey.magMax &&
          survey.inFootprint(
            truth.raDeg[i] as number,
            truth.decDeg[i] as number,
            truth.lDeg[i] as number,
            truth.bDeg[i] as number,
          );
        mask[i] = inside && u < survey.fraction(truth.bDeg[i] as number) ? 1 : 0;
      }
    }
    out.spectra[survey.name] = mask;
  }
  return out;
}
