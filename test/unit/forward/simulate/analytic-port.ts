// A deliberately simple photometry stand-in for the pipeline's plumbing tests (determinism, schemas,
// masks): main-sequence mass–luminosity and colour relations, fixed extinction ratios. It is not
// physics and is never used outside tests; the real port wraps electron/forward/physics.
import { BANDS, type Band } from '../../../../electron/forward/physics/bands.ts';
import type {
  PhotometryPort,
  StarInputs,
  StarOutputs,
} from '../../../../electron/forward/simulate/photometry-port.ts';

const A_OVER_AV: Record<Band, number> = {
  'gaia.g': 0.84,
  'gaia.bp': 1.08,
  'gaia.rp': 0.63,
  'tmass.j': 0.28,
  'tmass.h': 0.18,
  'tmass.ks': 0.12,
  'wise.w1': 0.07,
  'wise.w2': 0.05,
  'wise.w3': 0.03,
  'wise.w4': 0.02,
};
/** Colour offsets from G per unit of (5772/Teff - 1). */
const COLOUR: Record<Band, number> = {
  'gaia.g': 0,
  'gaia.bp': 0.6,
  'gaia.rp': -0.9,
  'tmass.j': -2.2,
  'tmass.h': -2.8,
  'tmass.ks': -3.0,
  'wise.w1': -3.1,
  'wise.w2': -3.15,
  'wise.w3': -3.2,
  'wise.w4': -3.25,
};

export function analyticPort(): PhotometryPort {
  return {
    description: { kind: 'analytic test stand-in' },
    bands: BANDS,
    logAgeRange: [6, 10.13],
    mhRange: [-2.5, 0.5],
    compute(inputs: StarInputs, out: StarOutputs): void {
      for (let i = 0; i < inputs.count; i++) {
        const m = inputs.massInit[i] as number;
        const lifetime = 1e10 * m ** -2.5;
        const alive = 10 ** (inputs.logAge[i] as number) < lifetime;
        out.alive[i] = alive ? 1 : 0;
        const logL = 4 * Math.log10(m);
        const teff = 5772 * m ** 0.5;
        out.teff[i] = teff;
        out.logLum[i] = logL;
        out.radius[i] = m ** 0.8;
        out.logg[i] = 4.44 + Math.log10(m) - 2 * Math.log10(m ** 0.8);
        const mBol = 4.74 - 2.5 * logL;
        const x = 5772 / teff - 1;
        for (const band of BANDS) {
          out.absMag[band][i] = alive
            ? mBol + COLOUR[band] * x + A_OVER_AV[band] * (inputs.av[i] as number)
            : Number.NaN;
        }
      }
    },
  };
}
