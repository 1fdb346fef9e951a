// Builder for array-valued cells (VOTable arraysize, ECSV array subtypes): a variable-length list per
// row, stored as an Arrow List with offsets and a validity mask, or as a FixedSizeList when the format
// declares one size (nested, for a multi-dimensional shape). The elements keep the declared type
// (int16, int64, float32, …; float64 by default), as astropy keeps them. Elements are staged as doubles,
// except 64-bit integers, which are staged as BigInt so that values beyond 2^53 (Gaia source_ids) stay
// exact; their readers hand them over as bigint.
import { Field, FixedSizeList, List, makeData, makeVector } from 'apache-arrow';
import type { Data, Vector } from 'apache-arrow';
import { CellError, INT_RANGE, arrowType, packValidity } from './columns.ts';
import type { DeclaredType } from './columns.ts';

/** The element types an array column can declare. */
export const LIST_ELEMENTS = [
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float32',
  'float64',
] as const satisfies readonly DeclaredType[];
export type ListElement = (typeof LIST_ELEMENTS)[number];

export function isListElement(name: string): name is ListElement {
  return (LIST_ELEMENTS as readonly string[]).includes(name);
}

type BigElement = 'int64' | 'uint64';

function isBigElement(element: ListElement): element is BigElement {
  return element === 'int64' || element === 'uint64';
}

/** The elements as the declared type's data (null elements hold 0). */
function elementData(
  element: ListElement,
  values: Float64Array,
  bigs: BigInt64Array | null,
  valid: Uint8Array,
  length: number,
): Data {
  const mask = packValidity(valid, length);
  const data = (() => {
    switch (element) {
      case 'float64':
        return values.slice(0, length);
      case 'float32':
        return Float32Array.from(values.subarray(0, length));
      case 'int64':
        return bigs!.slice(0, length);
      case 'uint64':
        return new BigUint64Array(bigs!.slice(0, length).buffer);
      default: {
        const out = new {
          int8: Int8Array,
          int16: Int16Array,
          int32: Int32Array,
          uint8: Uint8Array,
          uint16: Uint16Array,
          uint32: Uint32Array,
        }[element](length);
        for (let i = 0; i < length; i += 1) if (valid[i]) out[i] = values[i]!;
        return out;
      }
    }
  })();
  return makeData({
    type: arrowType(element),
    length,
    nullCount: mask.nullCount,
    nullBitmap: mask.bitmap,
    data,
  } as Parameters<typeof makeData>[0]);
}

export class ListColumnBuilder {
  constructor(private readonly element: ListElement = 'float64') {
    this.bigs = ListColumnBuilder.bigBuffer(element, 4096);
    const range = INT_RANGE[element];
    this.range = range ?? null;
    this.numberRange = range === undefined ? null : [Number(range[0]), Number(range[1])];
  }

  /** An integer type's range (INT_RANGE, as the scalar columns check it), and as numbers for the
   * types below 64 bits. */
  private readonly range: readonly [bigint, bigint] | null;
  private readonly numberRange: readonly [number, number] | null;

  private values = new Float64Array(4096);
  /** The elements of an int64 or uint64 column, a uint64 as its two's-complement bits (their `values`
   * are unused). */
  private bigs: BigInt64Array | null;
  private valueValid = new Uint8Array(4096);
  private size = 0;
  private offsets: number[] = [0];
  private valid: number[] = [];

  private static bigBuffer(element: ListElement, length: number): BigInt64Array | null {
    return isBigElement(element) ? new BigInt64Array(length) : null;
  }

  private ensure(extra: number): void {
    if (this.size + extra <= this.values.length) return;
    let length = this.values.length * 2;
    while (length < this.size + extra) length *= 2;
    const values = new Float64Array(length);
    values.set(this.values);
    this.values = values;
    const bigs = ListColumnBuilder.bigBuffer(this.element, length);
    if (bigs !== null) {
      bigs.set(this.bigs!);
      this.bigs = bigs;
    }
    const valueValid = new Uint8Array(length);
    valueValid.set(this.valueValid);
    this.valueValid = valueValid;
  }

  /** Appends one row; NaN elements become null elements (a missing sample, not a number). An integer
   * type's element must be a whole number in its range; a 64-bit one given as a number must be exact
   * (below 2^53), larger ones come as bigint. */
  push(row: ArrayLike<number | bigint>): void {
    this.ensure(row.length);
    const element = this.element;
    const range = this.numberRange;
    for (let i = 0; i < row.length; i += 1) {
      const v = row[i]!;
      const missing = typeof v === 'number' && Number.isNaN(v);
      if (isBigElement(element)) {
        if (!missing) this.bigs![this.size] = this.bigElement(element, v, i);
      } else {
        const n = Number(v);
        if (range !== null && !missing && !(Number.isInteger(n) && n >= range[0] && n <= range[1]))
          throw new CellError(`element ${i + 1} (${v}) is not an ${element} value`);
        this.values[this.size] = n;
      }
      this.valueValid[this.size] = missing ? 0 : 1;
      this.size += 1;
    }
    this.offsets.push(this.size);
    this.valid.push(1);
  }

  private bigElement(element: BigElement, v: number | bigint, index: number): bigint {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) {
      throw new CellError(
        Number.isInteger(v)
          ? `element ${index + 1} (${v}) is beyond 2^53, where a double cannot hold an ${element} exactly`
          : `element ${index + 1} (${v}) is not an ${element} value`,
      );
    }
    const big = BigInt(v);
    const [lo, hi] = this.range!;
    if (big < lo || big > hi) throw new CellError(`element ${index + 1} (${v}) is not an ${element} value`);
    return BigInt.asIntN(64, big);
  }

  pushNull(): void {
    this.offsets.push(this.size);
    this.valid.push(0);
  }

  /** Drops the rows pushed so far (a table read in batches). */
  reset(): void {
    this.values = new Float64Array(4096);
    this.bigs = ListColumnBuilder.bigBuffer(this.element, 4096);
    this.valueValid = new Uint8Array(4096);
    this.size = 0;
    this.offsets = [0];
    this.valid = [];
  }

  finish(): Vector {
    const length = this.valid.length;
    const childData = elementData(this.element, this.values, this.bigs, this.valueValid, this.size);
    const rows = packValidity(Uint8Array.from(this.valid), length);
    const type = new List(new Field('item', arrowType(this.element), true));
    return makeVector(
      makeData({
        type,
        length,
        nullCount: rows.nullCount,
        nullBitmap: rows.bitmap,
        valueOffsets: Int32Array.from(this.offsets),
        child: childData,
      }),
    );
  }

  /** The rows as arrays of shape `dims` (outermost first; row-major, as astropy and numpy store them):
   * fixed-size lists of fixed-size lists. Every non-null row must hold their product of elements. */
  finishShaped(dims: readonly number[]): Vector {
    const flat = this.finishFixed(dims.reduce((a, b) => a * b, 1));
    if (dims.length === 1) return flat;
    const rows = flat.data[0]!;
    let inner = rows.children[0]!;
    for (let k = dims.length - 1; k >= 1; k -= 1) {
      inner = makeData({
        type: new FixedSizeList(dims[k]!, new Field('item', inner.type, true)),
        length: inner.length / dims[k]!,
        nullCount: 0,
        child: inner,
      });
    }
    return makeVector(
      makeData({
        type: new FixedSizeList(dims[0]!, new Field('item', inner.type, true)),
        length: rows.length,
        nullCount: rows.nullCount,
        nullBitmap: rows.nullBitmap,
        child: inner,
      }),
    );
  }

  /** The rows as fixed-size lists of `size` elements (a null row holds nulls); every other row must
   * hold `size` elements, or the row is named. */
  finishFixed(size: number): Vector {
    const length = this.valid.length;
    const values = new Float64Array(length * size);
    const bigs = ListColumnBuilder.bigBuffer(this.element, length * size);
    const valueValid = new Uint8Array(length * size);
    for (let r = 0; r < length; r += 1) {
      if (!this.valid[r]) continue;
      const from = this.offsets[r]!;
      const count = this.offsets[r + 1]! - from;
      if (count !== size) throw new Error(`row ${r + 1}: ${count} elements where ${size} are declared`);
      values.set(this.values.subarray(from, from + size), r * size);
      bigs?.set(this.bigs!.subarray(from, from + size), r * size);
      valueValid.set(this.valueValid.subarray(from, from + size), r * size);
    }
    const rows = packValidity(Uint8Array.from(this.valid), length);
    return makeVector(
      makeData({
        type: new FixedSizeList(size, new Field('item', arrowType(this.element), true)),
        length,
        nullCount: rows.nullCount,
        nullBitmap: rows.bitmap,
        child: elementData(this.element, values, bigs, valueValid, length * size),
      }),
    );
  }
}
