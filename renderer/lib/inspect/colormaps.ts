// Colormap tables for the image view: 256 RGBA entries sampled from d3-scale-chromatic's
// interpolators (viridis, inferno, magma, cividis — the matplotlib maps of van der Walt & Smith —
// and ColorBrewer's RdBu, reversed so low is blue, as the diverging map), plus gray; any may be
// inverted. NaN pixels are drawn in NAN_COLOR, which none of the maps reaches.
import {
  interpolateCividis,
  interpolateInferno,
  interpolateMagma,
  interpolateRdBu,
  interpolateViridis,
} from 'd3-scale-chromatic';

export const colormaps = ['gray', 'viridis', 'inferno', 'magma', 'cividis', 'diverging'] as const;
export type Colormap = (typeof colormaps)[number];

/** RGB of NaN pixels: a green no map above contains. */
export const NAN_COLOR: [number, number, number] = [0, 200, 80];

const interpolators: Record<Exclude<Colormap, 'gray'>, (t: number) => string> = {
  viridis: interpolateViridis,
  inferno: interpolateInferno,
  magma: interpolateMagma,
  cividis: interpolateCividis,
  diverging: (t) => interpolateRdBu(1 - t),
};

/** "#rrggbb" or "rgb(r, g, b)" as d3 writes them. */
export function parseColor(text: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(text);
  if (hex) return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
  const rgb = /^rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)$/.exec(text);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`unexpected colour ${JSON.stringify(text)} from d3-scale-chromatic`);
}

/** 256 × RGBA bytes, entry 0 for the lowest value (the highest when inverted). */
export function colormapTable(name: Colormap, inverted: boolean): Uint8Array {
  const table = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    const t = (inverted ? 255 - i : i) / 255;
    const level = Math.round(t * 255);
    const [r, g, b] = name === 'gray' ? [level, level, level] : parseColor(interpolators[name](t));
    table.set([r, g, b, 255], i * 4);
  }
  return table;
}
