// The ten photometric bands Cradle simulates (canonical observable names) with their passbands and the
// Vega spectrum that sets the zero points. Curves come from speclite 1.0 and Vega from CALSPEC
// alpha_lyr_stis_011 (Bohlin et al. 2020) via assets/grids; all ten curves are photon-counting (Riello et
// al. 2021; Cohen et al. 2003; Wright et al. 2010), recorded per band so the weighting is never guessed.
import { defaultGridDir, loadGrid } from './grid-file.ts';

export const BANDS = [
  'gaia.g',
  'gaia.bp',
  'gaia.rp',
  'tmass.j',
  'tmass.h',
  'tmass.ks',
  'wise.w1',
  'wise.w2',
  'wise.w3',
  'wise.w4',
] as const;
export type Band = (typeof BANDS)[number];

export type Weighting = 'photon' | 'energy';

export interface Passband {
  readonly name: string;
  /** Angstrom, increasing */
  readonly wavelength: Float64Array;
  readonly response: Float64Array;
  readonly weighting: Weighting;
}

export interface Spectrum {
  /** Angstrom, increasing */
  readonly wavelength: Float64Array;
  /** F_lambda, erg s-1 cm-2 A-1 */
  readonly flux: Float64Array;
}

export function isBand(name: string): name is Band {
  return (BANDS as readonly string[]).includes(name);
}

export function loadPassband(band: Band, dir = defaultGridDir()): Passband {
  const grid = loadGrid('filters', dir);
  return {
    name: band,
    wavelength: grid.float64(`${band}.wavelength`),
    response: grid.float64(`${band}.response`),
    weighting: 'photon',
  };
}

export function loadPassbands(dir = defaultGridDir()): Passband[] {
  return BANDS.map((b) => loadPassband(b, dir));
}

export function loadVega(dir = defaultGridDir()): Spectrum {
  const grid = loadGrid('vega', dir);
  return { wavelength: grid.float64('wavelength'), flux: grid.float64('flux') };
}
