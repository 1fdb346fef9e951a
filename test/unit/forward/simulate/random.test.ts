import { describe, expect, it } from 'vitest';
import { Random, mixKey } from '../../../../electron/forward/simulate/random.ts';

describe('Random', () => {
  it('repeats a stream for the same seed, chunk and purpose', () => {
    const a = Random.stream(42, 7, 'stars');
    const b = Random.stream(42, 7, 'stars');
    for (let i = 0; i < 1000; i++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('gives different streams to different chunks and purposes', () => {
    const first = (r: Random): number[] => Array.from({ length: 8 }, () => r.nextUint32());
    expect(first(Random.stream(42, 7, 'stars'))).not.toEqual(first(Random.stream(42, 8, 'stars')));
    expect(first(Random.stream(42, 7, 'stars'))).not.toEqual(first(Random.stream(42, 7, 'dust')));
    expect(first(Random.stream(42, 7, 'stars'))).not.toEqual(first(Random.stream(43, 7, 'stars')));
    expect(mixKey(1, 2)).not.toBe(mixKey(2, 1));
  });

  it('draws uniforms, normals and Poissons with the right moments', () => {
    const r = new Random(1);
    const n = 200000;
    let su = 0;
    let sn = 0;
    let sn2 = 0;
    let sp = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      su += u;
      const z = r.normal();
      sn += z;
      sn2 += z * z;
    }
    for (let i = 0; i < 20000; i++) sp += r.poisson(3.5);
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
    expect(sp / 20000).toBeCloseTo(3.5, 1);
    expect(r.poisson(1e6)).toBeGreaterThan(1e6 - 6000);
  });

  it('picks from cumulative weights in proportion', () => {
    const r = new Random(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30000; i++) counts[r.pickCumulative([1, 1, 4])]! += 1;
    expect(counts[1]).toBe(0);
    expect((counts[0] as number) / 30000).toBeCloseTo(0.25, 1);
    expect((counts[2] as number) / 30000).toBeCloseTo(0.75, 1);
  });
});
