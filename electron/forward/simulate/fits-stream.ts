// A FITS binary table written as the simulation's chunks arrive, so a FITS catalogue costs no more
// memory than a Parquet one. electron/fits' table writer needs every row surveyed before the first is
// written (TNULLs, string widths, the heap's place), which for a simulation would mean generating it
// twice; the simulator's columns are few fixed kinds whose FITS forms are known up front, so rows are
// encoded here chunk by chunk and the header is written twice: first with NAXIS2 = 0 as a placeholder of
// the same size, and once the row count and DATASUM are known, in place (cards, checksum and block
// padding come from electron/fits). The file is a temporary beside the target, renamed into place only
// when complete (atomic).
//
// Column kinds → TFORM: f64 D, f32 E (NaN = null), i64 K, i32 J (TNULL -2147483648), i8 I (16-bit: FITS
// has no signed byte), bool L ('T'/'F'). The primary HDU is empty (NAXIS = 0, EXTEND = T).
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { CARD_LENGTH, formatCards } from '../../fits/card.ts';
import { OnesComplementSum, checksumFor, onesComplementSum } from '../../fits/checksum.ts';
import { paddedSize } from '../../fits/hdu.ts';
import type { ChunkResult } from './chunk.ts';
import type { ColumnSpec } from './columns.ts';

const INT32_NULL = -2147483648;

interface Plan {
  spec: ColumnSpec;
  tform: string;
  width: number;
  offset: number;
}

function planOf(spec: ColumnSpec): Omit<Plan, 'offset'> {
  switch (spec.kind) {
    case 'f64':
      return { spec, tform: 'D', width: 8 };
    case 'f32':
      return { spec, tform: 'E', width: 4 };
    case 'i64':
      return { spec, tform: 'K', width: 8 };
    case 'i32':
      return { spec, tform: 'J', width: 4 };
    case 'i8':
      return { spec, tform: 'I', width: 2 };
    case 'bool':
      return { spec, tform: 'L', width: 1 };
    case 'domain':
    case 'f32-list':
      throw new Error(`FITS catalogue: column '${spec.name}' (${spec.kind}) has no FITS form here`);
  }
}

function cards(keyword: string, value: string | number | boolean, comment = ''): string[] {
  return formatCards(keyword, value, comment);
}

function headerBytes(list: string[]): Buffer {
  const text = [...list, 'END'.padEnd(CARD_LENGTH, ' ')].join('');
  return Buffer.from(text.padEnd(paddedSize(text.length), ' '), 'latin1');
}

/** Header with CHECKSUM/DATASUM for a data unit of checksum `dataSum` (FITS checksum convention). */
function sealed(list: string[], dataSum: number): Buffer {
  const withSums = [
    ...list,
    ...cards('CHECKSUM', '0000000000000000', 'HDU checksum'),
    ...cards('DATASUM', String(dataSum), 'data unit checksum'),
  ];
  const value = checksumFor(onesComplementSum(headerBytes(withSums)), dataSum);
  withSums.splice(withSums.length - 2, 1, ...cards('CHECKSUM', value, 'HDU checksum'));
  return headerBytes(withSums);
}

export class FitsTableStream {
  private readonly fd: number;
  private readonly temp: string;
  private readonly plans: Plan[];
  private readonly rowWidth: number;
  private readonly headerAt: number;
  private readonly headerSize: number;
  private readonly sum = new OnesComplementSum();
  private position: number;
  private closed = false;
  rows = 0;

  private constructor(
    readonly file: string,
    columns: readonly ColumnSpec[],
    private readonly extname: string,
  ) {
    let offset = 0;
    this.plans = columns.map((spec) => {
      const plan = { ...planOf(spec), offset };
      offset += plan.width;
      return plan;
    });
    this.rowWidth = offset;
    this.temp = `${file}.partial-${process.pid}`;
    this.fd = openSync(this.temp, 'w');
    try {
      const primary = sealed(
        [
          ...cards('SIMPLE', true, 'conforms to FITS standard'),
          ...cards('BITPIX', 8, 'array data type'),
          ...cards('NAXIS', 0, 'number of array dimensions'),
          ...cards('EXTEND', true),
        ],
        0,
      );
      this.position = 0;
      this.append(primary);
      this.headerAt = this.position;
      const placeholder = this.header(0, 0);
      this.headerSize = placeholder.length;
      this.append(placeholder);
    } catch (error) {
      closeSync(this.fd);
      rmSync(this.temp, { force: true });
      throw error;
    }
  }

  static open(file: string, columns: readonly ColumnSpec[], extname: string): FitsTableStream {
    return new FitsTableStream(file, columns, extname);
  }

  private header(rows: number, dataSum: number): Buffer {
    const list = [
      ...cards('XTENSION', 'BINTABLE', 'binary table extension'),
      ...cards('BITPIX', 8, 'array data type'),
      ...cards('NAXIS', 2, 'number of array dimensions'),
      ...cards('NAXIS1', this.rowWidth, 'length of dimension 1'),
      // Written as a 20-digit field either way, so the final header has the placeholder's size.
      ...cards('NAXIS2', rows, 'length of dimension 2'),
      ...cards('PCOUNT', 0, 'number of group parameters'),
      ...cards('GCOUNT', 1, 'number of groups'),
      ...cards('TFIELDS', this.plans.length, 'number of table fields'),
    ];
    this.plans.forEach((plan, k) => {
      const n = k + 1;
      list.push(...cards(`TTYPE${n}`, plan.spec.name, plan.spec.description));
      list.push(...cards(`TFORM${n}`, plan.tform));
      if (plan.spec.unit !== '') list.push(...cards(`TUNIT${n}`, plan.spec.unit));
      if (plan.spec.kind === 'i32') list.push(...cards(`TNULL${n}`, INT32_NULL));
    });
    list.push(...cards('EXTNAME', this.extname, 'extension name'));
    return sealed(list, dataSum);
  }

  private append(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length)
      done += writeSync(this.fd, bytes, done, bytes.length - done, this.position + done);
    this.position += bytes.length;
  }

  /** Encodes the chunk's rows (big-endian, row after row) and appends them. */
  write(chunk: ChunkResult): void {
    if (this.closed) throw new Error(`${this.file}: the FITS writer is closed`);
    const n = chunk.truth.rows;
    if (n === 0) return;
    const bytes = Buffer.alloc(n * this.rowWidth);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const width = this.rowWidth;
    for (const plan of this.plans) {
      const values = plan.spec.read(chunk);
      const nulls = plan.spec.nullWhen?.(chunk);
      let at = plan.offset;
      switch (plan.spec.kind) {
        case 'f64':
          for (let r = 0; r < n; r++, at += width) view.setFloat64(at, values[r] as number, false);
          break;
        case 'f32':
          for (let r = 0; r < n; r++, at += width) view.setFloat32(at, values[r] as number, false);
          break;
        case 'i64':
          for (let r = 0; r < n; r++, at += width) view.setBigInt64(at, values[r] as bigint, false);
          break;
        case 'i32':
          for (let r = 0; r < n; r++, at += width)
            view.setInt32(at, nulls?.[r] === 1 ? INT32_NULL : (values[r] as number), false);
          break;
        case 'i8':
          for (let r = 0; r < n; r++, at += width) view.setInt16(at, values[r] as number, false);
          break;
        case 'bool':
          for (let r = 0; r < n; r++, at += width) bytes[at] = values[r] === 1 ? 0x54 : 0x46;
          break;
        default:
          throw new Error(`${this.file}: column '${plan.spec.name}' cannot be written to FITS`);
      }
    }
    this.sum.update(bytes);
    this.append(bytes);
    this.rows += n;
  }

  /** Pads the data unit, writes the final header in place and moves the file to its name. */
  close(): void {
    if (this.closed) throw new Error(`${this.file}: the FITS writer is closed`);
    this.closed = true;
    try {
      const size = this.rows * this.rowWidth;
      const pad = paddedSize(size) - size;
      if (pad > 0) this.append(new Uint8Array(pad));
      const header = this.header(this.rows, this.sum.value());
      if (header.length !== this.headerSize) throw new Error('the FITS header changed size while writing');
      let done = 0;
      while (done < header.length)
        done += writeSync(this.fd, header, done, header.length - done, this.headerAt + done);
      closeSync(this.fd);
      renameSync(this.temp, this.file);
    } catch (error) {
      this.abort();
      throw new Error(`${this.file}: writing FITS failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Abandons the file: the temporary is removed. */
  abort(): void {
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.temp, { force: true });
  }
}
