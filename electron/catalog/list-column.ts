// Builder for array-valued cells (VOTable arraysize, Parquet/FITS vector columns): a variable-length
// list of doubles per row, stored as Arrow List<Float64> with offsets and a validity mask.
import { Field, Float64, List, makeData, makeVector } from 'apache-arrow';
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
}
