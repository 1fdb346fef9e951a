// The zscale display limits of IRAF's `display` task (Tody 1986; IRAF images.tv.display, routine
// zsc_zlimits), as astropy.visualization.ZScaleInterval implements it: take up to 1000 finite
// samples at a regular stride, sort them, fit a straight line to sample value against rank with
// iterative 2.5σ rejection (rejected points grown by 1% of the sample count), then, if enough
// points survive, limits = median ∓ slope/contrast around the central rank, clipped to the range.
// Defaults are astropy's: nSamples 1000, contrast 0.25, maxReject 0.5, minNpixels 5, krej 2.5,
// maxIterations 5. Checked against astropy on the same arrays (test/unit/renderer/zscale.test.ts).

export interface ZScaleOptions {
  nSamples?: number;
  contrast?: number;
  maxReject?: number;
  minNpixels?: number;
  krej?: number;
  maxIterations?: number;
}

/** Weighted least-squares line y = slope·x + intercept over points with weight 1 (good). */
function fitLine(samples: Float64Array, good: Uint8Array): [number, number] {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < samples.length; i++) {
    if (!good[i]) continue;
    const y = samples[i]!;
    n++;
    sx += i;
    sy += y;
    sxx += i * i;
    sxy += i * y;
  }
  const denominator = n * sxx - sx * sx;
  const slope = denominator === 0 ? 0 : (n * sxy - sx * sy) / denominator;
  return [slope, (sy - slope * sx) / n];
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function zscale(values: ArrayLike<number>, options: ZScaleOptions = {}): [number, number] {
  const nSamples = options.nSamples ?? 1000;
  const contrast = options.contrast ?? 0.25;
  const maxReject = options.maxReject ?? 0.5;
  const minNpixels = options.minNpixels ?? 5;
  const krej = options.krej ?? 2.5;
  const maxIterations = options.maxIterations ?? 5;

  const finite: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) finite.push(v);
  }
  if (finite.length === 0) return [0, 1];
  const stride = Math.max(1, Math.trunc(finite.length / nSamples));
  const picked: number[] = [];
  for (let i = 0; i < finite.length && picked.length < nSamples; i += stride) picked.push(finite[i]!);
  const samples = Float64Array.from(picked).sort();
  const npix = samples.length;
  let vmin = samples[0]!;
  let vmax = samples[npix - 1]!;

  const minpix = Math.max(minNpixels, Math.trunc(npix * maxReject));
  let ngood = npix;
  let lastNgood = npix + 1;
  let bad = new Uint8Array(npix);
  const ngrow = Math.max(1, Math.trunc(npix * 0.01));
  let fit: [number, number] = [0, 0];
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (ngood >= lastNgood || ngood < minpix) break;
    const good = bad.map((b) => (b ? 0 : 1));
    fit = fitLine(samples, good);
    const [slope, intercept] = fit;
    const flat = samples.map((y, i) => y - (slope * i + intercept));
    // Standard deviation (population, as numpy's std) of the residuals of the good points.
    let n = 0;
    let mean = 0;
    for (let i = 0; i < npix; i++) {
      if (!good[i]) continue;
      n++;
      mean += flat[i]!;
    }
    mean /= n;
    let variance = 0;
    for (let i = 0; i < npix; i++) if (good[i]) variance += (flat[i]! - mean) ** 2;
    const threshold = krej * Math.sqrt(variance / n);
    for (let i = 0; i < npix; i++) if (flat[i]! < -threshold || flat[i]! > threshold) bad[i] = 1;
    // np.convolve(bad, ones(ngrow), mode='same'): pixel i is bad if any of i − ⌊ngrow/2⌋ … i + ⌊(ngrow−1)/2⌋ is.
    const grown = new Uint8Array(npix);
    const before = ngrow >> 1;
    const after = (ngrow - 1) >> 1;
    for (let i = 0; i < npix; i++) {
      for (let k = Math.max(0, i - before); k <= Math.min(npix - 1, i + after); k++) {
        if (bad[k]) {
          grown[i] = 1;
          break;
        }
      }
    }
    bad = grown;
    lastNgood = ngood;
    ngood = npix - bad.reduce((sum, b) => sum + b, 0);
  }
  if (ngood >= minpix) {
    let slope = fit[0];
    if (contrast > 0) slope /= contrast;
    const center = Math.trunc((npix - 1) / 2);
    const mid = median(samples);
    vmin = Math.max(vmin, mid - (center - 1) * slope);
    vmax = Math.min(vmax, mid + (npix - center) * slope);
  }
  return [vmin, vmax];
}
