// World coordinates as a person reads them: RA in hours (h:m:s), Dec and other celestial
// latitudes/longitudes in degrees (d:m:s), spectral and other axes as value and unit.
import type { PixelResult } from '../../../electron/api/inspect.ts';

function sexagesimal(value: number, divisor: number, signed: boolean): string {
  const sign = value < 0 ? '−' : signed ? '+' : '';
  let rest = Math.abs(value) / divisor;
  const whole = Math.floor(rest);
  rest = (rest - whole) * 60;
  const minutes = Math.floor(rest);
  const seconds = (rest - minutes) * 60;
  return `${sign}${whole}:${String(minutes).padStart(2, '0')}:${seconds.toFixed(2).padStart(5, '0')}`;
}

export function formatWorld(world: PixelResult['world']): string[] {
  return world.map((axis) => {
    const kind = axis.name.slice(0, 4).replace(/-+$/, '');
    if (kind === 'RA') return `RA ${sexagesimal(((axis.value % 360) + 360) % 360, 15, false)}`;
    if (kind === 'DEC') return `Dec ${sexagesimal(axis.value, 1, true)}`;
    if (/^(GLON|GLAT|ELON|ELAT)$/.test(kind)) return `${kind} ${axis.value.toFixed(5)}°`;
    return `${kind || 'world'} ${axis.value.toPrecision(8)} ${axis.unit}`.trim();
  });
}
