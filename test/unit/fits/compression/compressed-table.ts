// Test support: the smallest reader that pulls the rows of a tile-compressed image's binary table out of a
// FITS file held in memory, so the codec tests do not depend on the full FITS reader. It handles what the
// tiled-image tables use: 1P/1Q descriptor columns (B, I, J, E, D) and scalar E/D/J/I/K columns.
import { Header } from '../../../../electron/fits/header.ts';
import { tiledImageParameters } from '../../../../electron/fits/compression/keywords.ts';
import type { TiledImageParameters } from '../../../../electron/fits/compression/keywords.ts';
import type { CompressedTile, TileColumnType } from '../../../../electron/fits/compression/tiled-image.ts';

const BLOCK = 2880;

export interface FitsHdu {
  header: Header;
  headerStart: number;
  dataStart: number;
  /** End of the data including its padding to 2880 bytes. */
  dataEnd: number;
}

export function listHdus(file: Uint8Array): FitsHdu[] {
  const hdus: FitsHdu[] = [];
  let offset = 0;
  const decoder = new TextDecoder('latin1');
  while (offset + BLOCK <= file.length) {
    let end = offset;
    let text = '';
    for (;;) {
      const block = decoder.decode(file.subarray(end, end + BLOCK));
      text += block;
      end += BLOCK;
      let found = false;
      for (let c = 0; c < BLOCK && !found; c += 80) {
        found = block.startsWith('END', c) && block.slice(c + 3, c + 80).trim() === '';
      }
      if (found || end >= file.length) break;
    }
    const header = Header.parse(text);
    const bitpix = header.integer('BITPIX');
    const naxis = header.integer('NAXIS');
    let size = 0;
    if (naxis > 0) {
      size = 1;
      for (let i = 1; i <= naxis; i++) size *= header.integer(`NAXIS${i}`);
    }
    size =
      (Math.abs(bitpix) / 8) *
      (header.optionalInteger('GCOUNT') ?? 1) *
      (size + (header.optionalInteger('PCOUNT') ?? 0));
    const dataEnd = end + Math.ceil(size / BLOCK) * BLOCK;
    hdus.push({ header, headerStart: offset, dataStart: end, dataEnd });
    offset = dataEnd;
  }
  return hdus;
}

interface ColumnLayout {
  name: string;
  offset: number;
  descriptor: 'P' | 'Q' | undefined;
  type: string;
}

function columns(header: Header): ColumnLayout[] {
  const sizes: Record<string, number> = { L: 1, B: 1, I: 2, J: 4, K: 8, E: 4, D: 8, A: 1 };
  const out: ColumnLayout[] = [];
  let offset = 0;
  for (let i = 1; i <= header.integer('TFIELDS'); i++) {
    const tform = header.string(`TFORM${i}`).trim();
    const match = /^(\d*)([PQ]?)([A-Z])/.exec(tform);
    if (!match) throw new Error(`bad TFORM ${tform}`);
    const repeat = match[1] === '' ? 1 : Number(match[1]);
    const descriptor = match[2] === '' ? undefined : (match[2] as 'P' | 'Q');
    out.push({ name: header.string(`TTYPE${i}`).trim(), offset, descriptor, type: match[3]! });
    offset += descriptor === 'P' ? 8 * repeat : descriptor === 'Q' ? 16 * repeat : sizes[match[3]!]! * repeat;
  }
  return out;
}

export interface CompressedImageHdu {
  parameters: TiledImageParameters;
  rows: number;
  readTile: (index: number) => CompressedTile;
}

export function compressedImage(file: Uint8Array, hdu: FitsHdu): CompressedImageHdu {
  const { header, dataStart } = hdu;
  const rowLength = header.integer('NAXIS1');
  const rows = header.integer('NAXIS2');
  const heapStart = dataStart + (header.optionalInteger('THEAP') ?? rowLength * rows);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const layout = columns(header);
  const column = (name: string) => layout.find((c) => c.name === name);

  const cell = (c: ColumnLayout | undefined, row: number): Uint8Array | undefined => {
    if (c === undefined) return undefined;
    const at = dataStart + row * rowLength + c.offset;
    const count = c.descriptor === 'Q' ? Number(view.getBigInt64(at)) : view.getInt32(at);
    const heapOffset = c.descriptor === 'Q' ? Number(view.getBigInt64(at + 8)) : view.getInt32(at + 4);
    const itemSize = { B: 1, I: 2, J: 4, K: 8, E: 4, D: 8 }[c.type] ?? 1;
    return file.subarray(heapStart + heapOffset, heapStart + heapOffset + count * itemSize);
  };
  const scalar = (c: ColumnLayout | undefined, row: number): number | undefined => {
    if (c === undefined) return undefined;
    const at = dataStart + row * rowLength + c.offset;
    switch (c.type) {
      case 'D':
        return view.getFloat64(at);
      case 'E':
        return view.getFloat32(at);
      case 'J':
        return view.getInt32(at);
      case 'I':
        return view.getInt16(at);
      case 'K':
        return Number(view.getBigInt64(at));
      default:
        throw new Error(`unexpected scalar column type ${c.type}`);
    }
  };
  const uncompressedColumn = column('UNCOMPRESSED_DATA');
  return {
    parameters: tiledImageParameters(header),
    rows,
    readTile: (row) => {
      const uncompressed = cell(uncompressedColumn, row);
      return {
        compressed: cell(column('COMPRESSED_DATA'), row) ?? new Uint8Array(0),
        gzipCompressed: cell(column('GZIP_COMPRESSED_DATA'), row),
        uncompressed:
          uncompressed === undefined
            ? undefined
            : { bytes: uncompressed, type: uncompressedColumn!.type as TileColumnType },
        scale: scalar(column('ZSCALE'), row),
        zero: scalar(column('ZZERO'), row),
        blank: scalar(column('ZBLANK'), row),
      };
    },
  };
}
