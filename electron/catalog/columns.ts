// Column builders shared by the text readers (CSV, ECSV, VOTable TABLEDATA, byte-by-byte): cell text
// → typed storage with a validity mask → one Arrow vector. A builder either has a declared type (ECSV
// datatype, VOTable datatype, MRT format) or infers one from the values it sees (CSV): bool, then
// integer, then float, then string, widening as later values demand. Integers stay exact: they are
// held as doubles while they fit in 2^53 and move to 64-bit storage when a larger one (a Gaia
// source_id) arrives. Missing cells are nulls in the validity mask, never a sentinel number.
import {
  Bool,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
} from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';

export type ColumnKind = 'bool' | 'int' | 'float' | 'string';

/** Declared storage types a reader can ask for (the ECSV/VOTable/FITS vocabulary). */
export type DeclaredType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'string';

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+)?$/;
const INT_PATTERN = /^[+-]?\d+$/;
const TWO_53 = 2 ** 53;

/** Each integer type's range, bounds included. A cell outside it would wrap in the typed array that
 * stores the column (70000 becomes 4464 in an Int16Array), so it is refused instead. */
const INT64_RANGE = [-(2n ** 63n), 2n ** 63n - 1n] as const;
export const INT_RANGE: Partial<Record<DeclaredType, readonly [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  int64: INT64_RANGE,
  uint8: [0n, 2n ** 8n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

/** Parses a numeric cell; Fortran `D` exponents and nan/inf spellings included. NaN when not a number. */
export function parseNumber(text: string): number {
  // Fast path: plain decimal text (no hex/binary/octal prefixes, which Number() would accept).
  const first = text.charCodeAt(0);
  if (first > 32 && first !== 127 && text.charCodeAt(text.length - 1) > 32) {
    const quick = Number(text);
    // 'x', 'X', 'b', 'B', 'o', 'O' after a leading 0 would make Number() read hex/binary/octal.
    const second = text.length > 1 ? text.charCodeAt(1) | 32 : 0;
    if (!Number.isNaN(quick) && !(first === 48 && (second === 120 || second === 98 || second === 111)))
      return quick;
  }
  const trimmed = text.trim();
  if (NUMBER_PATTERN.test(trimmed)) {
    const c = trimmed.indexOf('D') >= 0 || trimmed.indexOf('d') >= 0;
    return Number(c ? trimmed.replace(/[dD]/, 'e') : trimmed);
  }
  const lower = trimmed.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return Number.NaN;
}

/** Optional sign and decimal digits only (what INT_PATTERN matches), without a regex per cell. */
function isIntegerText(text: string): boolean {
  const n = text.length;
  let i = text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= n) return false;
  for (; i < n; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isNumberText(text: string): boolean {
  const lower = text.trim().toLowerCase();
  return (
    NUMBER_PATTERN.test(text.trim()) || lower === 'nan' || lower.endsWith('inf') || lower.endsWith('infinity')
  );
}

function parseBool(text: string): boolean | null {
  switch (text.trim()) {
    case 'True':
    case 'true':
    case 'TRUE':
    case 'T':
    case 't':
      return true;
    case 'False':
    case 'false':
    case 'FALSE':
    case 'F':
    case 'f':
      return false;
    default:
      return null;
  }
}

/** An array cell from an Arrow list column, or from text such as "[1.0, 2.0]" / "(1.0, 2.0)" (archive CSV). */
export function arrayCell(vector: Vector, row: number): Float64Array | null {
  const value: unknown = vector.get(row);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const parts = value.replace(/^[[(]|[\])]$/g, '').trim();
    if (parts === '') return new Float64Array(0);
    return Float64Array.from(
      parts.split(/[\s,]+/).filter((p) => p !== ''),
      (p) => (/^nan$/i.test(p) ? Number.NaN : Number(p)),
    );
  }
  if (typeof value === 'object' && 'toArray' in value) {
    // toArray() gives the data buffer as it is, whatever a null element holds there (0 after a Parquet
    // round trip): a cell with nulls is read element by element, a null becoming NaN.
    const cell = value as Vector;
    if (cell.nullCount === 0) return Float64Array.from(cell.toArray() as ArrayLike<number>, Number);
    return Float64Array.from(cell as Iterable<number | null>, (v) => (v === null ? Number.NaN : Number(v)));
  }
  throw new Error(`row ${row + 1}: expected an array, got ${typeof value}`);
}

/** Packs a byte-per-row validity mask into Arrow's LSB bitmap. */
export function packValidity(valid: Uint8Array, length: number): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  for (let i = 0; i < length; i += 1) {
    if (valid[i]) bitmap[i >> 3]! |= 1 << (i & 7);
    else nullCount += 1;
  }
  return { bitmap, nullCount };
}

export function arrowType(declared: DeclaredType): DataType {
  switch (declared) {
    case 'bool':
      return new Bool();
    case 'int8':
      return new Int8();
    case 'int16':
      return new Int16();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'uint8':
      return new Uint8();
    case 'uint16':
      return new Uint16();
    case 'uint32':
      return new Uint32();
    case 'uint64':
      return new Uint64();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'string':
      return new Utf8();
  }
}

/** Error thrown by a builder; the reader adds the file, line and column. */
export class CellError extends Error {}

/**
 * Accumulates one column. `push(null)` is a missing cell; `push(text)` parses text by the declared type
 * or, with none declared, by inference.
 */
export class ColumnBuilder {
  private kind: ColumnKind | 'unknown';
  private readonly declared: DeclaredType | undefined;
  /** The integer range a cell must fit (int64's when inferring); as numbers for the cells below 2^53,
   * which are checked without a BigInt. */
  private readonly intRange: readonly [bigint, bigint];
  private readonly intLow: number;
  private readonly intHigh: number;
  private numbers = new Float64Array(1024);
  private bigs: BigInt64Array | null = null;
  private strings: string[] | null = null;
  private valid = new Uint8Array(1024);
  private length = 0;
  /** Whether widening to text wrote earlier cells from their parsed values, not their own spelling. */
  private respelledCells = false;

  constructor(declared?: DeclaredType) {
    this.declared = declared;
    if (declared === undefined) this.kind = 'unknown';
    else if (declared === 'bool') this.kind = 'bool';
    else if (declared === 'string') this.kind = 'string';
    else if (declared.startsWith('float')) this.kind = 'float';
    else this.kind = 'int';
    if (this.kind === 'string') this.strings = [];
    this.intRange = (declared !== undefined ? INT_RANGE[declared] : undefined) ?? INT64_RANGE;
    this.intLow = Number(this.intRange[0]);
    this.intHigh = Number(this.intRange[1]);
  }

  get rows(): number {
    return this.length;
  }

  /** Whether the column became text after holding numbers or booleans, whose cells then lost their own
   * spelling ('1.50' became '1.5'): a caller that can read the cells again should, with `storedType`
   * declared. */
  get respelled(): boolean {
    return this.respelledCells;
  }

  private grow(): void {
    if (this.length < this.valid.length) return;
    const size = this.valid.length * 2;
    const valid = new Uint8Array(size);
    valid.set(this.valid);
    this.valid = valid;
    if (this.strings === null) {
      const numbers = new Float64Array(size);
      numbers.set(this.numbers);
      this.numbers = numbers;
      if (this.bigs !== null) {
        const bigs = new BigInt64Array(size);
        bigs.set(this.bigs);
        this.bigs = bigs;
      }
    }
  }

  pushNull(): void {
    this.grow();
    this.valid[this.length] = 0;
    if (this.strings !== null) this.strings.push('');
    this.length += 1;
  }

  /** Appends a parsed cell's text (already stripped of quotes); never call with a missing marker. */
  push(text: string): void {
    this.grow();
    const i = this.length;
    if (this.kind === 'unknown') {
      const kind = this.inferKind(text);
      if (kind === 'string') this.widenTo('string');
      else this.kind = kind;
    }
    switch (this.kind) {
      case 'string':
        this.strings!.push(text);
        break;
      case 'bool': {
        const value = parseBool(text);
        if (value === null) {
          if (this.declared !== undefined) throw new CellError(`'${text}' is not a boolean`);
          this.widenTo('string');
          this.strings!.push(text);
        } else this.numbers[i] = value ? 1 : 0;
        break;
      }
      case 'int': {
        const trimmed = text.trim();
        if (isIntegerText(trimmed)) {
          const value = Number(trimmed);
          if (this.bigs === null && Math.abs(value) < TWO_53) {
            if (value < this.intLow || value > this.intHigh) throw this.outOfRange(trimmed);
            this.numbers[i] = value;
            break;
          }
          const big = BigInt(trimmed);
          if (big < this.intRange[0] || big > this.intRange[1]) {
            // astropy reads a whole-number column that int64 cannot hold as text, each cell as written.
            if (this.declared !== undefined) throw this.outOfRange(trimmed);
            this.widenTo('string');
            this.strings!.push(text);
            break;
          }
          if (this.bigs === null) this.toBig();
          // A uint64 above 2^63 - 1 is kept as its two's-complement bits, which finish() reads back unsigned.
          this.bigs![i] = big;
        } else if (this.declared !== undefined) {
          throw new CellError(`'${text}' is not an integer`);
        } else if (isNumberText(text) && this.bigs === null) {
          this.kind = 'float';
          this.numbers[i] = parseNumber(text);
        } else {
          this.widenTo('string');
          this.strings!.push(text);
        }
        break;
      }
      case 'float': {
        const value = parseNumber(text);
        if (Number.isNaN(value) && !isNumberText(text)) {
          if (this.declared !== undefined) throw new CellError(`'${text}' is not a number`);
          this.widenTo('string');
          this.strings!.push(text);
        } else this.numbers[i] = value;
        break;
      }
    }
    this.valid[i] = 1;
    this.length += 1;
  }

  private outOfRange(text: string): CellError {
    const [low, high] = this.intRange;
    return new CellError(`${text} does not fit in ${this.declared ?? 'int64'} (${low} to ${high})`);
  }

  /** Appends an already-decoded number to a declared int/float column (binary formats). */
  pushNumber(value: number): void {
    this.grow();
    const i = this.length;
    if (this.kind === 'int' && this.bigs !== null) this.bigs[i] = BigInt(value);
    else this.numbers[i] = value;
    this.valid[i] = 1;
    this.length += 1;
  }

  /** Appends an exact 64-bit integer to a declared int column. */
  pushBigInt(value: bigint): void {
    this.grow();
    const i = this.length;
    if (this.bigs === null) {
      if (value < BigInt(TWO_53) && value > -BigInt(TWO_53)) {
        this.numbers[i] = Number(value);
        this.valid[i] = 1;
        this.length += 1;
        return;
      }
      this.toBig();
    }
    this.bigs![i] = value;
    this.valid[i] = 1;
    this.length += 1;
  }

  pushBool(value: boolean): void {
    this.grow();
    this.numbers[this.length] = value ? 1 : 0;
    this.valid[this.length] = 1;
    this.length += 1;
  }

  private inferKind(text: string): ColumnKind {
    if (parseBool(text) !== null && !/^[TtFf]$/.test(text.trim())) return 'bool';
    // '0000' or '007' is a code (a WISE cc_flags value, a catalogue number), not the integer 0 or 7.
    if (/^0\d/.test(text.trim())) return 'string';
    if (INT_PATTERN.test(text.trim())) return 'int';
    if (isNumberText(text)) return 'float';
    return 'string';
  }

  private toBig(): void {
    const bigs = new BigInt64Array(this.numbers.length);
    for (let j = 0; j < this.length; j += 1) if (this.valid[j]) bigs[j] = BigInt(this.numbers[j]!);
    this.bigs = bigs;
  }

  /** Widening to string keeps earlier values as their text (exact for integers and shortest round-trip for floats). */
  private widenTo(kind: 'string'): void {
    const strings: string[] = [];
    for (let j = 0; j < this.length; j += 1) {
      if (this.valid[j]) this.respelledCells = true;
      if (!this.valid[j]) strings.push('');
      else if (this.bigs !== null) strings.push(this.bigs[j]!.toString());
      else if (this.kind === 'bool') strings.push(this.numbers[j] ? 'True' : 'False');
      else strings.push(String(this.numbers[j]));
    }
    this.strings = strings;
    this.bigs = null;
    this.kind = kind;
  }

  /** Drops the rows pushed so far but keeps what they taught about the column's type, so a table can
   * be scanned in batches (its types known at the end) without holding its rows. */
  reset(): void {
    this.length = 0;
    this.valid = new Uint8Array(1024);
    this.numbers = new Float64Array(1024);
    if (this.bigs !== null) this.bigs = new BigInt64Array(1024);
    if (this.strings !== null) this.strings = [];
  }

  /** The storage `finish` would give the rows seen so far, as a type to declare to another builder. */
  storedType(): DeclaredType {
    if (this.declared !== undefined) return this.declared;
    switch (this.kind) {
      case 'string':
        return 'string';
      case 'bool':
        return 'bool';
      case 'int':
        return 'int64';
      default:
        return 'float64';
    }
  }

  /** The finished Arrow vector. An all-null column with nothing declared becomes float64. */
  finish(): Vector {
    const n = this.length;
    const { bitmap, nullCount } = packValidity(this.valid, n);
    const kind = this.kind === 'unknown' ? 'float' : this.kind;
    if (kind === 'string') {
      const values = this.strings!.map((s, j) => (this.valid[j] ? s : null));
      return vectorFromArray(values, new Utf8());
    }
    if (kind === 'bool') {
      const packed = new Uint8Array(Math.ceil(n / 8));
      for (let j = 0; j < n; j += 1) if (this.numbers[j]) packed[j >> 3]! |= 1 << (j & 7);
      return makeVector(
        makeData({ type: new Bool(), length: n, nullCount, nullBitmap: bitmap, data: packed }),
      );
    }
    if (kind === 'int') {
      const declared = this.declared ?? 'int64';
      const type = arrowType(declared);
      if (declared === 'int64' || declared === 'uint64') {
        const data =
          this.bigs ??
          BigInt64Array.from(this.numbers.subarray(0, n), (v, j) => (this.valid[j] ? BigInt(v) : 0n));
        const typed = declared === 'uint64' ? new BigUint64Array(data.buffer, 0, n) : data.subarray(0, n);
        return makeVector(makeData({ type, length: n, nullCount, nullBitmap: bitmap, data: typed } as never));
      }
      const ctor = typedArrayFor(declared);
      const typed = new ctor(n);
      for (let j = 0; j < n; j += 1) typed[j] = this.numbers[j]!;
      return makeVector(makeData({ type, length: n, nullCount, nullBitmap: bitmap, data: typed } as never));
    }
    const type = arrowType(this.declared === 'float32' ? 'float32' : 'float64');
    const data =
      this.declared === 'float32' ? Float32Array.from(this.numbers.subarray(0, n)) : this.numbers.slice(0, n);
    return makeVector(makeData({ type, length: n, nullCount, nullBitmap: bitmap, data } as never));
  }
}

type SmallIntArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
type SmallIntCtor = new (n: number) => SmallIntArray;

function typedArrayFor(declared: DeclaredType): SmallIntCtor {
  switch (declared) {
    case 'int8':
      return Int8Array;
    case 'int16':
      return Int16Array;
    case 'uint8':
      return Uint8Array;
    case 'uint16':
      return Uint16Array;
    case 'uint32':
      return Uint32Array;
    default:
      return Int32Array;
  }
}
