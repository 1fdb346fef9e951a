// The simulator's random numbers: a stream per (seed, chunk, purpose), so a chunk draws the same numbers
// whichever worker runs it and however many workers there are. Seeds are mixed with SplitMix32-style
// finalisers (Steele, Lea & Flood 2014) and the stream is xoshiro128** (Blackman & Vigna 2021), which
// is fast with 32-bit integer arithmetic in JavaScript. Hand-written because no npm generator offers
// keyed streams with typed-array fills at this speed; both algorithms are public-domain reference designs.

/** Mixes 32-bit words into one well-distributed 32-bit key (MurmurHash3 fmix32 over a running hash). */
export function mixKey(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const word of words) {
    let k = Math.imul(word >>> 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Stable 32-bit key of a purpose name (FNV-1a), so streams are named, not numbered by hand. */
export function nameKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = Number.NaN;

  /** A stream keyed by the run seed and any further words (chunk index, purpose...). */
  constructor(seed: number, ...words: number[]) {
    const base = mixKey(seed >>> 0, Math.floor(seed / 4294967296) >>> 0, ...words);
    this.s0 = mixKey(base, 1) | 0;
    this.s1 = mixKey(base, 2) | 0;
    this.s2 = mixKey(base, 3) | 0;
    this.s3 = mixKey(base, 4) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A sub-stream for a named purpose, independent of how much this stream has drawn. */
  static stream(seed: number, chunk: number, purpose: string): Random {
    return new Random(seed, chunk, nameKey(purpose));
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in (0, 1): safe under a logarithm. */
  uniformOpen(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal (Marsaglia polar method; the second value is kept for the next call). The point in
   * the square takes 32 random bits per coordinate: the normal's resolution is then ~1e-9, far below any
   * use here, for half the generator calls of 53-bit uniforms. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const value = this.spare;
      this.spare = Number.NaN;
      return value;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = (this.nextUint32() + 0.5) / 2147483648 - 1;
      v = (this.nextUint32() + 0.5) / 2147483648 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Poisson deviate: inversion for small means, a rounded normal approximation above 1e4. */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean > 1e4) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    if (mean > 30) {
      // Split into pieces small enough for exact inversion (a sum of Poissons is Poisson).
      const pieces = Math.ceil(mean / 30);
      let total = 0;
      for (let i = 0; i < pieces; i++) total += this.poisson(mean / pieces);
      return total;
    }
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.uniform();
    while (p > limit) {
      k += 1;
      p *= this.uniform();
    }
    return k;
  }

  /** Index drawn from cumulative weights (increasing, last = total). */
  pickCumulative(cumulative: ArrayLike<number>): number {
    const n = cumulative.length;
    const target = this.uniform() * (cumulative[n - 1] as number);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
