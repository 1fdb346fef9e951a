// The ODE solvers of the flow-matching sampler, from noise (t = 0) to data (t = 1), written exactly as
// the Python reference (native-models/cradle_models/export/sampler.py `integrate`) evaluates them in
// float32, operation by operation, so that the same graph, inputs and noise give the same samples
// (Math.fround and Float32Array stores round every intermediate like numpy). Step k goes from t_k to
// t_{k+1} with h = t_{k+1} − t_k:
//   Euler:    x ← x + h·v(x, t)
//   Heun:     k1 = v(x, t); k2 = v(x + h·k1, t + h); x ← x + (h·(k1 + k2))·0.5
//   midpoint: k1 = v(x, t); x ← x + h·v(x + (h·0.5)·k1, t + h·0.5)
// The card's time grid is uniform (t_k = k / steps) or a power grid t_k = 1 − (1 − k/steps)^p whose
// steps shrink towards the data end, where narrow posteriors need them; `finalEuler` makes the last
// step Euler (no evaluation at t = 1, which a data-predicting model cannot make).
import type { ModelCard, Solver } from './card.ts';

export type VelocityFn = (x: Float32Array, t: number) => Promise<Float32Array>;

export const EVALUATIONS_PER_STEP: Record<Solver, number> = { euler: 1, heun: 2, midpoint: 2 };

export interface Schedule {
  grid: 'uniform' | 'power';
  /** The power grid's exponent p (≥ 1); 1 for the uniform grid. */
  exponent: number;
  finalEuler: boolean;
}

export const UNIFORM: Schedule = { grid: 'uniform', exponent: 1, finalEuler: false };

/** The schedule a card's sampler section (or a parity fixture, which carries the same fields) names. */
export function cardSchedule(sampler: Pick<ModelCard['sampler'], 'time_grid' | 'final_euler'>): Schedule {
  const grid = sampler.time_grid;
  return {
    grid: grid.kind,
    exponent: grid.kind === 'power' ? grid.exponent : 1,
    finalEuler: sampler.final_euler,
  };
}

/** "uniform" or "power P": the grid as run.json and the model listing name it. */
export function gridLabel(schedule: Schedule): string {
  return schedule.grid === 'power' ? `power ${schedule.exponent}` : 'uniform';
}

/** t_0 = 0, …, t_steps = 1, each rounded to float32 as the Python reference rounds them. */
export function timeGrid(steps: number, schedule: Schedule): Float32Array {
  const times = new Float32Array(steps + 1);
  const f32 = Math.fround;
  if (schedule.grid === 'uniform') {
    const h = f32(1 / steps);
    for (let k = 0; k < steps; k += 1) times[k] = f32(k * h);
  } else {
    for (let k = 0; k < steps; k += 1) times[k] = 1 - Math.pow(1 - k / steps, schedule.exponent);
  }
  times[steps] = 1;
  return times;
}

/** Velocity evaluations per sample for `steps` steps of `solver` under `schedule`. */
export function evaluationsPerSample(steps: number, solver: Solver, schedule: Schedule): number {
  const perStep = EVALUATIONS_PER_STEP[solver];
  return perStep * steps - (schedule.finalEuler ? perStep - 1 : 0);
}

export async function integrate(
  velocity: VelocityFn,
  x0: Float32Array,
  steps: number,
  solver: Solver,
  schedule: Schedule = UNIFORM,
  signal?: AbortSignal,
): Promise<Float32Array> {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be an integer ≥ 1, got ${steps}`);
  const n = x0.length;
  const x = Float32Array.from(x0);
  const probe = new Float32Array(n);
  const f32 = Math.fround;
  const times = timeGrid(steps, schedule);
  for (let k = 0; k < steps; k += 1) {
    signal?.throwIfAborted();
    const t = times[k]!;
    const h = f32(times[k + 1]! - t);
    const k1 = await velocity(x, t);
    if (solver === 'euler' || (schedule.finalEuler && k === steps - 1)) {
      for (let i = 0; i < n; i += 1) x[i] = x[i]! + f32(h * k1[i]!);
    } else if (solver === 'heun') {
      for (let i = 0; i < n; i += 1) probe[i] = x[i]! + f32(h * k1[i]!);
      const k2 = await velocity(probe, f32(t + h));
      for (let i = 0; i < n; i += 1) x[i] = x[i]! + f32(f32(h * f32(k1[i]! + k2[i]!)) * 0.5);
    } else {
      const halfH = f32(h * 0.5);
      for (let i = 0; i < n; i += 1) probe[i] = x[i]! + f32(halfH * k1[i]!);
      const k2 = await velocity(probe, f32(t + halfH));
      for (let i = 0; i < n; i += 1) x[i] = x[i]! + f32(h * k2[i]!);
    }
  }
  return x;
}
