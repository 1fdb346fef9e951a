// Tile-compressed images (FITS 4.0 §10, ZIMAGE = T binary tables): this module feeds the codec
// modules in ./compression/ from the FITS reader — each tile's COMPRESSED_DATA (or GZIP_COMPRESSED_DATA
// / UNCOMPRESSED_DATA) heap bytes and its ZSCALE/ZZERO/ZBLANK cells, read row by row through the
// binary-table reader — then applies the image's BSCALE/BZERO and BLANK as for any image.
import { BinaryTable } from './bintable.ts';
import type { BinaryColumn } from './column.ts';
import { tiledImageParameters } from './compression/keywords.ts';
import { decompressTiledImage, tileGrid } from './compression/tiled-image.ts';
import type { CompressedTile, TileColumnType } from './compression/tiled-image.ts';
import { withContext } from './errors.ts';
import type { FitsFile } from './file.ts';
import type { Hdu } from './hdu.ts';
import { arrayStats, scaledLayout, scalePixels } from './image.ts';
import type { ImageData, ImageLayout, ImageStats, PixelValue } from './image.ts';

/** Largest decoded/stored size ratio accepted, and the size always allowed (bytes). */
const MAX_EXPANSION = 4096;
const MIN_IMAGE_LIMIT = 1 << 26;

/** The image stored in a COMPRESSED_IMAGE HDU, decompressed, in physical values. */
export function readCompressedImage(file: FitsFile, hdu: Hdu): ImageData & { layout: ImageLayout } {
  const context = { file: file.path, hdu: hdu.index, hduName: hdu.name || undefined };
  return withContext(context, () => {
    const table = new BinaryTable(file, hdu);
    const parameters = tiledImageParameters(hdu.header);
    const shape = [...parameters.axes].reverse();
    const blank =
      parameters.bitpix > 0 && parameters.blank !== undefined ? BigInt(parameters.blank) : undefined;
    const layout = scaledLayout(hdu.header, parameters.bitpix, shape, blank);
    const named = (name: string): BinaryColumn | undefined =>
      table.columns.find((c) => c.name.toUpperCase() === name);
    const compressed = named('COMPRESSED_DATA');
    const gzipped = named('GZIP_COMPRESSED_DATA');
    const uncompressed = named('UNCOMPRESSED_DATA');
    const scale = named('ZSCALE');
    const zero = named('ZZERO');
    const tileBlank = named('ZBLANK');
    const readTile = (row: number): CompressedTile => {
      const bytes = table.row(row);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      const heap = (column: BinaryColumn | undefined): Uint8Array | undefined =>
        column?.descriptor ? table.heapCell(view, column.offset, column, row).bytes : undefined;
      const scalar = (column: BinaryColumn | undefined): number | undefined => {
        if (!column) return undefined;
        const value = table.cell(view, 0, column, row);
        return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
      };
      const raw = heap(uncompressed);
      return {
        compressed: heap(compressed) ?? new Uint8Array(0),
        gzipCompressed: heap(gzipped),
        uncompressed:
          raw && uncompressed ? { bytes: raw, type: uncompressed.type as TileColumnType } : undefined,
        scale: scalar(scale),
        zero: scalar(zero),
        blank: scalar(tileBlank),
      };
    };
    // Checked before the image is allocated: one row per tile, and a decoded size no more than
    // MAX_EXPANSION times the stored table (a forged ZNAXISn must not allocate gigabytes).
    const { total } = tileGrid(parameters);
    if (total !== table.rows) {
      throw file.error(hdu, `the table has ${table.rows} rows but ZNAXISn/ZTILEn make ${total} tiles`, {
        keyword: 'NAXIS2',
      });
    }
    const maxImageBytes = Math.min(2 ** 31, Math.max(MIN_IMAGE_LIMIT, MAX_EXPANSION * hdu.dataSize));
    const image = decompressTiledImage(parameters, readTile, { tableRows: table.rows, maxImageBytes });
    return { shape: image.shape, data: scalePixels(layout, image.data), layout };
  });
}

export function compressedImageStats(file: FitsFile, hdu: Hdu): ImageStats {
  const image = readCompressedImage(file, hdu);
  return arrayStats(image.shape, image.data);
}

/** Pixels of a compressed image by index (slowest axis first); decompresses the image once. */
export function compressedPixels(file: FitsFile, hdu: Hdu, at: number[][]): PixelValue[] {
  const image = readCompressedImage(file, hdu);
  return at.map((index) => {
    if (
      index.length !== image.shape.length ||
      index.some((i, k) => !Number.isInteger(i) || i < 0 || i >= image.shape[k]!)
    ) {
      throw file.error(
        hdu,
        `pixel index [${index.join(',')}] is outside the image shape [${image.shape.join(',')}]`,
      );
    }
    const flat = index.reduce((acc, i, k) => acc * image.shape[k]! + i, 0);
    const value = image.data[flat]!;
    return typeof value === 'number' && Number.isNaN(value) ? null : value;
  });
}
