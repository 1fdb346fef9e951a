// Assembling a tile-compressed image (FITS Standard 4.0, §10.1, the tiled-image convention of White,
// Greenfield, Pence, Tody & Seaman, and Pence et al. 2010 for quantized floats) from the rows of its
// compressed binary table. Pure: the FITS reader hands over each tile's heap bytes and per-tile
// ZSCALE/ZZERO/ZBLANK, this module decodes, de-quantizes, applies ZBLANK, and places the tile.
//
// Tile order: row t of the table is tile t, tiles numbered with FITS axis 1 varying fastest. Edge tiles
// are cut to the image. The image comes back in numpy C order (slowest axis first): shape is the
// reversed ZNAXISn list. BSCALE/BZERO and BLANK of the image itself are not applied here (the caller
// treats the result like any other stored image array of BITPIX = ZBITPIX).
//
// Tile fallbacks (§10.1.3): an empty COMPRESSED_DATA cell means the tile was stored losslessly in
// GZIP_COMPRESSED_DATA (gzip of the big-endian pixels) or UNCOMPRESSED_DATA.
//
// Undefined pixels: for integer images, stored values equal to the tile's ZBLANK are set to the header
// ZBLANK/BLANK (the caller's null value); for floating-point images they become NaN (as astropy).
//
// Robustness: every allocation is bounded by the tile shape (ZTILEn cut to ZNAXISn); decoder failures
// are FitsErrors naming the tile number (1-based, as the table row) and the algorithm.
//
// API:
//   type ImageArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array
//   type TileColumnType = 'B' | 'I' | 'J' | 'K' | 'E' | 'D'
//   interface CompressedTile { compressed: Uint8Array; gzipCompressed?: Uint8Array;
//     uncompressed?: { bytes: Uint8Array; type: TileColumnType }; scale?: number; zero?: number;
//     blank?: number }
//   tileGrid(parameters): { counts: number[]; total: number }        tiles per axis (FITS order), total
//   decompressTiledImage(parameters, readTile: (tileIndex: number) => CompressedTile,
//                        options?: { maxImageBytes?: number (default 2^31); tableRows?: number (NAXIS2,
//                        checked against the tile count) }): { data: ImageArray; shape: number[] }
//   decodeTile(parameters, tileIndex, tile): { data: ImageArray; shape: number[] }   one tile, C order
import { decodeBigEndian } from '../decode.ts';
import { FitsError } from '../errors.ts';
import { inflateTile, unshuffleBytes } from './gzip.ts';
import { decodeHcompress } from './hcompress.ts';
import { decodePlio } from './plio.ts';
import { unquantizeTile } from './quantize.ts';
import { decodeRice } from './rice.ts';
import type { ImageBitpix, TiledImageParameters } from './keywords.ts';

export type ImageArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;
export type TileColumnType = 'B' | 'I' | 'J' | 'K' | 'E' | 'D';

export interface CompressedTile {
  /** COMPRESSED_DATA cell: the heap bytes as stored (big-endian words for 1PI/1PJ columns). */
  compressed: Uint8Array;
  /** GZIP_COMPRESSED_DATA cell, used when `compressed` is empty. */
  gzipCompressed?: Uint8Array | undefined;
  /** UNCOMPRESSED_DATA cell (raw big-endian values of the given TFORM type), used when both are empty. */
  uncompressed?: { bytes: Uint8Array; type: TileColumnType } | undefined;
  /** ZSCALE/ZZERO cells: present exactly when the floating-point tile was quantized. */
  scale?: number | undefined;
  zero?: number | undefined;
  /** ZBLANK cell, overriding the header ZBLANK for this tile. */
  blank?: number | undefined;
}

export interface DecodedImage {
  data: ImageArray;
  /** Slowest axis first (numpy order). */
  shape: number[];
}

const DEFAULT_MAX_IMAGE_BYTES = 2 ** 31;

function bytesPerPixel(bitpix: ImageBitpix): number {
  return Math.abs(bitpix) / 8;
}

function allocate(bitpix: ImageBitpix, length: number): ImageArray {
  switch (bitpix) {
    case 8:
      return new Uint8Array(length);
    case 16:
      return new Int16Array(length);
    case 32:
      return new Int32Array(length);
    case 64:
      return new BigInt64Array(length);
    case -32:
      return new Float32Array(length);
    case -64:
      return new Float64Array(length);
  }
}

export function tileGrid(parameters: TiledImageParameters): { counts: number[]; total: number } {
  const counts = parameters.axes.map((length, k) => Math.ceil(length / parameters.tile[k]!));
  return { counts, total: counts.reduce((a, b) => a * b, 1) };
}

/** Start (0-based) and length of tile `tileIndex` along each FITS axis. */
function tileExtent(
  parameters: TiledImageParameters,
  tileIndex: number,
): { start: number[]; size: number[] } {
  const { counts } = tileGrid(parameters);
  const start: number[] = [];
  const size: number[] = [];
  let rest = tileIndex;
  counts.forEach((count, k) => {
    const position = rest % count;
    rest = Math.floor(rest / count);
    const tileLength = parameters.tile[k]!;
    start.push(position * tileLength);
    size.push(Math.min(tileLength, parameters.axes[k]! - position * tileLength));
  });
  return { start, size };
}

type DecodedValues =
  | { kind: 'integers'; values: Uint8Array | Int16Array | Int32Array }
  | { kind: 'bigints'; values: BigInt64Array }
  | { kind: 'floats'; values: Float32Array | Float64Array };

/** Interpret big-endian bytes as `count` values whose size follows from the byte length. */
function fromBigEndian(bytes: Uint8Array, count: number, floating: boolean): DecodedValues {
  const size = count === 0 ? 0 : bytes.length / count;
  switch (size) {
    case 1:
      return { kind: 'integers', values: bytes.slice() };
    case 2:
      return { kind: 'integers', values: decodeBigEndian(bytes, 'I', count) as Int16Array };
    case 4:
      return floating
        ? { kind: 'floats', values: decodeBigEndian(bytes, 'E', count) as Float32Array }
        : { kind: 'integers', values: decodeBigEndian(bytes, 'J', count) as Int32Array };
    case 8:
      return floating
        ? { kind: 'floats', values: decodeBigEndian(bytes, 'D', count) as Float64Array }
        : { kind: 'bigints', values: decodeBigEndian(bytes, 'K', count) as BigInt64Array };
    default:
      throw new Error(`${bytes.length} bytes do not hold ${count} pixels of 1, 2, 4 or 8 bytes`);
  }
}

const COLUMN_SIZES: Record<TileColumnType, number> = { B: 1, I: 2, J: 4, K: 8, E: 4, D: 8 };

function decodeStored(
  parameters: TiledImageParameters,
  tile: CompressedTile,
  size: number[],
  count: number,
  quantized: boolean,
): DecodedValues {
  const floating = parameters.bitpix < 0 && !quantized;
  const bytes = tile.compressed;
  switch (parameters.algorithm) {
    case 'RICE_1': {
      if (parameters.bytePix === 8) throw new Error('BYTEPIX 8 is not defined for RICE_1');
      return { kind: 'integers', values: decodeRice(bytes, count, parameters.blockSize, parameters.bytePix) };
    }
    case 'GZIP_1':
      return fromBigEndian(inflateTile(bytes, 8 * count), count, floating);
    case 'GZIP_2': {
      const shuffled = inflateTile(bytes, 8 * count);
      const itemSize = count === 0 ? 1 : shuffled.length / count;
      if (!Number.isInteger(itemSize)) {
        throw new Error(`${shuffled.length} bytes do not hold ${count} whole pixels`);
      }
      return fromBigEndian(unshuffleBytes(shuffled, itemSize), count, floating);
    }
    case 'HCOMPRESS_1': {
      const planar = size.filter((n) => n !== 1);
      if (planar.length > 2) throw new Error(`needs two-dimensional tiles, got ${size.join('×')}`);
      const columns = planar[0] ?? 1;
      const rows = planar[1] ?? 1;
      const coefficients = decodeHcompress(bytes, rows, columns, parameters.smooth);
      // The reference decoder hands back 32-bit integers (C's (int) conversion of 64-bit values).
      const values = new Int32Array(coefficients.length);
      for (let i = 0; i < values.length; i++) values[i] = coefficients[i]! | 0;
      return { kind: 'integers', values };
    }
    case 'PLIO_1':
      return { kind: 'integers', values: decodePlio(bytes, count) };
    case 'NOCOMPRESS':
      return fromBigEndian(bytes, count, floating);
  }
}

function decodeFallback(
  parameters: TiledImageParameters,
  tile: CompressedTile,
  count: number,
): DecodedValues {
  const floating = parameters.bitpix < 0;
  if (tile.gzipCompressed !== undefined && tile.gzipCompressed.length > 0) {
    return fromBigEndian(inflateTile(tile.gzipCompressed, 8 * count), count, floating);
  }
  if (tile.uncompressed !== undefined && tile.uncompressed.bytes.length > 0) {
    const { bytes, type } = tile.uncompressed;
    if (bytes.length !== COLUMN_SIZES[type] * count) {
      throw new Error(
        `UNCOMPRESSED_DATA holds ${bytes.length} bytes, expected ${COLUMN_SIZES[type] * count}`,
      );
    }
    return fromBigEndian(bytes, count, type === 'E' || type === 'D');
  }
  throw new Error(
    'COMPRESSED_DATA is empty and neither GZIP_COMPRESSED_DATA nor UNCOMPRESSED_DATA holds the tile',
  );
}

function toImageType(
  parameters: TiledImageParameters,
  tileIndex: number,
  tile: CompressedTile,
  decoded: DecodedValues,
  quantized: boolean,
  count: number,
): ImageArray {
  const out = allocate(parameters.bitpix, count);
  const tileBlank = tile.blank ?? parameters.blank;
  if (out instanceof Float32Array || out instanceof Float64Array) {
    if (quantized) {
      if (decoded.kind !== 'integers') throw new Error('quantized tile did not decode to integers');
      unquantizeTile(
        decoded.values,
        {
          scale: tile.scale!,
          zero: tile.zero ?? 0,
          method: parameters.dither,
          tileIndex,
          ditherSeed: parameters.ditherSeed,
          blank: tileBlank,
        },
        out,
      );
    } else if (decoded.kind === 'floats') {
      out.set(decoded.values);
    } else {
      throw new Error('floating-point tile holds integers but the table has no ZSCALE column');
    }
    return out;
  }
  const replaceBlank =
    tileBlank !== undefined && parameters.blank !== undefined && tileBlank !== parameters.blank;
  if (out instanceof BigInt64Array) {
    if (decoded.kind === 'bigints') out.set(decoded.values);
    else if (decoded.kind === 'integers') for (let i = 0; i < count; i++) out[i] = BigInt(decoded.values[i]!);
    else throw new Error('integer image tile decoded to floating-point values');
    if (replaceBlank) {
      const from = BigInt(tileBlank);
      const to = BigInt(parameters.blank!);
      for (let i = 0; i < count; i++) if (out[i] === from) out[i] = to;
    }
    return out;
  }
  if (decoded.kind !== 'integers')
    throw new Error('integer image tile decoded to 64-bit or floating-point values');
  const values = decoded.values;
  if (values.constructor === out.constructor && !replaceBlank) return values;
  out.set(values);
  if (replaceBlank) {
    for (let i = 0; i < count; i++) if (values[i] === tileBlank) out[i] = parameters.blank!;
  }
  return out;
}

export function decodeTile(
  parameters: TiledImageParameters,
  tileIndex: number,
  tile: CompressedTile,
): DecodedImage {
  const { size } = tileExtent(parameters, tileIndex);
  const count = size.reduce((a, b) => a * b, 1);
  const quantized = parameters.bitpix < 0 && tile.scale !== undefined;
  try {
    const decoded =
      tile.compressed.length > 0
        ? decodeStored(parameters, tile, size, count, quantized)
        : decodeFallback(parameters, tile, count);
    const usesQuantization = quantized && tile.compressed.length > 0;
    return {
      data: toImageType(parameters, tileIndex, tile, decoded, usesQuantization, count),
      shape: [...size].reverse(),
    };
  } catch (error) {
    if (error instanceof FitsError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new FitsError(`tile ${tileIndex + 1} (${parameters.algorithm}): ${message}`, {
      column: tile.compressed.length > 0 ? 'COMPRESSED_DATA' : undefined,
    });
  }
}

export function decompressTiledImage(
  parameters: TiledImageParameters,
  readTile: (tileIndex: number) => CompressedTile,
  options: { maxImageBytes?: number; tableRows?: number } = {},
): DecodedImage {
  const shape = [...parameters.axes].reverse();
  const pixels = parameters.axes.length === 0 ? 0 : parameters.axes.reduce((a, b) => a * b, 1);
  const maxBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  if (pixels * bytesPerPixel(parameters.bitpix) > maxBytes) {
    throw new FitsError(
      `image of ${parameters.axes.join('×')} pixels exceeds the ${maxBytes}-byte limit for one decoded image`,
      { keyword: 'ZNAXISn' },
    );
  }
  const image = allocate(parameters.bitpix, pixels);
  if (pixels === 0) return { data: image, shape };
  const { total } = tileGrid(parameters);
  if (options.tableRows !== undefined && options.tableRows !== total) {
    throw new FitsError(
      `the table has ${options.tableRows} rows but ZNAXISn/ZTILEn make ${total} tiles (${tileGrid(parameters).counts.join('×')})`,
      { keyword: 'NAXIS2' },
    );
  }
  const axes = parameters.axes;
  // Strides of the C-ordered image for each FITS axis (axis 1 is contiguous).
  const strides: number[] = [];
  axes.reduce((stride, length, k) => {
    strides[k] = stride;
    return stride * length;
  }, 1);

  for (let t = 0; t < total; t++) {
    const { start, size } = tileExtent(parameters, t);
    const { data } = decodeTile(parameters, t, readTile(t));
    const rowLength = size[0]!;
    const rows = data.length / rowLength;
    for (let r = 0; r < rows; r++) {
      // r enumerates the tile's rows with axis 2 fastest; find the image offset of the row start.
      let rest = r;
      let offset = start[0]!;
      for (let k = 1; k < size.length; k++) {
        const position = rest % size[k]!;
        rest = Math.floor(rest / size[k]!);
        offset += (start[k]! + position) * strides[k]!;
      }
      const row = data.subarray(r * rowLength, (r + 1) * rowLength);
      (image as { set(values: ArrayLike<number | bigint>, offset: number): void }).set(row, offset);
    }
  }
  return { data: image, shape };
}
