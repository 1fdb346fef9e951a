#!/usr/bin/env node
// Batch front end to Cradle's physics forward model (electron/forward/physics) for the domain-adaptation
// benchmark: stars given by their atmosphere parameters (Teff, log g, log L, R, [M/H]) and their
// observation (A_V, R_V, distance) → Vega magnitudes in the ten bands, Gaia XP-like sampled spectra and
// LAMOST/BOSS/APOGEE-like spectra averaged into a few wide pixels. The isochrone step is done by the
// caller (Python, so that tracks not shipped in assets/grids, e.g. magnetic Feiden or SPOTS from
// ysoisochrone, can be used); everything after it is the simulator's own code, not a re-implementation.
//
// usage: node forward_batch.mjs IN.json OUT_DIR
//   IN.json: {library: "kurucz"|"btsettl", xp: bool, surveys: {lamost: {bins, rows}, ...},
//             stars: {teff, logg, logL, radius, mh, av, rv, distancePc}}  (arrays of equal length)
//   OUT_DIR/out.json: {n, bands, files: {name: {file, shape}}}; each file is little-endian float32.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { register } = await import('tsx/esm/api');
register();
const physics = await import(pathToFileURL(join(root, 'electron', 'forward', 'physics', 'index.ts')).href);

const [inFile, outDir] = process.argv.slice(2);
if (!inFile || !outDir) throw new Error('usage: forward_batch.mjs IN.json OUT_DIR');
const spec = JSON.parse(await readFile(inFile, 'utf8'));
if (spec.library !== 'kurucz' && spec.library !== 'btsettl')
  throw new Error(`${inFile}: library must be kurucz or btsettl (got ${String(spec.library)})`);
const keys = ['teff', 'logg', 'logL', 'radius', 'mh', 'av', 'rv', 'distancePc'];
const cols = {};
for (const k of keys) {
  if (!Array.isArray(spec.stars?.[k])) throw new Error(`${inFile}: stars.${k} must be an array`);
  cols[k] = Float64Array.from(spec.stars[k]);
}
const n = cols.teff.length;
for (const k of keys)
  if (cols[k].length !== n) throw new Error(`${inFile}: stars.${k} has ${cols[k].length} values, not ${n}`);

await mkdir(outDir, { recursive: true });
const files = {};
async function put(name, data, shape) {
  const file = `${name}.f32`;
  const tmp = join(outDir, `${file}.tmp`);
  await writeFile(tmp, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  await rename(tmp, join(outDir, file));
  files[name] = { file, shape };
}

const table = physics.bcTable(spec.library, 'G23');
const phot = table.photometry(cols);
const mags = new Float32Array(n * physics.BANDS.length);
physics.BANDS.forEach((band, b) => {
  const src = phot.mags[band];
  for (let i = 0; i < n; i++) mags[i * physics.BANDS.length + b] = phot.flags[i] === 0 ? src[i] : Number.NaN;
});
await put('phot', mags, [n, physics.BANDS.length]);

if (spec.xp) {
  const flux = new Float32Array(n * physics.XP_N);
  const error = new Float32Array(n * physics.XP_N);
  new physics.XpBatchModel(spec.library, 'G23').run(cols, flux, error);
  await put('xp', flux, [n, physics.XP_N]);
  await put('xp_err', error, [n, physics.XP_N]);
}

// Survey spectra cost milliseconds per star: only the listed rows get one (the others stay NaN).
for (const [survey, want] of Object.entries(spec.surveys ?? {})) {
  const bins = want?.bins;
  if (!physics.SURVEYS[survey])
    throw new Error(`${inFile}: unknown survey '${survey}' (lamost, boss, apogee)`);
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`${inFile}: surveys.${survey}.bins must be >= 1`);
  const rows = Array.isArray(want.rows) ? want.rows : [...Array(n).keys()];
  const out = new Float32Array(n * bins).fill(Number.NaN);
  for (const i of rows) {
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new Error(`${inFile}: surveys.${survey}.rows has ${i}`);
    if (![cols.teff[i], cols.logg[i], cols.radius[i], cols.distancePc[i]].every(Number.isFinite)) continue;
    let s;
    try {
      s = physics.surveySpectrum(survey, {
        teff: cols.teff[i],
        logg: cols.logg[i],
        radius: cols.radius[i],
        distancePc: cols.distancePc[i],
        av: cols.av[i],
        rv: cols.rv[i],
      });
    } catch (error) {
      // a star outside the high-resolution library has no spectrum of this survey (left NaN)
      if (/outside/.test(error.message)) continue;
      throw error;
    }
    const px = s.flux.length;
    for (let b = 0; b < bins; b++) {
      const lo = Math.floor((b * px) / bins);
      const hi = Math.floor(((b + 1) * px) / bins);
      let sum = 0;
      for (let k = lo; k < hi; k++) sum += s.flux[k];
      out[i * bins + b] = sum / (hi - lo);
    }
  }
  await put(survey, out, [n, bins]);
}

const header = join(outDir, 'out.json');
await writeFile(`${header}.tmp`, JSON.stringify({ n, bands: physics.BANDS, library: spec.library, files }));
await rename(`${header}.tmp`, header);
