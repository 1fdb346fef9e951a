// How the UI writes sizes, counts, durations, rates and percentages.
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatElapsed,
  formatProgress,
  formatRate,
  percentDone,
} from '../../../renderer/lib/format.ts';

describe('renderer formatting', () => {
  it('writes sizes in binary units with sensible precision', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(2880)).toBe('2.81 KiB');
    expect(formatBytes(46_465_220)).toBe('44.3 MiB');
    expect(formatBytes(5 * 1024 ** 4)).toBe('5.00 TiB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('writes durations, rates and counts', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(7260)).toBe('2 h 01 min');
    expect(formatElapsed(3.4)).toBe('3 ms');
    expect(formatElapsed(2345)).toBe('2.35 s');
    expect(formatElapsed(125_000)).toBe('2 min 05 s');
    expect(formatRate(0, 'files')).toBe('—');
    expect(formatRate(12.34, 'files')).toBe('12.3 files/s');
    expect(formatRate(4321.6, 'files')).toBe('4,322 files/s');
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('gives a percentage only when the total is known', () => {
    expect(percentDone(5, null)).toBeNull();
    expect(percentDone(0, 0)).toBe(100);
    expect(percentDone(30, 120)).toBe(25);
    expect(percentDone(130, 120)).toBe(100);
  });

  it('writes a job progress line, with rate and time left only once known', () => {
    const progress = { done: 1200, total: 5000, rate: 310.4, eta: 13, unit: 'stars' };
    expect(formatProgress(progress, true)).toBe('1,200 of 5,000 stars · 310 stars/s · 13 s left');
    expect(formatProgress(progress, false)).toBe('1,200 of 5,000 stars · 310 stars/s');
    expect(formatProgress({ done: 7, total: null, rate: 0, eta: null, unit: 'files' }, true)).toBe('7 files');
  });
});
