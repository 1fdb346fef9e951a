// The ODE solvers of the flow-matching sampler, on a uniform grid t_k = k / steps from noise (t = 0)
// to data (t = 1), written exactly as the Python reference (native-models/cradle_models/export/
// sampler.py `integrate`) evaluates them in float32, operation by operation, so that the same graph,
// inputs and noise give the same samples (Math.fround and Float32Array stores round every intermediate
// like numpy):
//   Euler:    x ← x + h·v(x, t)
//   Heun:     k1 = v(x, t); k2 = v(x + h·k1, t + h); x ← x + (h·(k1 + k2))·0.5
//   midpoint: k1 = v(x, t); x ← x + h·v(x + (h·0.5)·k1, t + h·0.5)
import type { Solver } from './card.ts';

export type VelocityFn = (x: Float32Array, t: number) => Promise<Float32Array>;

export const EVALUATIONS_PER_STEP: Record<Solver, number> = { euler: 1, heun: 2, midpoint: 2 };

export async function integrate(
  velocity: VelocityFn,
  x0: Float32Array,
  steps: number,
  solver: Solver,
  signal?: AbortSignal,
): Promise<Float32Array> {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be an integer ≥ 1, got ${steps}`);
  const n = x0.length;
  const x = Float32Array.from(x0);
  const probe = new Float32Array(n);
  const f32 = Math.fround;
  const h = f32(1 / steps);
  const halfH = f32(h * 0.5);
  for (let k = 0; k < steps; k += 1) {
    signal?.throwIfAborted();
    const t = f32(k * h);
    const k1 = await velocity(x, t);
    if (solver === 'euler') {
      for (let i = 0; i < n; i += 1) x[i] = x[i]! + f32(h * k1[i]!);
    } else if (solver === 'heun') {
      for (let i = 0; i < n; i += 1) probe[i] = x[i]! + f32(h * k1[i]!);
      const k2 = await velocity(probe, f32(t + h));
      for (let i = 0; i < n; i += 1) x[i] = x[i]! + f32(f32(h * f32(k1[i]! + k2[i]!)) * 0.5);
    } else {
      for (let i = 0; i < n; i += 1) probe[i] = x[i]! + f32(halfH * k1[i]!);
      const k2 = await velocity(probe, f32(t + halfH));
      for (let i = 0; i < n; i += 1) x[i] = x[i]! + f32(h * k2[i]!);
    }
  }
  return x;
}
