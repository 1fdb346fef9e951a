// Cluster ages from members' posterior quantiles with the training prior divided out: members whose
// posteriors carry a steeply rising prior (as cradle-small's log-age prior rises towards 10 Gyr) give
// the true common age, where the Gaussian combination of their medians is pulled towards the prior;
// members whose posterior is the prior itself add nothing; bad rows and bad histograms are named.
import { describe, expect, it } from 'vitest';
import {
  checkPrior,
  combineAgePosteriors,
  combineAges,
  SUMMARY_LEVELS,
  type PriorHistogram,
} from '../../../electron/galaxy/cluster-age.ts';

/** A prior on log age 6–10 whose density rises as e^(1.5 x), in 80 bins. */
const rising: PriorHistogram = (() => {
  const edges = Array.from({ length: 81 }, (_, i) => 6 + i * 0.05);
  const density = edges.slice(1).map((e) => Math.exp(1.5 * (e - 0.025)));
  const total = density.reduce((s, d) => s + d * 0.05, 0);
  return { edges, density: density.map((d) => d / total) };
})();

function priorAt(x: number): number {
  const bin = Math.min(rising.density.length - 1, Math.max(0, Math.floor((x - 6) / 0.05)));
  return rising.density[bin]!;
}

/** SUMMARY_LEVELS quantiles of prior(x)·N(x; centre, width) on [6, 10]. */
function posteriorQuantiles(centre: number, width: number, flat = false): number[] {
  const step = 0.0005;
  const xs: number[] = [];
  const ws: number[] = [];
  for (let x = 6 + step / 2; x < 10; x += step) {
    xs.push(x);
    ws.push(priorAt(x) * (flat ? 1 : Math.exp(-0.5 * ((x - centre) / width) ** 2)));
  }
  const total = ws.reduce((s, w) => s + w, 0);
  const out: number[] = [];
  let cumulative = 0;
  let level = 0;
  for (let i = 0; i < xs.length && level < SUMMARY_LEVELS.length; i++) {
    cumulative += ws[i]! / total;
    while (level < SUMMARY_LEVELS.length && cumulative >= SUMMARY_LEVELS[level]!) {
      out.push(xs[i]!);
      level++;
    }
  }
  return out;
}

/** Standard normal deviates (Box–Muller on a fixed LCG), so the test set is fixed. */
function normals(count: number, seed: number): number[] {
  let state = seed;
  const u = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) + 1) / 2147483649;
  return Array.from({ length: count }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

describe('cluster age with the prior divided out', () => {
  it('recovers the common age of members whose posteriors lean on a rising prior', () => {
    // 150 members at log age 7.3, each measured with σ = 0.5 dex: their posterior medians sit old.
    const truth = 7.3;
    const rows = normals(150, 3).map((z) => posteriorQuantiles(truth + 0.5 * z, 0.5));
    const combined = combineAgePosteriors(rows.flat(), rising)!;
    expect(Math.abs(combined.logAge - truth)).toBeLessThan(0.12);
    expect(combined.sigma).toBeGreaterThan(0.02);
    expect(combined.sigma).toBeLessThan(0.15);
    // The Gaussian combination of the same members' medians is pulled towards the prior.
    const gaussian = combineAges(
      rows.map((r) => r[2]!),
      rows.map((r) => 0.5 * (r[3]! - r[1]!)),
    );
    expect(gaussian.logAge - truth).toBeGreaterThan(0.3);
  });

  it('lets members whose posterior is the prior add nothing', () => {
    const informative = normals(30, 5).map((z) => posteriorQuantiles(7 + 0.1 * z, 0.1));
    const prior = Array.from({ length: 300 }, () => posteriorQuantiles(0, 1, true));
    const combined = combineAgePosteriors([...informative, ...prior].flat(), rising)!;
    expect(combined.logAge).toBeCloseTo(7, 1);
    const alone = combineAgePosteriors(informative.flat(), rising)!;
    expect(Math.abs(combined.logAge - alone.logAge)).toBeLessThan(0.03);
  });

  it('skips rows with a missing quantile and gives null when none is left', () => {
    const good = posteriorQuantiles(7, 0.1);
    const withBad = combineAgePosteriors([...good, Number.NaN, 7, 7, 7, 7], rising)!;
    expect(withBad.logAge).toBeCloseTo(combineAgePosteriors(good, rising)!.logAge, 12);
    expect(combineAgePosteriors([Number.NaN, 1, 2, 3, 4], rising)).toBeNull();
  });

  it('names what is wrong with a prior histogram', () => {
    expect(() => checkPrior({ edges: [6, 7], density: [1, 2] }, 'card.json: prior')).toThrow(
      'card.json: prior: 2 edges for 2 bins',
    );
    expect(() => checkPrior({ edges: [6, 6, 7], density: [1, 2] }, 'p')).toThrow('edges must increase');
    expect(() => checkPrior({ edges: [6, 7], density: [0] }, 'p')).toThrow('not all zero');
  });
});
