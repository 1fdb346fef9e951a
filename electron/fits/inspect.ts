// What `cradle fits` reports about a file, as plain JSON-ready objects: the HDU list with typed
// headers, table statistics, selected rows and selected pixels. Values follow one JSON convention:
// int64 as decimal strings, NaN and nulls as null, ±Infinity as the strings "Infinity"/"-Infinity",
// complex numbers as [re, im], TDIM cells and vectors as nested arrays.
import { AsciiTable, asciiColumns } from './asciitable.ts';
import { BinaryTable } from './bintable.ts';
import type { CellValue } from './bintable.ts';
import type { FitsFile } from './file.ts';
import { OnesComplementSum, onesComplementSum, verifyHdu } from './checksum.ts';
import { imageShape, paddedSize } from './hdu.ts';
import type { Hdu, HduType } from './hdu.ts';
import { valueText } from './header.ts';
import type { HeaderJsonValue } from './header.ts';
import { RandomGroups } from './groups.ts';
import { imageLayout, imageStats, readPixel } from './image.ts';
import type { ImageStats } from './image.ts';
import { asciiTableStats, binaryTableStats } from './stats.ts';
import type { TableStats } from './stats.ts';
import { compressedImageStats, compressedPixels } from './compressed.ts';
import { formatMessage, withContext } from './errors.ts';
import type { FitsError } from './errors.ts';
import { binaryColumns } from './column.ts';

export type JsonCell = number | string | boolean | null | JsonCell[];

export interface ColumnSummary {
  name: string;
  format: string;
  unit: string;
}

export interface HduSummary {
  index: number;
  type: HduType;
  name: string;
  header: Record<string, HeaderJsonValue>;
  shape?: number[];
  rows?: number;
  columns?: ColumnSummary[];
  /** With `checksums`: whether CHECKSUM (header + data) and DATASUM (data) hold; "absent" without them. */
  checksum?: { checksum: ChecksumState; datasum: ChecksumState };
  /** Header values that are legal to read but spoil the data (see `scaleWarnings`); absent if none. */
  warnings?: string[];
}

export type ChecksumState = 'ok' | 'bad' | 'absent';

export function summarize(file: FitsFile, options: { checksums?: boolean } = {}): { hdus: HduSummary[] } {
  return {
    hdus: file.hdus().map((hdu) => {
      const summary = summarizeHdu(file, hdu);
      const warnings = scaleWarnings(file, hdu);
      if (warnings.length > 0) summary.warnings = warnings;
      if (options.checksums) summary.checksum = verifyChecksums(file, hdu);
      return summary;
    }),
  };
}

/**
 * One line for each HDU whose CHECKSUM or DATASUM does not verify, naming the HDU and the keywords;
 * HDUs without the keywords are not failures (like fitscheck's "missing", they are shown as absent).
 */
export function checksumFailures(hdus: HduSummary[]): string[] {
  const failures: string[] = [];
  for (const h of hdus) {
    const checksumBad = h.checksum?.checksum === 'bad';
    const datasumBad = h.checksum?.datasum === 'bad';
    if (!checksumBad && !datasumBad) continue;
    const what =
      checksumBad && datasumBad
        ? 'CHECKSUM and DATASUM do not match: the data changed after they were written'
        : checksumBad
          ? 'CHECKSUM does not match: the HDU changed after it was written'
          : 'DATASUM does not match: the data changed after it was written';
    failures.push(formatMessage(what, { hdu: h.index, hduName: h.name || undefined }));
  }
  return failures;
}

/**
 * BSCALE or TSCALn equal to 0, one line each naming the HDU, column and keyword. Physical values are
 * zero + scale × stored (BSCALE: FITS 4.0 §4.4.2.5; TSCALn: §7.2.2 and §7.3.2), so a zero scale turns
 * every value into BZERO/TZERO and the stored data cannot be seen. astropy and cfitsio read such data
 * as constants without a word; fitsverify reports "BSCALE or TSCALn = 0" as a warning, not an error,
 * and so does Cradle: the values are still read as the header defines them, and every command that
 * shows them says why they are constant, so that a constant column is never taken for real data.
 */
export function scaleWarnings(file: FitsFile, hdu: Hdu): string[] {
  const context = { file: file.path, hdu: hdu.index, hduName: hdu.name || undefined };
  return withContext(context, () => {
    const header = hdu.header;
    const warnings: string[] = [];
    const zeroScale = (scale: string, zero: string, value: number, where: { column?: string }) =>
      warnings.push(
        formatMessage(`is 0, so every value reads as ${zero} (${value}): the stored values are lost`, {
          ...context,
          ...where,
          keyword: scale,
        }),
      );
    switch (hdu.type) {
      case 'PRIMARY':
      case 'IMAGE':
      case 'RANDOM_GROUPS':
      case 'COMPRESSED_IMAGE':
        if (header.optionalNumber('BSCALE') === 0) {
          zeroScale('BSCALE', 'BZERO', header.optionalNumber('BZERO') ?? 0, {});
        }
        break;
      case 'BINTABLE':
        for (const c of binaryColumns(header)) {
          if (c.scaled && c.scale === 0) {
            zeroScale(`TSCAL${c.index + 1}`, `TZERO${c.index + 1}`, c.zero, { column: c.name });
          }
        }
        break;
      case 'TABLE':
        for (const c of asciiColumns(header)) {
          if (c.type !== 'A' && c.scale === 0) {
            zeroScale(`TSCAL${c.index + 1}`, `TZERO${c.index + 1}`, c.zero, { column: c.name });
          }
        }
        break;
      case 'UNKNOWN':
        break;
    }
    return warnings;
  });
}

/**
 * Verify CHECKSUM and DATASUM (FITS 4.0 Appendix J) by streaming the HDU's header and padded data
 * through the ones'-complement sum of ./checksum.ts.
 */
export function verifyChecksums(
  file: FitsFile,
  hdu: Hdu,
): { checksum: ChecksumState; datasum: ChecksumState } {
  const hasChecksum = hdu.header.has('CHECKSUM');
  const datasumText = hdu.header.get('DATASUM');
  if (!hasChecksum && datasumText === undefined) return { checksum: 'absent', datasum: 'absent' };
  file.checkDataPresent(hdu);
  const headerSum = onesComplementSum(file.readRange(hdu.headerOffset, hdu.dataOffset - hdu.headerOffset));
  const data = new OnesComplementSum();
  const end = paddedSize(hdu.dataSize);
  for (let at = 0; at < end; at += CHECKSUM_CHUNK) {
    const chunk = file.readRange(hdu.dataOffset + at, Math.min(CHECKSUM_CHUNK, end - at));
    if (chunk.length === 0) break;
    data.update(chunk);
  }
  const verdict = verifyHdu(
    headerSum,
    data.value(),
    datasumText === undefined || datasumText === null ? undefined : valueText(datasumText),
  );
  return {
    checksum: hasChecksum ? (verdict.checksumOk ? 'ok' : 'bad') : 'absent',
    datasum: verdict.datasumOk === undefined ? 'absent' : verdict.datasumOk ? 'ok' : 'bad',
  };
}

const CHECKSUM_CHUNK = 1 << 23;

export function summarizeHdu(file: FitsFile, hdu: Hdu): HduSummary {
  const summary: HduSummary = {
    index: hdu.index,
    type: hdu.type,
    name: hdu.name,
    header: hdu.header.toRecord(),
  };
  const context = { file: file.path, hdu: hdu.index, hduName: hdu.name || undefined };
  withContext(context, () => {
    switch (hdu.type) {
      case 'PRIMARY':
      case 'IMAGE':
        summary.shape = imageShape(hdu.header);
        break;
      case 'COMPRESSED_IMAGE':
        summary.shape = compressedShape(hdu);
        break;
      case 'RANDOM_GROUPS':
        summary.shape = [hdu.header.optionalInteger('GCOUNT') ?? 1, ...imageShape(hdu.header).slice(0, -1)];
        break;
      case 'BINTABLE': {
        const table = new BinaryTable(file, hdu);
        summary.rows = table.rows;
        summary.columns = table.columns.map((c) => ({ name: c.name, format: c.format, unit: c.unit }));
        break;
      }
      case 'TABLE': {
        const table = new AsciiTable(file, hdu);
        summary.rows = table.rows;
        summary.columns = table.columns.map((c) => ({ name: c.name, format: c.format, unit: c.unit }));
        break;
      }
      case 'UNKNOWN':
        break;
    }
  });
  return summary;
}

/** ZNAXISn of a tile-compressed image, slowest first. */
export function compressedShape(hdu: Hdu): number[] {
  const naxis = hdu.header.integer('ZNAXIS');
  const shape: number[] = [];
  for (let i = naxis; i >= 1; i -= 1) shape.push(hdu.header.integer(`ZNAXIS${i}`));
  return shape;
}

export type Stats = TableStats | ImageStats;

export function statsOf(file: FitsFile, hdu: Hdu, columns?: string[]): Stats {
  switch (hdu.type) {
    case 'BINTABLE':
      return binaryTableStats(new BinaryTable(file, hdu), columns);
    case 'TABLE':
      return asciiTableStats(new AsciiTable(file, hdu));
    case 'PRIMARY':
    case 'IMAGE':
      if (imageShape(hdu.header).length === 0) throw file.error(hdu, 'the HDU has no data');
      return imageStats(file, hdu);
    case 'COMPRESSED_IMAGE':
      return compressedImageStats(file, hdu);
    default:
      throw file.error(hdu, `statistics are not available for a ${hdu.type} HDU`);
  }
}

/** Rows of a table HDU, groups of a random-groups HDU: what `rowsOf` can be asked for. */
export function rowCount(file: FitsFile, hdu: Hdu): number {
  const summary = summarizeHdu(file, hdu);
  const count = hdu.type === 'RANDOM_GROUPS' ? summary.shape?.[0] : summary.rows;
  if (count === undefined) throw notRows(file, hdu);
  return count;
}

function notRows(file: FitsFile, hdu: Hdu): FitsError {
  return file.error(hdu, `rows are only available for table and random-groups HDUs, this is ${hdu.type}`);
}

export function rowsOf(
  file: FitsFile,
  hdu: Hdu,
  rows: number[],
  columns?: string[],
): { rows: Record<string, Record<string, JsonCell>> } {
  const out: Record<string, Record<string, JsonCell>> = {};
  if (hdu.type === 'BINTABLE') {
    const table = new BinaryTable(file, hdu);
    const chosen = columns ? columns.map((n) => table.column(n)) : table.columns;
    for (const r of rows) {
      const bytes = table.row(r);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      const record: Record<string, JsonCell> = {};
      for (const c of chosen) {
        record[c.name] = withContext({ column: c.name }, () => jsonCell(table.cell(view, 0, c, r)));
      }
      out[String(r)] = record;
    }
    return { rows: out };
  }
  if (hdu.type === 'TABLE') {
    const table = new AsciiTable(file, hdu);
    const chosen = columns ? columns.map((n) => table.column(n)) : table.columns;
    for (const r of rows) {
      const bytes = table.row(r);
      const record: Record<string, JsonCell> = {};
      for (const c of chosen) record[c.name] = jsonCell(table.cell(bytes, 0, c, r));
      out[String(r)] = record;
    }
    return { rows: out };
  }
  if (hdu.type === 'RANDOM_GROUPS') {
    const groups = new RandomGroups(file, hdu);
    for (const r of rows) {
      const record: Record<string, JsonCell> = {};
      for (const [name, value] of Object.entries(groups.group(r))) {
        if (!columns || columns.includes(name)) record[name] = jsonCell(value);
      }
      out[String(r)] = record;
    }
    return { rows: out };
  }
  throw notRows(file, hdu);
}

export function pixelsOf(
  file: FitsFile,
  hdu: Hdu,
  at: number[][],
): { pixels: { at: number[]; value: JsonCell }[] } {
  if (hdu.type === 'COMPRESSED_IMAGE') {
    const values = compressedPixels(file, hdu, at);
    return { pixels: at.map((index, k) => ({ at: index, value: jsonCell(values[k]!) })) };
  }
  if (hdu.type !== 'PRIMARY' && hdu.type !== 'IMAGE') {
    throw file.error(hdu, `pixels are only available for image HDUs, this is ${hdu.type}`);
  }
  const layout = imageLayout(file, hdu);
  return { pixels: at.map((index) => ({ at: index, value: jsonCell(readPixel(file, hdu, layout, index)) })) };
}

export function jsonCell(value: CellValue): JsonCell {
  if (value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return null;
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return value;
  }
  if (Array.isArray(value)) return value.map(jsonCell);
  if (typeof value === 'object') return [jsonCell(value.re), jsonCell(value.im)];
  return value;
}

/**
 * JSON text in the convention above. Non-finite numbers become "Infinity"/"-Infinity" (NaN null);
 * bigints (header integers beyond 2^53) are written as exact JSON integers, which JSON.stringify
 * cannot do by itself.
 */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${BIGINT_MARK}${v.toString()}`;
    if (typeof v === 'number' && !Number.isFinite(v))
      return Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity';
    return v;
  });
  return text.replace(BIGINT_PATTERN, '$1');
}

const BIGINT_MARK = '\u0000bigint:';
const BIGINT_PATTERN = /"\\u0000bigint:(-?\d+)"/g;
