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

const NUMBER = String.raw`(\d+(?:\.\d*)?|\.\d+)`;
const INTEGER = String.raw`(\d+)`;
/** `12:34:56.7`, `12 34 56.7` and `12h34m56.7s` (or `12d34'56.7"`, `12°34′56.7″`), seconds optional;
 * only the last field may have a fraction, as in astropy's angle parser. */
const SEXAGESIMAL = [
  new RegExp(String.raw`^([+-]?)${INTEGER}:(?:${NUMBER}|${INTEGER}:${NUMBER})$`),
  new RegExp(String.raw`^([+-]?)${INTEGER}\s+(?:${NUMBER}|${INTEGER}\s+${NUMBER})$`),
  new RegExp(
    String.raw`^([+-]?)${INTEGER}\s*([hd°])\s*(?:${NUMBER}\s*[m'′]|${INTEGER}\s*[m'′]\s*${NUMBER}\s*[s"″]?)$`,
    'i',
  ),
];

/** Whether `text` is written as a sexagesimal angle (see {@link parseSexagesimal}). */
export function isSexagesimal(text: string): boolean {
  const t = text.trim();
  return SEXAGESIMAL.some((pattern) => pattern.test(t));
}

/**
 * A sexagesimal angle in degrees: hours (when `hours`, or written `12h…`) or degrees, then minutes and
 * optionally seconds. The sign applies to the whole angle, so `-00:30:00` is −0.5°. Throws with the
 * reason when the text is not such an angle or a field is out of range (astropy's rules: minutes below
 * 60, seconds at most 60, hours below 24).
 */
export function parseSexagesimal(text: string, hours: boolean): number {
  const t = text.trim();
  let fields: (string | undefined)[] | null = null;
  let inHours = hours;
  for (const [k, pattern] of SEXAGESIMAL.entries()) {
    const match = pattern.exec(t);
    if (match === null) continue;
    if (k === 2) {
      inHours = match[3]!.toLowerCase() === 'h';
      fields = [match[1], match[2], match[4] ?? match[5], match[6]];
    } else fields = [match[1], match[2], match[3] ?? match[4], match[5]];
    break;
  }
  if (fields === null)
    throw new Error(`'${text}' is not a sexagesimal angle (e.g. 12:34:56.7, 12 34 56.7 or 12h34m56.7s)`);
  const whole = Number(fields[1]);
  const minutes = Number(fields[2]);
  const seconds = fields[3] === undefined ? 0 : Number(fields[3]);
  if (!(minutes < 60)) throw new Error(`'${text}': minutes ${fields[2]} are not below 60`);
  if (!(seconds <= 60)) throw new Error(`'${text}': seconds ${fields[3]} are more than 60`);
  if (inHours && !(whole < 24)) throw new Error(`'${text}': hours ${fields[1]} are not below 24`);
  const value = whole + minutes / 60 + seconds / 3600;
  return (fields[0] === '-' ? -value : value) * (inHours ? 15 : 1);
}
