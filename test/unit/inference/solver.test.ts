import { describe, expect, it } from 'vitest';
import {
  evaluationsPerSample,
  gridLabel,
  integrate,
  timeGrid,
  UNIFORM,
} from '../../../electron/inference/solver.ts';

const linear =
  (a: number) =>
  (x: Float32Array): Promise<Float32Array> =>
    Promise.resolve(x.map((v) => a * v));

describe('integrate', () => {
  it('Euler on dx/dt = a·x gives x0·(1 + a·h)^n', async () => {
    const x = await integrate(linear(-1), Float32Array.of(2), 8, 'euler');
    expect(x[0]).toBeCloseTo(2 * (1 - 1 / 8) ** 8, 5);
  });

  it('Heun and midpoint are second order: (1 + a·h + (a·h)²/2)^n', async () => {
    const step = 1 + -0.125 + 0.125 ** 2 / 2;
    for (const solver of ['heun', 'midpoint'] as const) {
      const x = await integrate(linear(-1), Float32Array.of(2), 8, solver);
      expect(x[0]).toBeCloseTo(2 * step ** 8, 5);
    }
  });

  it('passes the time grid t_k = k/steps (midpoint at t_k + h/2)', async () => {
    const seen: number[] = [];
    await integrate(
      (x, t) => {
        seen.push(t);
        return Promise.resolve(new Float32Array(x.length));
      },
      Float32Array.of(0),
      4,
      'midpoint',
    );
    expect(seen).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875]);
  });

  it('power grid: t_k = 1 − (1 − k/steps)^p, and a final Euler step never evaluates at t = 1', async () => {
    const schedule = { grid: 'power', exponent: 3, finalEuler: true } as const;
    expect(Array.from(timeGrid(4, schedule))).toEqual(
      [0, 1 - 0.75 ** 3, 1 - 0.5 ** 3, 1 - 0.25 ** 3, 1].map(Math.fround),
    );
    const seen: number[] = [];
    const x = await integrate(
      (v, t) => {
        seen.push(t);
        return Promise.resolve(v.map(() => 1));
      },
      Float32Array.of(0),
      4,
      'heun',
      schedule,
    );
    // Unit velocity: x(1) = 1 whatever the grid; Heun evaluates twice per step but once on the last.
    expect(x[0]).toBeCloseTo(1, 6);
    expect(seen).toHaveLength(evaluationsPerSample(4, 'heun', schedule));
    expect(seen).toHaveLength(7);
    expect(Math.max(...seen)).toBeLessThan(1);
    expect(evaluationsPerSample(4, 'euler', schedule)).toBe(4);
    expect(gridLabel(schedule)).toBe('power 3');
    expect(gridLabel(UNIFORM)).toBe('uniform');
  });

  it('refuses a step count below 1', async () => {
    await expect(integrate(linear(1), Float32Array.of(1), 0, 'euler')).rejects.toThrow(/steps must be/);
  });
});
