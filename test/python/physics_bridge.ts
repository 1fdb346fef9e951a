// Test bridge for test/python/test_physics_*.py: reads a JSON list of requests (file path in argv[2]) and
// prints the TypeScript engine's answers as JSON, so the Python oracles (speclite, pyphot,
// dust_extinction, ysoisochrone) can compare against the very code the app runs.
import { readFileSync } from 'node:fs';
import { BANDS, loadPassbands, loadVega, type Spectrum } from '../../electron/forward/physics/bands.ts';
import { extinctionCurve, type ExtinctionLaw } from '../../electron/forward/physics/extinction.ts';
import { abMagnitude, vegaMagnitude } from '../../electron/forward/physics/synthetic-photometry.ts';
import { forwardStar } from '../../electron/forward/physics/star.ts';
import { xpSpectrum } from '../../electron/forward/physics/xp.ts';
import { surveySpectrum, type SurveyName } from '../../electron/forward/physics/survey-spectra.ts';
import type { LibraryName } from '../../electron/forward/physics/atmospheres.ts';
import { loadRobitailleModelSet } from '../../electron/forward/physics/robitaille.ts';
import { loadIsochrones, type IsochroneSetName } from '../../electron/forward/physics/isochrones.ts';

type Request =
  | { kind: 'photometry'; wavelength: number[]; flux: number[] }
  | { kind: 'extinction'; law: ExtinctionLaw; rv: number; wavelength: number[] }
  | { kind: 'robitaille'; dir: string; filters: string[] }
  | { kind: 'isochrone'; set: IsochroneSetName; massInit: number[]; logAge: number[]; mh: number[] }
  | {
      kind: 'survey';
      survey: SurveyName;
      teff: number;
      logg: number;
      mh: number;
      radius: number;
      distance: number;
    }
  | {
      kind: 'star' | 'xp';
      teff: number;
      logg: number;
      mh: number;
      radius: number;
      distance: number;
      av: number;
      rv: number;
      library: LibraryName;
    };

const requests = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Request[];
const bands = loadPassbands();
const vega = loadVega();

const answers = requests.map((req) => {
  switch (req.kind) {
    case 'photometry': {
      const spec: Spectrum = {
        wavelength: Float64Array.from(req.wavelength),
        flux: Float64Array.from(req.flux),
      };
      const ab: Record<string, number> = {};
      const vg: Record<string, number> = {};
      bands.forEach((band, i) => {
        const name = BANDS[i] as string;
        ab[name] = abMagnitude(spec, band);
        vg[name] = vegaMagnitude(spec, band, vega);
      });
      return { ab, vega: vg };
    }
    case 'extinction':
      return { axav: Array.from(extinctionCurve(req.law, req.wavelength, req.rv)) };
    case 'isochrone': {
      const r = loadIsochrones(req.set).interpolate({
        massInit: Float64Array.from(req.massInit),
        logAge: Float64Array.from(req.logAge),
        mh: Float64Array.from(req.mh),
      });
      return {
        teff: Array.from(r.teff, (x) => (Number.isFinite(x) ? x : null)),
        logL: Array.from(r.logL, (x) => (Number.isFinite(x) ? x : null)),
      };
    }
    case 'robitaille': {
      const set = loadRobitailleModelSet(req.dir, req.filters);
      const filters = Object.fromEntries(
        Object.entries(set.filters).map(([k, f]) => [
          k,
          {
            wavelengthUm: f.wavelengthUm,
            apertures: Array.from(f.apertures),
            flux: Array.from(f.flux),
            fluxError: Array.from(f.fluxError),
          },
        ]),
      );
      const parameters = Object.fromEntries(
        Object.entries(set.parameters).map(([k, v]) => [k, Array.from(v)]),
      );
      return { config: set.config, modelNames: set.modelNames, parameters, filters };
    }
    case 'survey': {
      const { teff, logg, mh, radius, distance } = req;
      const r = surveySpectrum(req.survey, { teff, logg, mh, radius, distancePc: distance, av: 0, rv: 3.1 });
      return {
        wavelength: Array.from(r.wavelength),
        flux: Array.from(r.flux),
        error: Array.from(r.error),
        snr: r.snr,
      };
    }
    case 'star':
    case 'xp': {
      const star = { teff: req.teff, logg: req.logg, mh: req.mh, radius: req.radius };
      const obs = {
        distancePc: req.distance,
        av: req.av,
        rv: req.rv,
        library: req.library,
        law: 'G23' as const,
      };
      return req.kind === 'star' ? forwardStar(star, obs) : xpSpectrum(star, obs);
    }
  }
});
process.stdout.write(JSON.stringify(answers));
