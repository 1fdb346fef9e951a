// ASCII-table data (FITS 4.0 §7.2): fields at TBCOLn with formats Aw, Iw, Fw.d, Ew.d, Dw.d; TNULLn
// matched as text; TSCAL/TZERO applied to numeric fields; an F/E/D field written without a decimal
// point has d implied decimals (§7.2.5). Iw of 10 or more digits is read as a 64-bit integer, as
// astropy does, so large values stay exact.
import { columnNames } from './column.ts';
import { FitsError, withContext } from './errors.ts';
import type { FitsFile } from './file.ts';
import type { Hdu } from './hdu.ts';
import { valueText } from './header.ts';
import type { Header } from './header.ts';

export type AsciiType = 'A' | 'I' | 'F' | 'E' | 'D';

export interface AsciiColumn {
  index: number;
  name: string;
  format: string;
  unit: string;
  display: string;
  description: string;
  type: AsciiType;
  /** 0-based start within the row, and field width. */
  start: number;
  width: number;
  decimals: number;
  nullText: string | undefined;
  scale: number;
  zero: number;
  /** Iw with w ≥ 10: values as bigint. */
  wide: boolean;
}

export type AsciiValue = string | number | bigint | null;

// Case-sensitive like astropy, which refuses 'i5' and 'e10.4'.
const FORM = /^\s*([AIFED])\s*(\d+)(?:\.(\d+))?(?:[EeDd]\d+)?\s*$/;

export function asciiColumns(header: Header): AsciiColumn[] {
  const fields = header.integer('TFIELDS');
  const rowWidth = header.integer('NAXIS1');
  if (fields < 0 || fields > 999)
    throw new FitsError(`TFIELDS ${fields} is outside 0–999`, { keyword: 'TFIELDS' });
  const names = columnNames(header, fields);
  const columns: AsciiColumn[] = [];
  for (let i = 1; i <= fields; i += 1) {
    const name = names[i - 1]!;
    columns.push(
      withContext({ column: name }, () => {
        const format = header.string(`TFORM${i}`);
        const match = FORM.exec(format);
        if (!match) {
          throw new FitsError(`TFORM '${format}' is not an ASCII-table format (Aw, Iw, Fw.d, Ew.d or Dw.d)`, {
            keyword: `TFORM${i}`,
          });
        }
        const type = match[1] as AsciiType;
        const width = Number(match[2]);
        // A zero width would read every value as an empty field, that is as null.
        if (!Number.isSafeInteger(width) || width < 1) {
          throw new FitsError(`TFORM '${format}': the field width must be a positive integer`, {
            keyword: `TFORM${i}`,
          });
        }
        const tbcol = header.integer(`TBCOL${i}`);
        if (tbcol < 1 || tbcol - 1 + width > rowWidth) {
          throw new FitsError(
            `TBCOL${i} ${tbcol} with TFORM${i} '${format.trim()}' (width ${width}) does not fit in NAXIS1 ${rowWidth}`,
            { keyword: `TBCOL${i}` },
          );
        }
        const nullCard = header.card(`TNULL${i}`);
        return {
          index: i - 1,
          name,
          format: format.trim(),
          unit: (header.optionalString(`TUNIT${i}`) ?? '').trim(),
          display: (header.optionalString(`TDISP${i}`) ?? '').trim(),
          description: header.card(`TTYPE${i}`)?.comment ?? '',
          type,
          start: tbcol - 1,
          width,
          decimals: match[3] === undefined ? 0 : Number(match[3]),
          nullText: nullCard && nullCard.value !== null ? valueText(nullCard.value) : undefined,
          scale: type === 'A' ? 1 : (header.optionalNumber(`TSCAL${i}`) ?? 1),
          zero: type === 'A' ? 0 : (header.optionalNumber(`TZERO${i}`) ?? 0),
          wide: type === 'I' && width >= 10,
        };
      }),
    );
  }
  return columns;
}

export class AsciiTable {
  readonly file: FitsFile;
  readonly hdu: Hdu;
  readonly columns: AsciiColumn[];
  readonly rows: number;
  readonly rowWidth: number;

  constructor(file: FitsFile, hdu: Hdu) {
    this.file = file;
    this.hdu = hdu;
    const context = { file: file.path, hdu: hdu.index, hduName: hdu.name || undefined };
    this.columns = withContext(context, () => asciiColumns(hdu.header));
    this.rows = withContext(context, () => hdu.header.integer('NAXIS2'));
    this.rowWidth = withContext(context, () => hdu.header.integer('NAXIS1'));
  }

  column(name: string): AsciiColumn {
    const found =
      this.columns.find((c) => c.name === name) ??
      this.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!found) throw this.file.error(this.hdu, 'no such column', { column: name });
    return found;
  }

  row(index: number): Buffer {
    if (!Number.isInteger(index) || index < 0 || index >= this.rows) {
      throw this.file.error(this.hdu, `row ${index} is outside 0–${this.rows - 1}`);
    }
    this.file.checkDataPresent(this.hdu);
    return this.file.readData(this.hdu, index * this.rowWidth, this.rowWidth);
  }

  /** Rows [start, end) in batches, one reused buffer. */
  *batches(start = 0, end = this.rows): Generator<{ start: number; count: number; bytes: Buffer }> {
    this.file.checkDataPresent(this.hdu);
    if (start >= end) return;
    const per = Math.max(1, Math.floor((1 << 23) / Math.max(1, this.rowWidth)));
    const buffer = Buffer.allocUnsafe(Math.min(per, Math.max(1, end - start)) * this.rowWidth);
    for (let s = start; s < end; s += per) {
      const count = Math.min(per, end - s);
      const bytes = buffer.subarray(0, count * this.rowWidth);
      this.file.readDataInto(this.hdu, bytes, s * this.rowWidth);
      yield { start: s, count, bytes };
    }
  }

  /** Decode one field of a row held in `bytes` at `rowStart`. */
  cell(bytes: Buffer, rowStart: number, column: AsciiColumn, row: number): AsciiValue {
    const text = bytes.toString('latin1', rowStart + column.start, rowStart + column.start + column.width);
    const trimmed = text.trim();
    if (column.nullText !== undefined && trimmed === column.nullText.trim()) return null;
    if (column.type === 'A') return text.replace(/[\s\0]+$/, '');
    if (trimmed === '') return null;
    if (column.type === 'I') {
      if (!/^[+-]?\d+$/.test(trimmed)) throw this.badField(column, row, trimmed);
      if (column.scale !== 1 || column.zero !== 0) return Number(trimmed) * column.scale + column.zero;
      return column.wide ? BigInt(trimmed) : Number(trimmed);
    }
    const normal = trimmed.replace(/[Dd]/, 'E').replace(/\s+/g, '');
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([Ee][+-]?\d+|[+-]\d+)?$/.test(normal))
      throw this.badField(column, row, trimmed);
    let value: number;
    if (normal.includes('.')) value = Number(normal.replace(/(\d)([+-]\d+)$/, '$1E$2'));
    else {
      const [mantissa, exponent] = splitExponent(normal);
      value = (Number(mantissa) / 10 ** column.decimals) * 10 ** exponent;
    }
    return column.scale !== 1 || column.zero !== 0 ? value * column.scale + column.zero : value;
  }

  private badField(column: AsciiColumn, row: number, text: string): FitsError {
    return this.file.error(this.hdu, `row ${row}: '${text}' is not a valid ${column.format} value`, {
      column: column.name,
    });
  }
}

function splitExponent(text: string): [string, number] {
  const match = /^([+-]?\d+)(?:[Ee]?([+-]?\d+))?$/.exec(text);
  if (!match) return [text, 0];
  return [match[1]!, match[2] === undefined ? 0 : Number(match[2])];
}
