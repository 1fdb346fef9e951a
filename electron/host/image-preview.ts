// A first look at a large image before its plane is decoded: a tile of the level-of-detail pyramid
// whose pixels are *sampled* (the pixel at the centre of each 2^level block, as DS9 draws a zoomed-out
// image) rather than block means. Only the sampled rows' bytes are read and decoded, so a
// 4096 × 4096 float image shows after reading a quarter of its rows' worth of 16 KiB strips instead of
// all 64 MiB; the block-mean tile replaces it as soon as the plane is decoded.
import { STORAGE_BYTES } from '../fits/decode.ts';
import type { FitsFile } from '../fits/file.ts';
import type { Hdu } from '../fits/hdu.ts';
import { decodePixels, imageLayout } from '../fits/image.ts';
import { planeOffset, type Tile, type TileRequest } from './image-pyramid.ts';

/** The sampled tile (clipped to the plane, like `downsampleTile`) read straight from the file. */
export function sampledTile(
  file: FitsFile,
  hdu: Hdu,
  slice: number[],
  request: TileRequest,
  label: string,
): Tile & { imageWidth: number; imageHeight: number } {
  const layout = imageLayout(file, hdu);
  file.checkDataPresent(hdu);
  const { start, width: planeWidth, height: planeHeight } = planeOffset(layout.shape, slice, label);
  const factor = 2 ** request.level;
  const { x, y } = request;
  const width = Math.max(0, Math.min(request.width, Math.ceil((planeWidth - x) / factor)));
  const height = Math.max(0, Math.min(request.height, Math.ceil((planeHeight - y) / factor)));
  const data = new Float32Array(width * height);
  const bytesPerPixel = STORAGE_BYTES[layout.code];
  const half = factor >> 1;
  // One read per sampled row, of the columns from the first to the last sampled pixel only.
  const firstColumn = Math.min(planeWidth - 1, x + half);
  const lastColumn = width === 0 ? firstColumn : Math.min(planeWidth - 1, x + (width - 1) * factor + half);
  const span = lastColumn - firstColumn + 1;
  for (let row = 0; row < height; row++) {
    const py = Math.min(planeHeight - 1, y + row * factor + half);
    const offset = (start + py * planeWidth + firstColumn) * bytesPerPixel;
    const values = decodePixels(layout, file.readData(hdu, offset, span * bytesPerPixel), span);
    for (let col = 0; col < width; col++) {
      const px = Math.min(planeWidth - 1, x + col * factor + half) - firstColumn;
      data[row * width + col] = Number(values[px]!);
    }
  }
  return {
    level: request.level,
    x,
    y,
    width,
    height,
    data,
    imageWidth: planeWidth,
    imageHeight: planeHeight,
  };
}
