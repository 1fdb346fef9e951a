// Columns as numbers: whole and sliced Arrow vectors (a Parquet part of a cluster run is a slice) must
// give the same values and validity, for each kind of buffer.
import { Bool, Float32, Float64, Int32, Int64, vectorFromArray } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { toNumeric } from '../../../electron/catalog/numeric.ts';

const cells = [1, null, 3, 4, 5, null, 7, 8];

function expected(from: number, to: number): { values: number[]; valid: number[] } {
  const part = cells.slice(from, to);
  return {
    values: part.map((x) => (x === null ? Number.NaN : x)),
    valid: part.map((x) => (x === null ? 0 : 1)),
  };
}

describe('toNumeric', () => {
  for (const [name, type, data] of [
    ['float64', new Float64(), cells],
    ['float32', new Float32(), cells],
    ['int32', new Int32(), cells],
    ['int64', new Int64(), cells.map((x) => (x === null ? null : BigInt(x)))],
  ] as [string, DataType, (number | bigint | null)[]][]) {
    it(`reads a sliced ${name} column at the slice, with its nulls`, () => {
      const vector = vectorFromArray(data, type);
      for (const [from, to] of [
        [0, 8],
        [2, 6],
        [5, 8],
      ]) {
        const column = toNumeric(vector.slice(from, to), name);
        expect([...column.values]).toEqual(expected(from!, to!).values);
        expect([...column.valid]).toEqual(expected(from!, to!).valid);
      }
    });
  }

  it('reads a sliced boolean column bit by bit', () => {
    const vector = vectorFromArray([true, false, true, true, false, true, false, false, true], new Bool());
    expect([...toNumeric(vector.slice(3, 9), 'flag').values]).toEqual([1, 0, 1, 0, 0, 1]);
  });
});
