// The Star view's photometry: the run's colour–magnitude diagram (the Galaxy view's worker prepares the
// run's stars and their Gaia colours; electron/galaxy) and a star's observed SED against the posterior
// predictive — its kept posterior samples (through runs.star) pushed through the forward model
// (electron/forward/predictive.ts), summarised per band as median and 16–84% — next to the observed
// magnitudes and errors the run's input catalogue gives under its survey recognition.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { MethodArgs, MethodResult } from '../api/methods.ts';
import { assessQuantity } from '../catalog/quality.ts';
import { BANDS } from '../forward/physics/bands.ts';
import { pivotWavelengths, predictMagnitudes, type ParameterDraws } from '../forward/predictive.ts';
import { prepareGalaxyInWorker } from '../galaxy/prepare.ts';
import { openRun, type RunTables } from '../galaxy/run-source.ts';
import { SUMMARY_FILE } from '../inference/run-folder.ts';
import { quantileSorted } from '../inference/summary.ts';

type StarHandler = (args: MethodArgs<'runs.star'>) => Promise<MethodResult<'runs.star'>>;

/** Values held for parameters a model does not infer: solar [M/H], no dust, R_V = 3.1. */
const HELD: Record<'mh' | 'av' | 'rv', number> = { mh: 0, av: 0, rv: 3.1 };

function summaryKey(runDir: string): string {
  const s = statSync(join(runDir, SUMMARY_FILE));
  return `${runDir}:${s.size}:${s.mtimeMs}`;
}

export function starPhotometryHandlers(star: StarHandler): {
  'runs.cmd': (args: MethodArgs<'runs.cmd'>) => Promise<MethodResult<'runs.cmd'>>;
  'runs.predictive': (args: MethodArgs<'runs.predictive'>) => Promise<MethodResult<'runs.predictive'>>;
} {
  let opened: { key: string; run: Promise<RunTables> } | null = null;
  const runOf = (runDir: string): Promise<RunTables> => {
    const key = summaryKey(runDir);
    if (opened?.key !== key) {
      const run = openRun(runDir);
      run.catch(() => (opened = null));
      opened = { key, run };
    }
    return opened.run;
  };
  let cmd: { key: string; value: Promise<MethodResult<'runs.cmd'>> } | null = null;
  return {
    'runs.cmd': ({ runDir }) => {
      const key = summaryKey(runDir);
      if (cmd?.key !== key) {
        const value = prepareGalaxyInWorker(runDir).then((stars) => ({
          row: stars.inputRow!,
          colour: stars.colour,
          absMag: stars.absMag,
        }));
        value.catch(() => (cmd = null));
        cmd = { key, value };
      }
      return cmd.value;
    },
    'runs.predictive': async ({ runDir, row, draws }) => {
      const posterior = await star({ runDir, row });
      const samplesOf = (name: string): Float32Array | null =>
        posterior.parameters.find((p) => p.name === name)?.samples ?? null;
      const mass = samplesOf('mass_init');
      const age = samplesOf('log_age');
      if (mass === null || age === null)
        throw new Error(
          `${runDir}: the posterior predictive needs kept samples of mass_init and log_age (run with “keep samples” and a model that infers both)`,
        );
      const run = await runOf(runDir);
      const inputRow = run.inputRow[row];
      if (inputRow === undefined) throw new Error(`${runDir}: no star at row ${row}`);
      const notes: string[] = [];
      const n = Math.min(draws, mass.length);
      const pick = (values: Float32Array): Float64Array =>
        Float64Array.from({ length: n }, (_, k) => values[Math.floor((k * values.length) / n)]!);
      const held = (name: keyof typeof HELD): Float64Array => {
        const values = samplesOf(name);
        if (values !== null) return pick(values);
        notes.push(`${name} is not a parameter of the model: held at ${HELD[name]}`);
        return new Float64Array(n).fill(HELD[name]);
      };
      let distancePc: Float64Array;
      const distance = samplesOf('distance_pc');
      if (distance !== null) distancePc = pick(distance);
      else {
        const parallax = run.recognition.has('gaia.parallax')
          ? assessQuantity(run.input, run.recognition, 'gaia.parallax')
          : null;
        const p =
          parallax !== null && parallax.observed[inputRow] === 1 ? parallax.values[inputRow]! : Number.NaN;
        if (!(p > 0))
          throw new Error(`${runDir}: row ${row} has neither distance samples nor a positive parallax`);
        notes.push(`distance_pc is not a parameter of the model: 1/parallax = ${(1000 / p).toFixed(0)} pc`);
        distancePc = new Float64Array(n).fill(1000 / p);
      }
      const parameterDraws: ParameterDraws = {
        massInit: pick(mass),
        logAge: pick(age),
        mh: held('mh'),
        av: held('av'),
        rv: held('rv'),
        distancePc,
      };
      const predicted = predictMagnitudes(parameterDraws);
      const pivots = pivotWavelengths();
      const bands = BANDS.map((band) => {
        const observed = run.recognition.has(band) ? assessQuantity(run.input, run.recognition, band) : null;
        const seen = observed !== null && observed.observed[inputRow] === 1;
        const error = seen ? observed.errors[inputRow]! : Number.NaN;
        const values = predicted.mags[band].filter((m) => Number.isFinite(m)).sort();
        const q = (level: number): number | null =>
          values.length === 0 ? null : quantileSorted(values, level);
        return {
          name: band,
          wavelength: pivots[band],
          observed: seen ? observed.values[inputRow]! : null,
          observedError: Number.isFinite(error) ? error : null,
          median: q(0.5),
          p16: q(0.16),
          p84: q(0.84),
        };
      });
      return { bands, draws: n, alive: predicted.alive, notes };
    },
  };
}
