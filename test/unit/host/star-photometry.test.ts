// The Star view's photometry methods through Host.dispatch on a small run made without a model
// (synthetic-run.ts, with a stand-in card): runs.cmd answers each star's Gaia colour and M_G with its
// run row; runs.predictive says what it needs when the run kept no samples.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, MethodResult } from '../../../electron/api/methods.ts';
import { Host } from '../../../electron/host/host.ts';
import { writeStandInModel } from '../../e2e/demo-run.ts';
import { writeSyntheticRun, type SyntheticStar } from '../galaxy/synthetic-run.ts';

let dir: string;
let host: Host;
let runDir: string;

async function call<M extends MethodName>(method: M, params: unknown): Promise<MethodResult<M>> {
  const reply = await host.dispatch(method, params);
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result as MethodResult<M>;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cradle-star-photometry-'));
  writeStandInModel(join(dir, 'model'));
  const star = (i: number): SyntheticStar => ({
    sourceId: 3_320_135_201_572_569_389n + BigInt(i),
    raDeg: 84 + i,
    decDeg: -2,
    parallaxMas: 2,
    parallaxErrorMas: 0.05,
    g: 13 + i,
    bp: 13.6 + i,
    rp: 12.3 + i,
    logAge: [6.5, 6.7, 6.9, 7.1, 7.3],
    distancePc: [480, 490, 500, 510, 520],
  });
  runDir = await writeSyntheticRun(dir, [star(0), star(1), star(2)], { modelDir: join(dir, 'model') });
  host = new Host({ settingsDir: join(dir, 'settings'), transport: 'browser', jobConcurrency: 1 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runs.cmd', () => {
  it("answers every star's BP − RP and M_G at its posterior distance, with its run row", async () => {
    const cmd = await call('runs.cmd', { runDir });
    const byRow = new Map([...cmd.row].map((row, k) => [row, k]));
    expect([...byRow.keys()].sort()).toEqual([0, 1, 2]);
    for (const row of [0, 1, 2]) {
      const k = byRow.get(row)!;
      expect(cmd.colour[k]).toBeCloseTo(1.3, 5);
      expect(cmd.absMag[k]).toBeCloseTo(13 + row - 5 * Math.log10(50), 5);
    }
  });
});

describe('runs.predictive', () => {
  it('says it needs kept samples when the run has none', async () => {
    await expect(call('runs.predictive', { runDir, row: 1 })).rejects.toThrow(
      /needs kept samples of mass_init and log_age/,
    );
  });
});
