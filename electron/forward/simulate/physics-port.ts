// The photometry the simulator runs on: electron/forward/physics' isochrones (initial mass, age, [M/H]
// → Teff, log g, L, R) followed by its bolometric-correction tables (Teff, log g, [M/H], A_V, R_V → BC per
// band), giving extincted absolute magnitudes in the ten bands. Only the wiring lives here.
import { BANDS } from '../physics/bands.ts';
import { bcTable } from '../physics/bc-tables.ts';
import { isIsochroneSetName, loadIsochrones } from '../physics/isochrones.ts';
import { XP_N, XpBatchModel } from '../physics/xp.ts';
import type { LibraryName } from '../physics/atmospheres.ts';
import type { PhotometryPort, StarInputs, StarOutputs, XpInputs } from './photometry-port.ts';

export interface PhysicsPortOptions {
  isochrones?: string;
  library?: string;
}

export function physicsPort(options: PhysicsPortOptions = {}): PhotometryPort {
  const isoName = options.isochrones ?? 'parsec12';
  if (!isIsochroneSetName(isoName)) throw new Error(`photometry: unknown isochrone set '${isoName}'`);
  const libraryName = options.library ?? 'kurucz';
  if (libraryName !== 'kurucz' && libraryName !== 'btsettl') {
    throw new Error(`photometry: unknown atmosphere library '${libraryName}' (kurucz or btsettl)`);
  }
  const library: LibraryName = libraryName;
  const iso = loadIsochrones(isoName);
  const table = bcTable(library, 'G23');
  let xpModel: XpBatchModel | null = null;
  return {
    xpLength: XP_N,
    xp(stars: XpInputs, flux: Float32Array, error: Float32Array): void {
      xpModel ??= new XpBatchModel(library, 'G23');
      xpModel.run(stars, flux, error);
    },
    description: {
      isochrones: isoName,
      atmospheres: library,
      extinctionLaw: 'G23 (Gordon et al. 2023)',
      bolometricCorrections: 'physics/bc-tables',
    },
    bands: BANDS,
    logAgeRange: iso.logAgeRange,
    mhRange: iso.mhRange,
    compute(inputs: StarInputs, out: StarOutputs): void {
      const n = inputs.count;
      const stars = iso.interpolate({
        massInit: inputs.massInit.subarray(0, n),
        logAge: inputs.logAge.subarray(0, n),
        mh: inputs.mh.subarray(0, n),
      });
      const phot = table.photometry({
        teff: stars.teff,
        logg: stars.logg,
        mh: inputs.mh.subarray(0, n),
        logL: stars.logL,
        av: inputs.av.subarray(0, n),
        rv: inputs.rv.subarray(0, n),
        distancePc: new Float64Array(n).fill(10),
      });
      out.teff.set(stars.teff);
      out.logg.set(stars.logg);
      out.logLum.set(stars.logL);
      out.radius.set(stars.radius);
      for (let i = 0; i < n; i++) {
        out.alive[i] = Number.isFinite(stars.teff[i]) && phot.flags[i] === 0 ? 1 : 0;
      }
      for (const band of BANDS) {
        const src = phot.mags[band];
        const dst = out.absMag[band];
        for (let i = 0; i < n; i++) dst[i] = src[i] as number;
      }
    },
  };
}
