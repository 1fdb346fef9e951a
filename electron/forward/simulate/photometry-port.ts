// The one seam between the simulator and the physics: stars' physical parameters in typed arrays in,
// their stellar parameters and extincted absolute magnitudes per band out. The pipeline adds distance
// moduli, binaries and noise; it never computes a magnitude itself. The implementation that the app
// uses wraps electron/forward/physics (isochrones + bolometric-correction tables); tests may pass a
// small analytic stand-in to check the plumbing.
import type { Band } from '../physics/bands.ts';

export interface StarInputs {
  count: number;
  logAge: Float64Array;
  massInit: Float64Array;
  mh: Float64Array;
  av: Float64Array;
  rv: Float64Array;
}

export interface StarOutputs {
  teff: Float64Array;
  logg: Float64Array;
  logLum: Float64Array;
  radius: Float64Array;
  /** Absolute magnitude in each band including extinction (M + A_band), NaN where the star is absent. */
  absMag: Record<Band, Float64Array>;
  /** 1 where the (age, mass, [M/H]) node exists on the isochrones (a living star), else 0. */
  alive: Uint8Array;
}

export interface PhotometryPort {
  /** For the manifest: isochrone set, atmosphere library, extinction law, assets hash. */
  readonly description: Record<string, string>;
  readonly bands: readonly Band[];
  /** log10(age/yr) span of the isochrones: younger or older stars come back not alive. */
  readonly logAgeRange: readonly [number, number];
  /** [M/H] span of the isochrones: the simulator keeps stars inside it (the metal-poor halo tail is
   * clamped to the grid's lowest [M/H], and the truth records the clamped value). */
  readonly mhRange: readonly [number, number];
  /** Options for the same factory in a worker thread that let it share this port's tables (shared
   * memory) instead of building its own; absent: workers build from the spec's options. */
  workerOptions?(): Record<string, unknown>;
  /** Fills `out` (arrays of at least `inputs.count`) for the first `inputs.count` stars. */
  compute(inputs: StarInputs, out: StarOutputs): void;
  /** Gaia XP-like spectra (XP_LENGTH fluxes per star, row-major) and their 1σ errors, when the physics
   * offers them. */
  readonly xpLength?: number;
  xp?(stars: XpInputs, flux: Float32Array, error: Float32Array): void;
  /** LAMOST/APOGEE/BOSS-like spectra, when the physics offers them (built on first use). */
  surveySpectra?(survey: SurveyKey): SurveySpectraPort;
}

export type SurveyKey = 'lamost' | 'apogee' | 'boss';

export interface SurveySpectraPort {
  pixels: number;
  /** Unit of the fluxes (for the column metadata). */
  unit: string;
  /** For the manifest: wavelength grid and resolution. */
  description: Record<string, unknown>;
  /** Noisy spectra and their 1σ errors (row-major, `pixels` per star) and SPEC_* flags per star; bit 1
   * (outside the library) leaves the star's row NaN. */
  run(
    stars: XpInputs,
    noisy: Float32Array,
    error: Float32Array,
    flags: Uint8Array,
    random: () => number,
  ): void;
}

export interface XpInputs {
  teff: Float64Array;
  logg: Float64Array;
  mh: Float64Array;
  logL: Float64Array;
  av: Float64Array;
  rv: Float64Array;
  distancePc: Float64Array;
}

export function allocateOutputs(bands: readonly Band[], capacity: number): StarOutputs {
  const absMag = {} as Record<Band, Float64Array>;
  for (const band of bands) absMag[band] = new Float64Array(capacity);
  return {
    teff: new Float64Array(capacity),
    logg: new Float64Array(capacity),
    logLum: new Float64Array(capacity),
    radius: new Float64Array(capacity),
    absMag,
    alive: new Uint8Array(capacity),
  };
}

export function allocateInputs(capacity: number): StarInputs {
  return {
    count: 0,
    logAge: new Float64Array(capacity),
    massInit: new Float64Array(capacity),
    mh: new Float64Array(capacity),
    av: new Float64Array(capacity),
    rv: new Float64Array(capacity),
  };
}
