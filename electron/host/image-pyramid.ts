// Level-of-detail image tiles for the Inspect view: one plane of an image (a cube sliced on its
// non-spatial axes) as float32, and tiles of it downsampled by 2^level in each direction, each output
// pixel the mean of the finite pixels in its block (NaN when none is finite). The renderer asks for a
// coarse level for the whole plane and finer levels only for what is on screen, so a 4096 × 4096
// image never crosses to the renderer pixel by pixel.
import type { NumericArray } from '../fits/decode.ts';

export interface PlaneData {
  data: Float32Array;
  width: number;
  height: number;
}

/** Where the 2-D plane picked by `slice` (indices of the leading axes, slowest first) starts, in pixels. */
export function planeOffset(
  shape: number[],
  slice: number[],
  label: string,
): { start: number; width: number; height: number } {
  if (shape.length < 2) throw new Error(`${label}: an image needs two axes, this one has ${shape.length}`);
  const leading = shape.slice(0, -2);
  if (slice.length !== leading.length) {
    throw new Error(
      `${label}: the slice must give ${leading.length} index(es) for the axes ${leading.join(' × ') || 'none'}, got ${slice.length}`,
    );
  }
  let offset = 0;
  leading.forEach((n, axis) => {
    const at = slice[axis]!;
    if (at >= n) throw new Error(`${label}: slice index ${at} is outside 0–${n - 1} on axis ${axis}`);
    offset = offset * n + at;
  });
  const height = shape[shape.length - 2]!;
  const width = shape[shape.length - 1]!;
  return { start: offset * width * height, width, height };
}

/** The 2-D plane picked by `slice` (indices of the leading axes, slowest first) as float32. */
export function planeOf(values: NumericArray, shape: number[], slice: number[], label: string): PlaneData {
  const { start, width, height } = planeOffset(shape, slice, label);
  const count = width * height;
  if (values instanceof Float32Array) return { data: values.subarray(start, start + count), width, height };
  const data = new Float32Array(count);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let i = 0; i < count; i++) data[i] = Number(values[start + i]!);
  } else {
    data.set(values.subarray(start, start + count));
  }
  return { data, width, height };
}

export interface TileRequest {
  level: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Tile {
  level: number;
  x: number;
  y: number;
  width: number;
  height: number;
  data: Float32Array;
}

/** The tile at full-resolution origin (x, y), `width` × `height` level pixels, clipped to the plane. */
export function downsampleTile(
  plane: Float32Array,
  planeWidth: number,
  planeHeight: number,
  request: TileRequest,
): Tile {
  const factor = 2 ** request.level;
  const { x, y } = request;
  const width = Math.max(0, Math.min(request.width, Math.ceil((planeWidth - x) / factor)));
  const height = Math.max(0, Math.min(request.height, Math.ceil((planeHeight - y) / factor)));
  const data = new Float32Array(width * height);
  if (factor === 1) {
    for (let row = 0; row < height; row++) {
      const from = (y + row) * planeWidth + x;
      data.set(plane.subarray(from, from + width), row * width);
    }
    return { level: request.level, x, y, width, height, data };
  }
  // One pass along each image row, adding every finite pixel into its block's column
  // (v − v is 0 exactly for finite v, NaN for NaN and ±Infinity).
  const sums = new Float64Array(width);
  const counts = new Uint32Array(width);
  const xEnd = Math.min(planeWidth, x + width * factor);
  const level = request.level;
  for (let row = 0; row < height; row++) {
    sums.fill(0);
    counts.fill(0);
    const y0 = y + row * factor;
    const y1 = Math.min(planeHeight, y0 + factor);
    for (let py = y0; py < y1; py++) {
      const base = py * planeWidth;
      for (let px = x; px < xEnd; px++) {
        const v = plane[base + px]!;
        if (v - v === 0) {
          const col = (px - x) >> level;
          sums[col]! += v;
          counts[col]! += 1;
        }
      }
    }
    for (let col = 0; col < width; col++) {
      const n = counts[col]!;
      data[row * width + col] = n === 0 ? NaN : sums[col]! / n;
    }
  }
  return { level: request.level, x, y, width, height, data };
}
