// Turns a job's raw counts (done of total) into what a person reads: a smoothed rate and an ETA.
// The rate is an exponentially weighted mean of the rates over successive windows of at least
// `windowMs` (the mean since the start until the first window closes), so one slow file does not
// swing the ETA, and a stall shows up within a few windows.

export interface Progress {
  done: number;
  total: number | null;
  /** Items per second, smoothed; 0 until a first window has been measured. */
  rate: number;
  /** Seconds left at the current rate; null while total or rate is unknown. */
  eta: number | null;
  unit: string;
}

export class ProgressMeter {
  private rate = 0;
  private readonly startMs: number;
  private windowStartMs: number;
  private windowStartDone = 0;
  private last: Progress;

  constructor(
    readonly unit: string,
    private readonly now: () => number = Date.now,
    private readonly windowMs = 500,
    private readonly smoothing = 0.3,
  ) {
    this.startMs = now();
    this.windowStartMs = this.startMs;
    this.last = { done: 0, total: null, rate: 0, eta: null, unit };
  }

  update(done: number, total: number | null): Progress {
    const t = this.now();
    const elapsedMs = t - this.windowStartMs;
    if (elapsedMs >= this.windowMs) {
      const windowRate = ((done - this.windowStartDone) * 1000) / elapsedMs;
      this.rate =
        this.rate === 0 ? windowRate : this.smoothing * windowRate + (1 - this.smoothing) * this.rate;
      this.windowStartMs = t;
      this.windowStartDone = done;
    }
    // Before the first full window, the mean since the start is the best estimate there is.
    const sinceStartMs = t - this.startMs;
    const rate = this.rate > 0 || sinceStartMs <= 0 ? this.rate : (done * 1000) / sinceStartMs;
    const eta = total !== null && rate > 0 ? Math.max(0, (total - done) / rate) : null;
    this.last = { done, total, rate: Math.max(0, rate), eta, unit: this.unit };
    return this.last;
  }

  current(): Progress {
    return this.last;
  }
}
