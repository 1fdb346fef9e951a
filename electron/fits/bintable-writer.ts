// BINTABLE HDUs from Arrow tables, written a batch of rows at a time. A FITS column's form depends on
// every row (the widest string, whether all lists have one length, the longest variable array, an
// integer TNULL that no value uses), so a table is first surveyed batch by batch (`TableSurvey`, O(1)
// memory per column) and then written batch by batch (`BintableWriter`): a table that does not fit in
// memory is read twice, never held. Variable-length arrays go to the heap, whose place after the rows is
// known from the surveyed row count, so they are written there as their rows are; the header is written
// first as a placeholder of the same size and sealed in place once the heap size and DATASUM are known.
import { DataType, Precision, Type, Vector } from 'apache-arrow';
import type { Field, Schema, Table } from 'apache-arrow';
import { OnesComplementSum, addOnesComplement } from './checksum.ts';
import { ELEMENT_BYTES } from './column.ts';
import type { ElementType } from './column.ts';
import { FitsError } from './errors.ts';
import { type OutputFile, blockPadding, card, extraCards, sealHeader } from './output.ts';
import type { CardList, ExtraCard } from './output.ts';

/** Bytes of main-table rows encoded per write. */
const CHUNK_BYTES = 1 << 22;
/** Stored integers above the type's minimum whose use is tracked, for a TNULL when the minimum and the
 * maximum are both taken. */
const NEAR_MINIMUM = 1 << 16;

function leafOf(type: DataType, field: Field): { letter: ElementType; tzero: number | bigint | undefined } {
  const tform = field.metadata.get('fits:tform') ?? '';
  if (DataType.isBool(type)) return { letter: /X/i.test(tform) ? 'X' : 'L', tzero: undefined };
  if (DataType.isInt(type)) {
    const bits = type.bitWidth;
    if (bits === 8) return type.isSigned ? { letter: 'B', tzero: -128 } : { letter: 'B', tzero: undefined };
    const letter: ElementType = bits === 16 ? 'I' : bits === 32 ? 'J' : 'K';
    const tzero = type.isSigned ? undefined : bits === 64 ? 2n ** 63n : 2 ** (bits - 1);
    return { letter, tzero };
  }
  if (DataType.isFloat(type)) {
    if (type.precision === Precision.HALF) throw new Error('half-precision floats have no FITS type');
    return { letter: type.precision === Precision.SINGLE ? 'E' : 'D', tzero: undefined };
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return { letter: 'A', tzero: undefined };
  throw new Error(`Arrow type ${Type[type.typeId]} has no FITS column type`);
}

/** A column's form as far as its Arrow type and FITS metadata tell it, before any row is seen. */
interface ColumnForm {
  field: Field;
  tform: string;
  /** An Arrow List: written fixed when every row has one length, unless it must stay variable. */
  list: 'none' | 'variable' | 'maybe-fixed';
  /** FixedSizeList sizes below the List (if any), outermost first. */
  fixedDims: number[];
  leaf: DataType;
  letter: ElementType;
  tzero: number | bigint | undefined;
}

function formOf(field: Field): ColumnForm {
  let type = field.type as DataType;
  const tform = field.metadata.get('fits:tform') ?? '';
  let list: ColumnForm['list'] = 'none';
  if (DataType.isList(type)) {
    type = type.children[0]!.type as DataType;
    // A list whose rows all hold the same number of elements (an array column of Parquet) is written as
    // a fixed-size array, as a FITS reader expects of it; one read from a variable-length (P/Q) FITS
    // column, or of strings, stays variable.
    list = /^\d*[PQ]/i.test(tform) || DataType.isUtf8(type) ? 'variable' : 'maybe-fixed';
  }
  const fixedDims: number[] = [];
  while (DataType.isFixedSizeList(type)) {
    fixedDims.push(type.listSize);
    type = type.children[0]!.type as DataType;
  }
  return { field, tform, list, fixedDims, leaf: type, ...leafOf(type, field) };
}

function flatten(value: unknown): unknown[] {
  if (value == null) return [];
  if (value instanceof Vector)
    return [...(value as Iterable<unknown>)].flatMap((v) => (v instanceof Vector ? flatten(v) : [v]));
  if (Array.isArray(value))
    return (value as unknown[]).flatMap((v) => (v instanceof Vector || Array.isArray(v) ? flatten(v) : [v]));
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>);
  return [value];
}

/** The stored integers of an integer column, as far as its TNULL needs them. */
class StoredIntegers {
  nulls = false;
  private usedLow = false;
  private usedHigh = false;
  /** Bit i: the stored value low + 1 + i is used. */
  private readonly nearLow = new Uint8Array(NEAR_MINIMUM / 8);
  private readonly low: bigint;
  private readonly high: bigint;
  private readonly shift: bigint;
  private readonly wide: boolean;

  constructor(letter: ElementType, tzero: number | bigint | undefined) {
    const bits = BigInt(ELEMENT_BYTES[letter] * 8);
    this.low = letter === 'B' ? 0n : -(2n ** (bits - 1n));
    this.high = letter === 'B' ? 255n : 2n ** (bits - 1n) - 1n;
    this.shift = BigInt(tzero ?? 0);
    this.wide = letter === 'K';
  }

  add(value: unknown): void {
    if (value == null) {
      this.nulls = true;
      return;
    }
    // Numbers below 64 bits are exact as doubles; only 64-bit columns pay for BigInt arithmetic.
    const stored = this.wide
      ? BigInt(value as number | bigint) - this.shift
      : Number(value) - Number(this.shift);
    const sinceLow = this.wide
      ? Number((stored as bigint) - this.low)
      : (stored as number) - Number(this.low);
    if (sinceLow === 0) this.usedLow = true;
    else if (sinceLow <= NEAR_MINIMUM) this.nearLow[(sinceLow - 1) >> 3]! |= 1 << ((sinceLow - 1) & 7);
    if (this.wide ? stored === this.high : stored === Number(this.high)) this.usedHigh = true;
  }

  /** TNULL for a column holding nulls: a stored integer no valid element uses — the minimum if free,
   * else the maximum, else the first free one above the minimum. Undefined when there are no nulls. */
  tnull(): bigint | undefined {
    if (!this.nulls) return undefined;
    if (!this.usedLow) return this.low;
    if (!this.usedHigh) return this.high;
    for (let i = 0; i < NEAR_MINIMUM; i += 1) {
      const candidate = this.low + 1n + BigInt(i);
      if (candidate >= this.high) break;
      if ((this.nearLow[i >> 3]! & (1 << (i & 7))) === 0) return candidate;
    }
    throw new Error('every stored value near the minimum is in use, so nulls cannot be marked with TNULL');
  }
}

/** What one column's form needs from its rows. */
class ColumnSurvey {
  /** Longest string of a fixed A column (each element, for arrays of strings). */
  stringWidth = 0;
  /** For a List: the length every row has so far; -1 once rows differ or one is null; -2 before any. */
  listLength = -2;
  /** Longest variable-length array. */
  maxLength = 0;
  readonly integers: StoredIntegers | null;

  constructor(readonly form: ColumnForm) {
    this.integers = 'BIJK'.includes(form.letter) ? new StoredIntegers(form.letter, form.tzero) : null;
  }

  add(vector: Vector): void {
    const { form } = this;
    // A column of single floats or booleans needs nothing from its rows.
    if (form.list === 'none' && form.letter !== 'A' && this.integers === null) return;
    const nested = form.list !== 'none' || form.fixedDims.length > 0;
    for (let r = 0; r < vector.length; r += 1) {
      const value: unknown = vector.get(r);
      if (form.list !== 'none') {
        if (value == null) this.listLength = -1;
        else {
          const length = (value as Vector).length;
          this.listLength = this.listLength === -2 || this.listLength === length ? length : -1;
          this.maxLength = Math.max(this.maxLength, length);
        }
      }
      if (form.letter === 'A') {
        for (const text of nested ? flatten(value) : [value]) {
          if (typeof text === 'string') this.stringWidth = Math.max(this.stringWidth, text.length);
        }
      } else if (this.integers !== null) {
        if (nested) for (const element of flatten(value)) this.integers.add(element);
        else this.integers.add(value);
      }
    }
  }
}

/** The survey of a table to be written: its schema, its row count and each column's survey. */
export class TableSurvey {
  rows = 0;
  private readonly columns: ColumnSurvey[];

  /** `where` names the file (and HDU) in messages about a column that has no FITS form. */
  constructor(
    readonly schema: Schema,
    where: { file: string; hdu?: number },
  ) {
    this.columns = schema.fields.map((field) => {
      try {
        return new ColumnSurvey(formOf(field));
      } catch (error) {
        throw new FitsError((error as Error).message, { ...where, column: field.name });
      }
    });
  }

  add(table: Table): void {
    this.columns.forEach((column, k) => column.add(table.getChildAt(k)!));
    this.rows += table.numRows;
  }

  /** Every column's layout, once the survey has seen every row. */
  plans(): ColumnPlan[] {
    return this.columns.map(planOf);
  }
}

interface ColumnPlan {
  name: string;
  field: Field;
  letter: ElementType;
  /** Elements per row (characters for A, bits for X). */
  repeat: number;
  dims: number[] | undefined;
  variable: boolean;
  /** Arrow integer signedness differs from FITS storage: shift by TZERO. */
  tzero: number | bigint | undefined;
  tnull: bigint | undefined;
  offset: number;
  width: number;
  /** Largest variable-length array, for the TFORM maximum. */
  maxLength: number;
  /** Characters per string of a fixed A column (each element of a TDIM string array is padded to it). */
  stringWidth: number;
  /** One L, E, D or integer element per cell, written straight into the row. */
  oneNumber: boolean;
}

function planOf(survey: ColumnSurvey): ColumnPlan {
  const { form } = survey;
  const dims: number[] = [];
  let variable = false;
  if (form.list === 'maybe-fixed' && survey.listLength > 0) dims.push(survey.listLength);
  else if (form.list !== 'none') variable = true;
  dims.push(...form.fixedDims);
  let { letter, tzero } = form;
  const complex =
    /[CM]/i.test(form.tform) && dims.length > 0 && dims[dims.length - 1] === 2 && DataType.isFloat(form.leaf);
  if (complex) {
    dims.pop();
    letter = DataType.isFloat(form.leaf) && form.leaf.precision === Precision.SINGLE ? 'C' : 'M';
    tzero = undefined;
  }
  let repeat = dims.reduce((a, b) => a * b, 1);
  let stringWidth = 0;
  if (letter === 'A' && !variable) {
    // Fixed strings (and arrays of them, TDIM (width, n…)): as wide as the longest one.
    stringWidth = Math.max(1, survey.stringWidth);
    repeat *= stringWidth;
    if (dims.length > 0) dims.push(stringWidth);
  }
  const width = variable ? 8 : letter === 'X' ? Math.ceil(repeat / 8) : repeat * ELEMENT_BYTES[letter];
  return {
    name: form.field.name,
    field: form.field,
    letter,
    repeat,
    dims: dims.length > 1 ? dims : undefined,
    variable,
    tzero,
    tnull: survey.integers?.tnull(),
    offset: 0,
    width,
    maxLength: variable ? survey.maxLength : 0,
    stringWidth,
    oneNumber: !variable && repeat === 1 && dims.length <= 1 && 'LEDBIJK'.includes(letter),
  };
}

function tformOf(plan: ColumnPlan): string {
  if (plan.variable) return `P${plan.letter}(${plan.maxLength})`;
  return `${plan.repeat}${plan.letter}`;
}

export interface BintableOptions {
  name?: string;
  cards?: ExtraCard[];
  checksum: boolean;
}

/**
 * Writes one BINTABLE HDU at the output's cursor: the header placeholder at construction, the rows of
 * each `write` in order, the sealed header at `finish`, which leaves the cursor after the HDU.
 */
export class BintableWriter {
  private readonly plans: ColumnPlan[];
  private readonly rowWidth: number;
  private readonly headerAt: number;
  private readonly heapAt: number;
  private heapSize = 0;
  private written = 0;
  private readonly rowsSum = new OnesComplementSum();
  private readonly heapSum = new OnesComplementSum();
  private readonly placeholderLength: number;

  constructor(
    private readonly out: OutputFile,
    private readonly where: { file: string; hdu: number },
    private readonly survey: TableSurvey,
    private readonly options: BintableOptions,
  ) {
    this.plans = survey.plans();
    let rowWidth = 0;
    for (const plan of this.plans) {
      plan.offset = rowWidth;
      rowWidth += plan.width;
    }
    this.rowWidth = rowWidth;
    this.headerAt = out.position;
    const placeholder = sealHeader(this.cards(0), 0, options.checksum);
    this.placeholderLength = placeholder.length;
    out.write(placeholder);
    const rowBytes = survey.rows * rowWidth;
    this.heapAt = out.position + rowBytes;
    // The heap's words start where the rows end, which need not be a word boundary.
    this.heapSum.update(new Uint8Array(rowBytes % 4));
  }

  private cards(heapBytes: number): CardList {
    const list: CardList = [];
    card(list, 'XTENSION', 'BINTABLE', 'binary table extension');
    card(list, 'BITPIX', 8, 'array data type');
    card(list, 'NAXIS', 2, 'number of array dimensions');
    card(list, 'NAXIS1', this.rowWidth, 'length of dimension 1');
    card(list, 'NAXIS2', this.survey.rows, 'length of dimension 2');
    card(list, 'PCOUNT', heapBytes, 'number of group parameters');
    card(list, 'GCOUNT', 1, 'number of groups');
    card(list, 'TFIELDS', this.plans.length, 'number of table fields');
    this.plans.forEach((plan, k) => {
      const n = k + 1;
      card(list, `TTYPE${n}`, plan.name, plan.field.metadata.get('description') ?? '');
      card(list, `TFORM${n}`, tformOf(plan));
      const unit = plan.field.metadata.get('unit');
      if (unit) card(list, `TUNIT${n}`, unit);
      if (plan.tnull !== undefined) card(list, `TNULL${n}`, plan.tnull);
      if (plan.tzero !== undefined) {
        card(list, `TSCAL${n}`, 1);
        card(list, `TZERO${n}`, plan.tzero);
      }
      if (plan.dims) card(list, `TDIM${n}`, `(${[...plan.dims].reverse().join(',')})`);
      const display = plan.field.metadata.get('tdisp');
      if (display) card(list, `TDISP${n}`, display);
    });
    if (this.options.name) card(list, 'EXTNAME', this.options.name, 'extension name');
    extraCards(list, this.options.cards);
    return list;
  }

  /** Writes the rows of `table`, whose schema is the surveyed one. */
  write(table: Table): void {
    if (this.written + table.numRows > this.survey.rows) {
      throw new FitsError(
        `more rows to write (${this.written + table.numRows}) than were surveyed (${this.survey.rows}): the input changed while it was converted`,
        this.where,
      );
    }
    const per = Math.max(1, Math.floor(CHUNK_BYTES / Math.max(1, this.rowWidth)));
    for (let start = 0; start < table.numRows; start += per) {
      const count = Math.min(per, table.numRows - start);
      const bytes = Buffer.alloc(count * this.rowWidth);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      this.plans.forEach((plan, k) => {
        const vector = table.getChildAt(k)!;
        for (let r = 0; r < count; r += 1) {
          try {
            this.encodeCell(plan, vector.get(start + r), bytes, view, r * this.rowWidth + plan.offset);
          } catch (error) {
            throw new FitsError(`row ${this.written + start + r}: ${(error as Error).message}`, {
              ...this.where,
              column: plan.name,
            });
          }
        }
      });
      this.out.write(bytes);
      this.rowsSum.update(bytes);
    }
    this.written += table.numRows;
  }

  private encodeCell(plan: ColumnPlan, value: unknown, bytes: Buffer, view: DataView, at: number): void {
    if (plan.variable) {
      const elements = value == null ? [] : typeof value === 'string' ? [...value] : flatten(value);
      const encoded = encodeElements(plan, elements);
      view.setInt32(
        at,
        plan.letter === 'A'
          ? encoded.length
          : plan.letter === 'C' || plan.letter === 'M'
            ? elements.length / 2
            : elements.length,
        false,
      );
      view.setInt32(at + 4, this.heapSize, false);
      if (this.heapSize + encoded.length > 2 ** 31 - 1) throw new Error('the heap exceeds 2 GiB');
      this.out.writeAt(encoded, this.heapAt + this.heapSize);
      this.heapSum.update(encoded);
      this.heapSize += encoded.length;
      return;
    }
    if (plan.letter === 'A') {
      bytes.set(encodeElements(plan, plan.dims ? flatten(value) : [value]), at);
      return;
    }
    if (plan.oneNumber) {
      // Most catalogue columns: straight into the row, no buffer per cell.
      writeElement(view, at, plan, value);
      return;
    }
    bytes.set(encodeElements(plan, flatten(value)), at);
  }

  /** Seals the header once every surveyed row is written; the cursor moves past the padded data. */
  finish(): void {
    if (this.written !== this.survey.rows) {
      throw new FitsError(
        `${this.written} rows written where ${this.survey.rows} were surveyed: the input changed while it was converted`,
        this.where,
      );
    }
    this.out.position = this.heapAt + this.heapSize;
    const size = this.heapAt + this.heapSize - (this.headerAt + this.placeholderLength);
    this.out.write(blockPadding(size));
    const header = sealHeader(
      this.cards(this.heapSize),
      addOnesComplement(this.rowsSum.value(), this.heapSum.value()),
      this.options.checksum,
    );
    if (header.length !== this.placeholderLength)
      throw new FitsError('header size changed while writing', this.where);
    this.out.writeAt(header, this.headerAt);
  }
}

/** Encode elements of one cell (or one heap array) big-endian, with TZERO shift and TNULL. */
function encodeElements(plan: ColumnPlan, elements: unknown[]): Buffer {
  if (plan.letter === 'A') {
    const texts = elements.map((e) => (typeof e === 'string' ? e : ''));
    const text = plan.variable ? texts.join('') : texts.map((t) => t.padEnd(plan.stringWidth, '\0')).join('');
    if ([...text].some((ch) => ch.charCodeAt(0) > 0xff))
      throw new Error('string holds characters outside Latin-1');
    const width = plan.variable ? text.length : plan.repeat;
    const out = Buffer.alloc(width);
    out.write(text, 'latin1');
    return out;
  }
  if (plan.letter === 'X') {
    const out = Buffer.alloc(Math.ceil((plan.variable ? elements.length : plan.repeat) / 8));
    elements.forEach((bit, k) => {
      if (bit) out[k >> 3]! |= 0x80 >> (k & 7);
    });
    return out;
  }
  const complexValues = plan.letter === 'C' || plan.letter === 'M';
  const count = plan.variable ? (complexValues ? elements.length / 2 : elements.length) : plan.repeat;
  const perElement = ELEMENT_BYTES[plan.letter];
  const out = Buffer.alloc(count * perElement);
  const view = new DataView(out.buffer, out.byteOffset, out.length);
  for (let k = 0; k < count; k += 1) {
    const at = k * perElement;
    if (complexValues) {
      const re = elements[2 * k];
      const im = elements[2 * k + 1];
      if (plan.letter === 'C') {
        view.setFloat32(at, re == null ? NaN : Number(re), false);
        view.setFloat32(at + 4, im == null ? NaN : Number(im), false);
      } else {
        view.setFloat64(at, re == null ? NaN : Number(re), false);
        view.setFloat64(at + 8, im == null ? NaN : Number(im), false);
      }
      continue;
    }
    writeElement(view, at, plan, elements[k]);
  }
  return out;
}

/** One L, E, D or integer element, big-endian, at `at`. */
function writeElement(view: DataView, at: number, plan: ColumnPlan, value: unknown): void {
  switch (plan.letter) {
    case 'L':
      view.setUint8(at, value == null ? 0 : value ? 84 : 70);
      break;
    case 'E':
      view.setFloat32(at, value == null ? NaN : Number(value), false);
      break;
    case 'D':
      view.setFloat64(at, value == null ? NaN : Number(value), false);
      break;
    case 'K':
      view.setBigInt64(at, storedInteger(plan, value), false);
      break;
    default: {
      // Below 64 bits the stored integer is exact as a double: no BigInt per element.
      const raw = storedNumber(plan, value);
      if (plan.letter === 'B') view.setUint8(at, raw);
      else if (plan.letter === 'I') view.setInt16(at, raw, false);
      else view.setInt32(at, raw, false);
    }
  }
}

function nullsCannotBeWritten(): never {
  throw new Error('null in a column without TNULL');
}

function collides(value: unknown): never {
  throw new Error(`value ${String(value)} collides with the TNULL chosen for nulls`);
}

function storedInteger(plan: ColumnPlan, value: unknown): bigint {
  if (value == null) return plan.tnull ?? nullsCannotBeWritten();
  const raw = BigInt(value as number | bigint) - BigInt(plan.tzero ?? 0);
  return raw === plan.tnull ? collides(value) : raw;
}

function storedNumber(plan: ColumnPlan, value: unknown): number {
  if (value == null) return plan.tnull === undefined ? nullsCannotBeWritten() : Number(plan.tnull);
  const raw = Number(value) - Number(plan.tzero ?? 0);
  return plan.tnull !== undefined && raw === Number(plan.tnull) ? collides(value) : raw;
}
