// Probe for test_inference_parity.py: runs the engine's sampler on stars given in physical units and
// prints, per star, the latent variable indices, the initial noise the engine drew and the samples it
// produced (network space), plus the physical summaries. Input: a JSON file (see the test).
import { readFileSync } from 'node:fs';
import { loadModel } from '../../electron/inference/card.ts';
import { parameterIndices, PosteriorSampler } from '../../electron/inference/sampler.ts';
import { normalAt } from '../../electron/inference/random.ts';
import { openSessions } from '../../electron/inference/sessions.ts';
import { cardSchedule } from '../../electron/inference/solver.ts';
import { summarise } from '../../electron/inference/summary.ts';
import { errorToNetwork, toNetwork } from '../../electron/inference/transforms.ts';
import type { Solver } from '../../electron/inference/card.ts';

interface Request {
  model: string;
  values: (number | null)[][];
  errors: number[][];
  observed: boolean[][];
  samples: number;
  steps: number;
  solver: Solver;
  seed: number;
  start: number;
}

const request = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Request;
const model = loadModel(request.model);
const card = model.card;
const rows = request.values.length;
const width = card.variables.length;
const values = new Float32Array(rows * width);
const errors = new Float32Array(rows * width);
const observed = new Uint8Array(rows * width);
for (let r = 0; r < rows; r += 1) {
  card.variables.forEach((v, j) => {
    if (!request.observed[r]![j]) return;
    const x = request.values[r]![j]!;
    values[r * width + j] = toNetwork(v, x);
    errors[r * width + j] = errorToNetwork(v, x, request.errors[r]![j]!);
    observed[r * width + j] = 1;
  });
}
const sessions = await openSessions(model, { provider: 'cpu', threads: 1 });
const settings = {
  samples: request.samples,
  steps: request.steps,
  solver: request.solver,
  schedule: cardSchedule(card.sampler),
  seed: request.seed,
  maxBatchRows: 4096,
};
const sampler = new PosteriorSampler(sessions, card, settings);
const block = { start: request.start, rows, width, values, errors, observed };
const drawn = await sampler.sampleBlock(block);
const params = parameterIndices(card);
const S = request.samples;
const stars = [];
for (let r = 0; r < rows; r += 1) {
  const latent = params.filter((j) => !observed[r * width + j]);
  const noise = [];
  const x = [];
  for (let s = 0; s < S; s += 1) {
    noise.push(latent.map((j) => normalAt(request.seed, request.start + r, s, j)));
    x.push(latent.map((j) => drawn.values[(r * S + s) * params.length + params.indexOf(j)]!));
  }
  stars.push({
    latent,
    noise,
    samples: x,
    network_values: Array.from(values.subarray(r * width, (r + 1) * width)),
    network_errors: Array.from(errors.subarray(r * width, (r + 1) * width)),
  });
}
const summary = summarise(
  drawn,
  params.map((j) => card.variables[j]!),
);
const columns: Record<string, number[]> = {};
summary.names.forEach((name, i) => (columns[name] = Array.from(summary.columns[i]!)));
await sessions.release();
process.stdout.write(JSON.stringify({ stars, summary: columns }));
