// Unit strings as files spell them (VizieR "mas/yr", VOTable "mas.yr-1", astropy "mas / yr") reduced
// to one spelling, and the scale factors between the few units the canonical quantities use.

export function normaliseUnit(unit: string | undefined): string {
  if (unit === undefined) return '';
  const u = unit.trim().toLowerCase().replace(/\s+/g, '');
  if (u === '---' || u === '-' || u === '') return '';
  return u
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\*\*/g, '^')
    .replace(/\.yr-1$|yr-1$|\/yr$|\/a$|\.a-1$|\/year$/, '/yr')
    .replace(/^degrees?$/, 'deg')
    .replace(/^µas|^uas/, 'uas');
}

const ANGLE_TO_DEG: Record<string, number> = {
  deg: 1,
  rad: 180 / Math.PI,
  arcmin: 1 / 60,
  arcsec: 1 / 3600,
  mas: 1 / 3.6e6,
  uas: 1 / 3.6e9,
};

/**
 * Factor that turns a value in `from` into `to` (both normalised), or null when they are not the
 * same kind of unit. Handles angles and angles per year; any other pair must match exactly.
 */
export function unitFactor(from: string, to: string): number | null {
  const a = normaliseUnit(from);
  const b = normaliseUnit(to);
  if (a === b) return 1;
  const rateA = a.endsWith('/yr');
  const rateB = b.endsWith('/yr');
  if (rateA !== rateB) return null;
  const baseA = rateA ? a.slice(0, -3) : a;
  const baseB = rateB ? b.slice(0, -3) : b;
  const fa = ANGLE_TO_DEG[baseA];
  const fb = ANGLE_TO_DEG[baseB];
  if (fa === undefined || fb === undefined) return null;
  return fa / fb;
}
