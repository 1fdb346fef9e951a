// Builder for array-valued cells (VOTable arraysize, ECSV array subtypes): a variable-length list of
// doubles per row, stored as Arrow List<Float64> with offsets and a validity mask, or as a
// FixedSizeList<Float64> when the format declares one size (nested, for a multi-dimensional shape).
import { Field, FixedSizeList, Float64, List, makeData, makeVector } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { packValidity } from './columns.ts';

export class ListColumnBuilder {
  private values = new Float64Array(4096);
  private valueValid = new Uint8Array(4096);
  private size = 0;
  private offsets: number[] = [0];
  private valid: number[] = [];

  private ensure(extra: number): void {
    if (this.size + extra <= this.values.length) return;
    let length = this.values.length * 2;
    while (length < this.size + extra) length *= 2;
    const values = new Float64Array(length);
    values.set(this.values);
    this.values = values;
    const valueValid = new Uint8Array(length);
    valueValid.set(this.valueValid);
    this.valueValid = valueValid;
  }

  /** Appends one row; NaN elements become null elements (a missing sample, not a number). */
  push(row: ArrayLike<number>): void {
    this.ensure(row.length);
    for (let i = 0; i < row.length; i += 1) {
      const v = row[i]!;
      this.values[this.size] = v;
      this.valueValid[this.size] = Number.isNaN(v) ? 0 : 1;
      this.size += 1;
    }
    this.offsets.push(this.size);
    this.valid.push(1);
  }

  pushNull(): void {
    this.offsets.push(this.size);
    this.valid.push(0);
  }

  /** Drops the rows pushed so far (a table read in batches). */
  reset(): void {
    this.values = new Float64Array(4096);
    this.valueValid = new Uint8Array(4096);
    this.size = 0;
    this.offsets = [0];
    this.valid = [];
  }

  finish(): Vector {
    const length = this.valid.length;
    const child = packValidity(this.valueValid, this.size);
    const childData = makeData({
      type: new Float64(),
      length: this.size,
      nullCount: child.nullCount,
      nullBitmap: child.bitmap,
      data: this.values.slice(0, this.size),
    });
    const rows = packValidity(Uint8Array.from(this.valid), length);
    const type = new List(new Field('item', new Float64(), true));
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
    const valueValid = new Uint8Array(length * size);
    for (let r = 0; r < length; r += 1) {
      if (!this.valid[r]) continue;
      const from = this.offsets[r]!;
      const count = this.offsets[r + 1]! - from;
      if (count !== size) throw new Error(`row ${r + 1}: ${count} elements where ${size} are declared`);
      values.set(this.values.subarray(from, from + size), r * size);
      valueValid.set(this.valueValid.subarray(from, from + size), r * size);
    }
    const child = packValidity(valueValid, length * size);
    const rows = packValidity(Uint8Array.from(this.valid), length);
    return makeVector(
      makeData({
        type: new FixedSizeList(size, new Field('item', new Float64(), true)),
        length,
        nullCount: rows.nullCount,
        nullBitmap: rows.bitmap,
        child: makeData({
          type: new Float64(),
          length: length * size,
          nullCount: child.nullCount,
          nullBitmap: child.bitmap,
          data: values,
        }),
      }),
    );
  }
}
