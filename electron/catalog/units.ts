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

/** Angles in milliarcseconds, so the common factors (arcsec → mas, deg → mas) are exact. */
const ANGLE_IN_MAS: Record<string, number> = {
  deg: 3.6e6,
  rad: (180 / Math.PI) * 3.6e6,
  arcmin: 6e4,
  arcsec: 1000,
  mas: 1,
  uas: 1e-3,
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
  const fa = ANGLE_IN_MAS[baseA];
  const fb = ANGLE_IN_MAS[baseB];
  if (fa === undefined || fb === undefined) return null;
  return fa / fb;
}
