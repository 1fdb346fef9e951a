// The progress meter: rate and ETA from counts and a clock (a fake one here, so the figures are exact).
import { describe, expect, it } from 'vitest';
import { ProgressMeter } from '../../../electron/jobs/progress.ts';

describe('ProgressMeter', () => {
  it('reports no rate and no ETA before anything is measured', () => {
    let t = 1000;
    const meter = new ProgressMeter('files', () => t);
    expect(meter.update(0, null)).toEqual({ done: 0, total: null, rate: 0, eta: null, unit: 'files' });
    t += 100;
    expect(meter.update(0, 100).eta).toBeNull();
  });

  it('uses the mean since the start before the first window closes', () => {
    let t = 0;
    const meter = new ProgressMeter('files', () => t, 500);
    t = 200;
    const progress = meter.update(20, 100);
    expect(progress.rate).toBeCloseTo(100);
    expect(progress.eta).toBeCloseTo(0.8);
  });

  it('smooths the rate over windows and derives the ETA from it', () => {
    let t = 0;
    const meter = new ProgressMeter('files', () => t, 500, 0.5);
    t = 1000;
    expect(meter.update(100, 1000).rate).toBeCloseTo(100); // first window: 100/s
    t = 2000;
    const second = meter.update(400, 1000); // window rate 300/s, smoothed 0.5*300 + 0.5*100
    expect(second.rate).toBeCloseTo(200);
    expect(second.eta).toBeCloseTo(600 / 200);
    t = 2100;
    expect(meter.update(410, 1000).rate).toBeCloseTo(200); // window not closed: rate unchanged
  });

  it('shows a stall: the rate falls when nothing moves', () => {
    let t = 0;
    const meter = new ProgressMeter('files', () => t, 500, 0.5);
    t = 1000;
    meter.update(100, 1000);
    t = 2000;
    expect(meter.update(100, 1000).rate).toBeCloseTo(50);
  });
});
