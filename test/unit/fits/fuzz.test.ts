// Mutation fuzzer over the FITS fixtures: flipped bytes, structural keywords (NAXISn, PCOUNT, THEAP,
// TFORMn, TDIMn, ZNAXISn, ...) set to hostile values, truncations, dropped and doubled blocks. Every
// case must end in a clean read or a FitsError — never another exception, a hang, or memory growth
// sized by a forged header. The seed is fixed, so a failure replays; its mutation is printed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FitsError } from '../../../electron/fits/errors.ts';
import { EXERCISED_FIXTURES, exercise } from './exercise.ts';

const CASES = 3000;
const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'fits');
const FILES = EXERCISED_FIXTURES;

/** mulberry32: a small seeded PRNG, so every run mutates the same way. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  '-1',
  '0',
  '1',
  '3',
  '7',
  '8',
  '64',
  '-64',
  '999',
  '1000',
  '2147483647',
  '2147483648',
  '4294967296',
  '9007199254740993',
  '1000000000000',
  '-2147483648',
  '1.5',
  "'X'",
  'T',
  '',
];
const FORMS = [
  "'1J'",
  "'0J'",
  "'9999999999J'",
  "'PJ(5)'",
  "'1QD'",
  "'2P'",
  "'1Z'",
  "'A'",
  "'100X'",
  "'1PX'",
  "'1PA'",
  "'3C'",
  "'2M'",
  "'E14.6'",
  "'I99'",
  "'F9.x'",
];
const STRUCTURAL =
  /^(BITPIX|NAXIS\d*|PCOUNT|GCOUNT|TFIELDS|THEAP|TBCOL\d+|TNULL\d+|TSCAL\d+|TZERO\d+|BLANK|BSCALE|BZERO|ZNAXIS\d*|ZTILE\d+|ZBITPIX|ZBLANK|ZVAL\d+|GROUPS|ZIMAGE)\s*$/;

function mutate(original: Buffer, next: () => number): { bytes: Buffer; what: string } {
  const bytes = Buffer.from(original);
  const pick = (n: number): number => Math.floor(next() * n);
  const kind = pick(6);
  if (kind === 0) {
    const flips = 1 + pick(8);
    for (let k = 0; k < flips; k += 1) bytes[pick(bytes.length)] = pick(256);
    return { bytes, what: `${flips} random bytes` };
  }
  if (kind === 1 || kind === 2) {
    const cards: number[] = [];
    for (let at = 0; at + 80 <= Math.min(bytes.length, 2880 * 40); at += 80) {
      const key = bytes.toString('latin1', at, at + 8);
      if (STRUCTURAL.test(key) || (kind === 2 && /^(TFORM|TDIM)\d+\s*$/.test(key))) cards.push(at);
    }
    if (cards.length === 0) return { bytes, what: 'no structural card' };
    const at = cards[pick(cards.length)]!;
    const key = bytes.toString('latin1', at, at + 8).trim();
    const value = key.startsWith('TFORM')
      ? FORMS[pick(FORMS.length)]!
      : key.startsWith('TDIM')
        ? `'(${pick(9)},${pick(9) - 1})'`
        : HOSTILE[pick(HOSTILE.length)]!;
    bytes.write(`= ${value.padStart(20)}`.padEnd(72, ' '), at + 8, 'latin1');
    return { bytes, what: `${key} = ${value}` };
  }
  if (kind === 3) {
    const length = pick(bytes.length);
    return { bytes: bytes.subarray(0, length), what: `truncated to ${length}` };
  }
  const blocks = Math.floor(bytes.length / 2880);
  if (blocks === 0) return { bytes, what: 'short file' };
  const block = pick(blocks);
  const piece = bytes.subarray(block * 2880, (block + 1) * 2880);
  if (kind === 4) {
    return {
      bytes: Buffer.concat([bytes.subarray(0, block * 2880), bytes.subarray((block + 1) * 2880)]),
      what: `block ${block} removed`,
    };
  }
  return {
    bytes: Buffer.concat([bytes.subarray(0, block * 2880), piece, bytes.subarray(block * 2880)]),
    what: `block ${block} doubled`,
  };
}

describe('mutation fuzzer', () => {
  it(`ends ${CASES} mutated files in a clean read or a FitsError`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'cradle-fits-fuzz-'));
    const originals = FILES.map((name) => readFileSync(join(fixtures, name)));
    const next = random(20261126);
    const failures: string[] = [];
    let clean = 0;
    let refused = 0;
    let slowest = 0;
    let peakArrayBuffers = 0;
    const baseline = process.memoryUsage().arrayBuffers;
    for (let k = 0; k < CASES; k += 1) {
      const source = k % FILES.length;
      const { bytes, what } = mutate(originals[source]!, next);
      const path = join(dir, `case${FILES[source]!.endsWith('.gz') ? '.fits.gz' : '.fits'}`);
      writeFileSync(path, bytes);
      const started = performance.now();
      try {
        exercise(path);
        clean += 1;
      } catch (error) {
        if (error instanceof FitsError && !error.message.includes('\n')) refused += 1;
        else
          failures.push(
            `case ${k} (${FILES[source]}, ${what}): ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
          );
      }
      slowest = Math.max(slowest, performance.now() - started);
      if (k % 50 === 0)
        peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers - baseline);
    }
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `fits fuzz: ${CASES} cases, ${clean} read cleanly, ${refused} refused with a FitsError, slowest ${slowest.toFixed(0)} ms, peak extra array buffers ${(peakArrayBuffers / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(failures.slice(0, 10)).toEqual([]);
    expect(clean + refused).toBe(CASES);
    expect(refused).toBeGreaterThan(CASES / 10);
    expect(slowest).toBeLessThan(5000);
  });
});
