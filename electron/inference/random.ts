// Counter-based random numbers for the sampler's initial noise: Philox4x32-10 (Salmon et al. 2011,
// "Parallel random numbers: as easy as 1, 2, 3", SC'11), keyed by the run's seed and addressed by
// (input row, sample, variable). A star's noise is a pure function of those numbers, so its samples do
// not depend on batch composition, chunk size or worker count, and a resumed run redraws nothing.
// Written here (≈40 lines) because no maintained npm package offers a keyed counter-based generator.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO16 = 0x10000;
const TWO32 = 0x100000000;

/** The high and low 32 bits of a × b for 32-bit unsigned a, b, exactly in doubles. */
function mulhilo(a: number, b: number, out: Float64Array, at: number): void {
  const p = (a % TWO16) * b; // < 2^48
  const q = Math.floor(a / TWO16) * b; // < 2^48
  const qHigh = Math.floor(q / TWO16);
  const mid = (q % TWO16) * TWO16 + p; // < 2^49
  out[at] = qHigh + Math.floor(mid / TWO32);
  out[at + 1] = mid % TWO32;
}

const scratch = new Float64Array(4);

/** Philox4x32-10 of the counter (c0..c3) under the key (k0, k1); writes 4 uint32 into `out`. */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let key0 = k0 >>> 0;
  let key1 = k1 >>> 0;
  for (let round = 0; round < 10; round += 1) {
    mulhilo(M0, x0, scratch, 0);
    mulhilo(M1, x2, scratch, 2);
    const hi0 = scratch[0]!;
    const lo0 = scratch[1]!;
    const hi1 = scratch[2]!;
    const lo1 = scratch[3]!;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1 >>> 0;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0 >>> 0;
    key0 = (key0 + W0) >>> 0;
    key1 = (key1 + W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

const words = new Uint32Array(4);
const TWO53 = 9007199254740992;

/**
 * A standard normal for (seed, row, sample, variable): Box–Muller on two 53-bit uniforms in (0, 1)
 * built from one Philox block. `row` may go up to 2^53 (split into two counter words).
 */
export function normalAt(seed: number, row: number, sample: number, variable: number): number {
  philox4x32(
    sample,
    variable,
    row % TWO32,
    Math.floor(row / TWO32),
    seed % TWO32,
    Math.floor(seed / TWO32),
    words,
  );
  const u1 = ((words[0]! >>> 5) * 67108864 + (words[1]! >>> 6) + 0.5) / TWO53;
  const u2 = ((words[2]! >>> 5) * 67108864 + (words[3]! >>> 6)) / TWO53;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
