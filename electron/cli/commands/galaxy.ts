// `cradle galaxy`: the Galaxy view's engine steps on JSON input, for scripts and the Python parity
// tests — `frames` (ICRS → Galactic / galactocentric positions and tangential velocities) and
// `hdbscan` (cluster labels for rows of points).
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  galacticToCartesian,
  icrsToGalactic,
  icrsToGalactocentric,
  properMotionToGalactic,
  tangentialVelocityKms,
} from '../../galaxy/frames.ts';
import { approximatePredict, hdbscan } from '../../galaxy/hdbscan.ts';

const FramesInput = z.object({
  ra: z.array(z.number()),
  dec: z.array(z.number()),
  distance_pc: z.array(z.number()),
  pmra: z.array(z.number()),
  pmdec: z.array(z.number()),
});

const PointsInput = z.object({
  points: z.array(z.array(z.number()).min(1)).min(1),
  /** Further points to place in the finished clustering (approximatePredict). */
  predict: z.array(z.array(z.number()).min(1)).optional(),
});

async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `${file}: not readable JSON (${error instanceof Error ? error.message : String(error)})`,
      {
        cause: error,
      },
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid input'}`);
  }
  return parsed.data;
}

function frames(input: z.infer<typeof FramesInput>): Record<string, number[]> {
  const out: Record<string, number[]> = {
    l: [],
    b: [],
    x: [],
    y: [],
    z: [],
    gc_x: [],
    gc_y: [],
    gc_z: [],
    pm_l_cosb: [],
    pm_b: [],
    v_l: [],
    v_b: [],
  };
  const push = (key: string, value: number): void => {
    out[key]!.push(value);
  };
  input.ra.forEach((ra, i) => {
    const dec = input.dec[i];
    const distance = input.distance_pc[i];
    const pmra = input.pmra[i];
    const pmdec = input.pmdec[i];
    if (dec === undefined || distance === undefined || pmra === undefined || pmdec === undefined)
      throw new Error(`galaxy frames: row ${i} lacks dec, distance_pc, pmra or pmdec`);
    const { lDeg, bDeg } = icrsToGalactic(ra, dec);
    const [x, y, z] = galacticToCartesian(lDeg, bDeg, distance);
    const [gx, gy, gz] = icrsToGalactocentric(ra, dec, distance);
    const pm = properMotionToGalactic(ra, dec, pmra, pmdec);
    push('l', lDeg);
    push('b', bDeg);
    push('x', x);
    push('y', y);
    push('z', z);
    push('gc_x', gx);
    push('gc_y', gy);
    push('gc_z', gz);
    push('pm_l_cosb', pm.pmLCosB);
    push('pm_b', pm.pmB);
    push('v_l', tangentialVelocityKms(pm.pmLCosB, distance));
    push('v_b', tangentialVelocityKms(pm.pmB, distance));
  });
  return out;
}

export function registerGalaxyCommand(program: Command): void {
  const galaxy = program.command('galaxy').description('Galaxy view engine: frames and clustering');
  galaxy
    .command('frames')
    .description('ICRS (ra, dec, distance_pc, pmra, pmdec) → Galactic, galactocentric, tangential velocities')
    .requiredOption('--in <file>', 'JSON with arrays ra, dec (deg), distance_pc, pmra, pmdec (mas/yr)')
    .action(async (flags: { in: string }) => {
      process.stdout.write(`${JSON.stringify(frames(await readJson(flags.in, FramesInput)))}\n`);
    });
  galaxy
    .command('hdbscan')
    .description('HDBSCAN labels (−1: noise) for rows of points, and for further points placed in the result')
    .requiredOption('--in <file>', 'JSON {"points": [[x, y, ...], ...], "predict"?: [[x, y, ...], ...]}')
    .requiredOption('--min-cluster-size <n>', 'smallest cluster')
    .option('--min-samples <n>', 'neighbours in the core distance (default: min cluster size)')
    .action(async (flags: { in: string; minClusterSize: string; minSamples?: string }) => {
      const { points, predict } = await readJson(flags.in, PointsInput);
      const dim = points[0]!.length;
      for (const [name, rows] of [
        ['points', points],
        ['predict', predict ?? []],
      ] as const)
        if (rows.some((row) => row.length !== dim))
          throw new Error(`${flags.in}: ${name}: every row must have ${dim} coordinates`);
      const started = performance.now();
      const result = hdbscan(Float64Array.from(points.flat()), dim, {
        minClusterSize: Number(flags.minClusterSize),
        ...(flags.minSamples === undefined ? {} : { minSamples: Number(flags.minSamples) }),
      });
      const seconds = (performance.now() - started) / 1000;
      const rows = predict === undefined ? undefined : Float64Array.from(predict.flat());
      const placing = performance.now();
      const placed = rows === undefined ? undefined : approximatePredict(result.prediction, rows);
      const predictSeconds = (performance.now() - placing) / 1000;
      process.stdout.write(
        `${JSON.stringify({
          labels: [...result.labels],
          clusters: result.clusterCount,
          seconds,
          ...(placed === undefined
            ? {}
            : {
                predicted: { labels: [...placed.labels], probabilities: [...placed.probabilities] },
                predict_seconds: predictSeconds,
              }),
        })}\n`,
      );
    });
}
