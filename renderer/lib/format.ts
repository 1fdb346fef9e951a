// How numbers read in the UI: sizes in binary units, durations as h/m/s, counts with separators.
import type { JobProgress } from '../../electron/api/jobs.ts';

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < byteUnits.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${byteUnits[unit]}`;
}

export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatRate(perSecond: number, unit: string): string {
  if (perSecond <= 0) return '—';
  const value = perSecond >= 100 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(1);
  return `${value} ${unit}/s`;
}

export function formatDate(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The percentage done, or null when the total is not known yet. */
export function percentDone(done: number, total: number | null): number | null {
  if (total === null) return null;
  if (total === 0) return 100;
  return Math.min(100, (100 * done) / total);
}

/** A measured duration in milliseconds: in ms under a second, to the hundredth under ten. */
export function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : formatDuration(ms / 1000);
}

/** A job's progress as one line: "1,200 of 5,000 stars · 310 stars/s · 13 s left" (rate and time left once known). */
export function formatProgress(progress: JobProgress, running: boolean): string {
  const total = progress.total === null ? '' : ` of ${formatCount(progress.total)}`;
  const parts = [`${formatCount(progress.done)}${total} ${progress.unit}`];
  if (progress.rate > 0) parts.push(formatRate(progress.rate, progress.unit));
  if (running && progress.eta !== null) parts.push(`${formatDuration(progress.eta)} left`);
  return parts.join(' · ');
}
