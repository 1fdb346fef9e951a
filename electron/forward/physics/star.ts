// One star through the forward model by direct integration (no tables): SED from the atmosphere library,
// scaled by (R/d)^2, reddened with A_V and R_V, integrated through every passband. This is the reference
// path the tables are checked against and what `cradle forward star` prints.
import { BANDS, loadPassbands, loadVega, type Band } from './bands.ts';
import { extinctionForSed, type ExtinctionLaw } from './extinction.ts';
import {
  loadLibrary,
  SED_FILLED,
  SED_LOGG_CLAMPED,
  SED_MH_IGNORED,
  SED_OUTSIDE,
  type LibraryName,
} from './atmospheres.ts';
import { bandFlux } from './synthetic-photometry.ts';
import { logLFromRadius } from './bc-tables.ts';
import {
  FLAG_DEAD,
  FLAG_OUTSIDE,
  FLAG_SOLAR_ONLY,
  loadIsochrones,
  type IsochroneSetName,
} from './isochrones.ts';

const RSUN_CM = 6.957e10; // IAU 2015 B3 nominal solar radius
const PC_CM = 3.085677581491367e18;

export interface StarAtmosphere {
  readonly teff: number;
  readonly logg: number;
  readonly mh: number;
  /** Rsun */
  readonly radius: number;
}

export interface Observation {
  readonly distancePc: number;
  readonly av: number;
  readonly rv: number;
  readonly library: LibraryName;
  readonly law: ExtinctionLaw;
}

export interface ObservedSed {
  /** Angstrom */
  readonly wavelength: Float64Array;
  /** F_lambda at the observer, erg s-1 cm-2 A-1 */
  readonly flux: Float64Array;
  readonly warnings: string[];
}

export interface StarResult {
  readonly teff: number;
  readonly logg: number;
  readonly logL: number;
  readonly radius: number;
  readonly mags: Record<Band, number>;
  readonly warnings: string[];
}

function sedWarnings(flags: number, teff: number): string[] {
  const out: string[] = [];
  if (flags & SED_OUTSIDE) out.push(`Teff ${teff} K or [M/H] outside the atmosphere grid`);
  if (flags & SED_FILLED) out.push('SED uses gravity-filled grid nodes (no model at that log g)');
  if (flags & SED_MH_IGNORED) out.push('[M/H] not (fully) followed below 3750 K: BT-Settl is solar only');
  if (flags & SED_LOGG_CLAMPED) out.push('log g clamped to the atmosphere grid');
  return out;
}

/** The star's SED at the observer. */
export function observedSed(star: StarAtmosphere, obs: Observation): ObservedSed {
  const lib = loadLibrary(obs.library);
  if (!(star.teff >= lib.teffRange[0] && star.teff <= lib.teffRange[1])) {
    throw new Error(
      `Teff ${star.teff} K is outside the ${obs.library} library (${lib.teffRange[0]}-${lib.teffRange[1]} K)`,
    );
  }
  if (!(star.radius > 0) || !(obs.distancePc > 0)) {
    throw new Error(`radius (${star.radius} Rsun) and distance (${obs.distancePc} pc) must be positive`);
  }
  if (!(obs.av >= 0)) throw new Error(`A_V must be >= 0 (got ${obs.av})`);
  const { flux, flags } = lib.surfaceSpectrum(star.teff, star.logg, star.mh);
  const dilution = ((star.radius * RSUN_CM) / (obs.distancePc * PC_CM)) ** 2;
  const a = extinctionForSed(obs.law, lib.wavelength, obs.rv);
  for (let k = 0; k < flux.length; k++)
    flux[k] = (flux[k] as number) * dilution * 10 ** (-0.4 * obs.av * (a[k] as number));
  return { wavelength: lib.wavelength, flux, warnings: sedWarnings(flags, star.teff) };
}

export function forwardStar(star: StarAtmosphere, obs: Observation): StarResult {
  const sed = observedSed(star, obs);
  const vega = loadVega();
  const mags = {} as Record<Band, number>;
  loadPassbands().forEach((band, i) => {
    mags[BANDS[i] as Band] = -2.5 * Math.log10(bandFlux(sed, band) / bandFlux(vega, band));
  });
  const logL = logLFromRadius(star.radius, star.teff);
  return { teff: star.teff, logg: star.logg, logL, radius: star.radius, mags, warnings: sed.warnings };
}

/** (initial mass, age, [M/H]) -> atmosphere parameters through an isochrone set; throws if there is none. */
export function starFromIsochrones(
  massInit: number,
  ageYr: number,
  mh: number,
  set: IsochroneSetName,
): StarAtmosphere & { logL: number; warnings: string[] } {
  if (!(massInit > 0) || !(ageYr > 0))
    throw new Error(`--mass (${massInit}) and --age (${ageYr}) must be positive`);
  const iso = loadIsochrones(set);
  const r = iso.interpolate({
    massInit: Float64Array.of(massInit),
    logAge: Float64Array.of(Math.log10(ageYr)),
    mh: Float64Array.of(mh),
  });
  const f = r.flags[0] as number;
  if (f & FLAG_DEAD)
    throw new Error(`isochrones ${set}: a ${massInit} Msun star has ended its evolution by ${ageYr} yr`);
  if (f & FLAG_OUTSIDE) {
    throw new Error(
      `isochrones ${set}: (mass ${massInit} Msun, age ${ageYr} yr, [M/H] ${mh}) is outside the grid (mass ${iso.massRange[0]}-${iso.massRange[1]} Msun, log age ${iso.logAgeRange[0]}-${iso.logAgeRange[1]}, [M/H] ${iso.mhRange[0]}-${iso.mhRange[1]})`,
    );
  }
  const warnings =
    f & FLAG_SOLAR_ONLY ? [`isochrones ${set} are solar only: [M/H] ${mh} used for the atmosphere only`] : [];
  return {
    teff: r.teff[0] as number,
    logg: r.logg[0] as number,
    mh,
    radius: r.radius[0] as number,
    logL: r.logL[0] as number,
    warnings,
  };
}
