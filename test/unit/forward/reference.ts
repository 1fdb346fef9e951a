// Reads the Python-made reference values (test/fixtures/forward/reference.json, see make_reference.py)
// and finds ../shared/data for the tests that need real data.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..', '..');
export const SHARED_DATA = resolve(REPO, '..', 'shared', 'data');
export const SPLINE_FILE = resolve(
  SHARED_DATA,
  'physics',
  'gaia-dr3-photometric-uncertainties',
  'LogErrVsMagSpline.csv',
);
export const HAS_SPLINE = existsSync(SPLINE_FILE);

export interface Reference {
  positions: {
    l: number;
    b: number;
    distancePc: number;
    u: number;
    v: number;
    w: number;
    ra: number;
    dec: number;
    pmra: number;
    pmdec: number;
    rv: number;
  }[];
  logSigmaSpline: { mag: number[]; g: number[]; bp: number[]; rp: number[] };
  parallax: { g: number[]; sigmaMas: number[] };
}

export function loadReference(): Reference {
  return JSON.parse(
    readFileSync(resolve(REPO, 'test', 'fixtures', 'forward', 'reference.json'), 'utf8'),
  ) as Reference;
}
