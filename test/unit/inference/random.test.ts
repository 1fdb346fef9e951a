import { describe, expect, it } from 'vitest';
import { normalAt, philox4x32 } from '../../../electron/inference/random.ts';

const hex = (a: Uint32Array): string => [...a].map((x) => x.toString(16).padStart(8, '0')).join(' ');

describe('Philox4x32-10', () => {
  // Known-answer vectors from Random123's kat_vectors (philox4x32 with 10 rounds).
  it('matches the Random123 known-answer vectors', () => {
    const out = new Uint32Array(4);
    philox4x32(0, 0, 0, 0, 0, 0, out);
    expect(hex(out)).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
    expect(hex(out)).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
    philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
    expect(hex(out)).toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });
});

describe('normalAt', () => {
  it('is a pure function of (seed, row, sample, variable)', () => {
    expect(normalAt(7, 123, 4, 2)).toBe(normalAt(7, 123, 4, 2));
    const values = new Set([
      normalAt(7, 123, 4, 2),
      normalAt(8, 123, 4, 2),
      normalAt(7, 124, 4, 2),
      normalAt(7, 123, 5, 2),
      normalAt(7, 123, 4, 3),
    ]);
    expect(values.size).toBe(5);
  });

  it('addresses rows beyond 2^32 distinctly', () => {
    expect(normalAt(1, 2 ** 32 + 5, 0, 0)).not.toBe(normalAt(1, 5, 0, 0));
  });

  it('draws standard normals (moments and tail fractions)', () => {
    const n = 200_000;
    let sum = 0;
    let sq = 0;
    let fourth = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i += 1) {
      const z = normalAt(42, i, i % 7, i % 3);
      sum += z;
      sq += z * z;
      fourth += z ** 4;
      if (Math.abs(z) > 2) beyond2 += 1;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(sq / n).toBeCloseTo(1, 1);
    expect(fourth / n).toBeGreaterThan(2.85);
    expect(fourth / n).toBeLessThan(3.15);
    // P(|z| > 2) = 0.0455 for a standard normal.
    expect(beyond2 / n).toBeGreaterThan(0.043);
    expect(beyond2 / n).toBeLessThan(0.048);
  });
});
