// Binary-table column descriptions (FITS 4.0 §7.3): TFORMn (repeat, type, P/Q descriptors),
// TTYPE/TUNIT/TDISP, TDIMn, TSCAL/TZERO/TNULL and the unsigned-integer TZERO convention, with the
// columns' widths checked to add up to NAXIS1; the column names of any table HDU, a
// repeated TTYPE made unique.
import { FitsError, withContext } from './errors.ts';
import type { Header } from './header.ts';
import { uniqueNames } from './names.ts';

export type ElementType = 'L' | 'X' | 'B' | 'I' | 'J' | 'K' | 'A' | 'E' | 'D' | 'C' | 'M';

export const ELEMENT_BYTES: Record<ElementType, number> = {
  L: 1,
  X: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
};

export interface BinaryColumn {
  /** 0-based position. */
  index: number;
  name: string;
  /** TFORMn as written. */
  format: string;
  unit: string;
  display: string;
  description: string;
  type: ElementType;
  /** Elements per cell (bits for X); for P/Q columns the declared maximum, if any. */
  repeat: number;
  /** Variable-length array descriptor kind, if the column is P or Q. */
  descriptor: 'P' | 'Q' | undefined;
  /** Byte offset of the cell within a row, and bytes it takes there. */
  offset: number;
  width: number;
  /** TDIMn in numpy order (slowest first), when given. */
  dims: number[] | undefined;
  scale: number;
  zero: number;
  /** TNULLn as the stored integer. */
  nullValue: bigint | undefined;
  /** The TZERO unsigned convention (B with −128 gives signed bytes). */
  unsigned: boolean;
  /** TSCAL/TZERO other than the unsigned convention: values are float64 after scaling. */
  scaled: boolean;
}

// rTa (FITS 4.0 §7.3.1). Lower-case type letters are accepted because astropy reads '3a' and '1e' as
// '3A' and '1E'; a mistyped letter then still shows up in the NAXIS1 check below.
const TFORM = /^\s*(\d*)\s*([LXBIJKAEDCMPQ])(.*)$/i;
const DESCRIPTOR_TYPE = /^\s*([LXBIJKAEDCM])\s*(?:\(\s*(\d+)\s*\))?\s*$/i;

export interface ParsedForm {
  repeat: number;
  type: ElementType;
  descriptor: 'P' | 'Q' | undefined;
}

/** Parse a binary-table TFORM value such as "1J", "20A", "8X", "0J", "PE(100)", "1QD". */
export function parseBinaryForm(form: string): ParsedForm {
  const match = TFORM.exec(form);
  if (!match) throw new FitsError(`TFORM '${form}' is not a binary-table format`);
  const repeat = match[1] === '' ? 1 : Number(match[1]);
  const letter = match[2]!.toUpperCase();
  const rest = match[3] ?? '';
  if (letter === 'P' || letter === 'Q') {
    const inner = DESCRIPTOR_TYPE.exec(rest);
    if (!inner) throw new FitsError(`TFORM '${form}' has no valid element type after ${letter}`);
    if (repeat > 1) throw new FitsError(`TFORM '${form}': a ${letter} descriptor cannot repeat`);
    return {
      repeat: inner[2] === undefined ? 0 : Number(inner[2]),
      type: inner[1]!.toUpperCase() as ElementType,
      descriptor: letter,
    };
  }
  if (!Number.isSafeInteger(repeat)) throw new FitsError(`TFORM '${form}' has an impossible repeat count`);
  // Only a {…} note may follow the type, and after A the substring width of the rAw convention: anything
  // else ('abc' read as 'A' + 'bc') would silently give the column a width the writer did not mean.
  const allowed = letter === 'A' ? /^\s*(\d+|\{.*\})?\s*$/ : /^\s*(\{.*\})?\s*$/;
  if (!allowed.test(rest)) throw new FitsError(`TFORM '${form}' has unexpected text after the type`);
  return { repeat, type: letter as ElementType, descriptor: undefined };
}

/** Bytes a cell takes in the row. */
export function cellWidth(form: ParsedForm): number {
  if (form.descriptor === 'P') return 8;
  if (form.descriptor === 'Q') return 16;
  if (form.type === 'X') return Math.ceil(form.repeat / 8);
  return form.repeat * ELEMENT_BYTES[form.type];
}

/** Parse TDIMn "(a,b,c)" (FITS order, fastest first) into numpy order. */
export function parseTdim(text: string): number[] {
  const match = /^\s*\(([\d\s,]+)\)\s*$/.exec(text);
  if (!match) throw new FitsError(`TDIM '${text}' is not of the form (n1,n2,...)`);
  const dims = match[1]!.split(',').map((part) => Number(part.trim()));
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new FitsError(`TDIM '${text}' has a bad axis length`);
  return dims.reverse();
}

/** The TTYPEn of a table's columns (`coln` where missing), a repeated one made unique (TTYPE2 equal
 * to TTYPE1 becomes `<name>_2`), so that a column can be found by its name. */
export function columnNames(header: Header, fields: number): string[] {
  return uniqueNames(
    Array.from(
      { length: fields },
      (_, k) => (header.optionalString(`TTYPE${k + 1}`) ?? '').trim() || `col${k + 1}`,
    ),
  );
}

/** All columns of a BINTABLE header, laid out and checked against NAXIS1. */
export function binaryColumns(header: Header): BinaryColumn[] {
  const fields = header.integer('TFIELDS');
  if (fields < 0 || fields > 999)
    throw new FitsError(`TFIELDS ${fields} is outside 0–999`, { keyword: 'TFIELDS' });
  const rowWidth = header.integer('NAXIS1');
  const names = columnNames(header, fields);
  const columns: BinaryColumn[] = [];
  let offset = 0;
  for (let i = 1; i <= fields; i += 1) {
    const keyword = `TFORM${i}`;
    const name = names[i - 1]!;
    const column = withContext({ column: name }, () => {
      const format = header.string(keyword);
      const form = withContext({ keyword }, () => parseBinaryForm(format));
      const width = cellWidth(form);
      const dimText = header.optionalString(`TDIM${i}`);
      const dims =
        dimText === undefined || form.descriptor
          ? undefined
          : withContext({ keyword: `TDIM${i}` }, () => parseTdim(dimText));
      if (dims && form.type !== 'X') {
        const product = dims.reduce((a, b) => a * b, 1);
        if (product > form.repeat) {
          throw new FitsError(`TDIM ${dimText} holds ${product} elements but TFORM gives ${form.repeat}`, {
            keyword: `TDIM${i}`,
          });
        }
      }
      const scale = header.optionalNumber(`TSCAL${i}`) ?? 1;
      const zero = header.optionalNumber(`TZERO${i}`) ?? 0;
      const integer = 'BIJK'.includes(form.type);
      const nullValue = integer ? header.optionalBigInteger(`TNULL${i}`) : undefined;
      const unsigned =
        integer &&
        scale === 1 &&
        ((form.type === 'B' && zero === -128) ||
          (form.type === 'I' && zero === 32768) ||
          (form.type === 'J' && zero === 2 ** 31) ||
          // TZERO 9223372036854775807 also rounds to 2^63 as a double: only an exact 2^63 is unsigned.
          (form.type === 'K' && zero === 2 ** 63 && header.optionalBigInteger(`TZERO${i}`) === 2n ** 63n));
      const numeric = integer || form.type === 'E' || form.type === 'D';
      const scaled = numeric && !unsigned && (scale !== 1 || zero !== 0);
      return {
        index: i - 1,
        name,
        format: format.trim(),
        unit: (header.optionalString(`TUNIT${i}`) ?? '').trim(),
        display: (header.optionalString(`TDISP${i}`) ?? '').trim(),
        description:
          typeof header.card(`TTYPE${i}`)?.comment === 'string' ? header.card(`TTYPE${i}`)!.comment : '',
        type: form.type,
        repeat: form.repeat,
        descriptor: form.descriptor,
        offset,
        width,
        dims,
        scale,
        zero,
        nullValue,
        unsigned,
        scaled,
      } satisfies BinaryColumn;
    });
    offset += column.width;
    columns.push(column);
  }
  // The widths must add up to NAXIS1 exactly (fitsverify's rule): a shortfall means a TFORM is not what
  // the writer meant, and every later column would be decoded at the wrong offset.
  if (offset !== rowWidth) {
    const forms = columns.map((c) => `TFORM${c.index + 1} '${c.format}'`).join(', ');
    throw new FitsError(`the columns need ${offset} bytes per row (${forms}) but NAXIS1 is ${rowWidth}`, {
      keyword: 'NAXIS1',
    });
  }
  return columns;
}
