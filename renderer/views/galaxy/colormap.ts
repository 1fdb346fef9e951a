// The age colormap: viridis (van der Walt & Smith 2015, matplotlib's perceptually uniform map), sampled
// at nine stops from matplotlib's table and interpolated linearly — close enough for colour bins and a
// legend, and it keeps the renderer free of a plotting dependency.
const STOPS: readonly [number, number, number][] = [
  [0.267004, 0.004874, 0.329415],
  [0.277018, 0.050344, 0.375715],
  [0.229739, 0.322361, 0.545706],
  [0.172719, 0.448791, 0.557885],
  [0.127568, 0.566949, 0.550556],
  [0.20803, 0.718701, 0.472873],
  [0.565498, 0.84243, 0.262877],
  [0.814576, 0.883393, 0.110347],
  [0.993248, 0.906157, 0.143936],
];

/** Viridis at t in [0, 1], as 0–1 RGB. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(Math.max(t, 0), 1) * (STOPS.length - 1);
  const i = Math.min(Math.floor(x), STOPS.length - 2);
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** A 256×1 RGBA lookup table for the point shader. */
export function viridisTable(): Uint8Array {
  const out = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = viridis(i / 255);
    out.set([Math.round(r * 255), Math.round(g * 255), Math.round(b * 255), 255], 4 * i);
  }
  return out;
}

/** CSS gradient for the legend, low age (left) to high. */
export function viridisGradient(): string {
  const stops = Array.from({ length: 9 }, (_, i) => {
    const [r, g, b] = viridis(i / 8);
    return `rgb(${Math.round(r * 255)} ${Math.round(g * 255)} ${Math.round(b * 255)}) ${i * 12.5}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}
