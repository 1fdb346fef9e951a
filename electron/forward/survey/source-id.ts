// Gaia-like source identifiers. Gaia DR3's source_id encodes where the source is: the nested HEALPix index
// at level 12 (N_side = 4096) of its position in bits 36-63, a data-processing-centre code in bits 33-35
// and a running number in bits 1-32, so source_id / 2^35 is the level-12 pixel (Gaia DR3 documentation,
// Sect. 20.1.1, gaia_source: source_id). Simulated ids follow the same layout with the low 35 bits as one
// running number (chunk index and candidate index within the chunk: unique within the run, hence within
// every pixel), so archive code that bins by source_id >> 35 works on mock catalogues too.
//
// The HEALPix index is computed here (ang2pix in the NESTED scheme of Górski et al. 2005, ApJ 622, 759,
// Sect. 4, as in the HEALPix C library's ang2pix_nest_z_phi) rather than through a library: no npm HEALPix
// package is maintained, and this is thirty lines checked against astropy-healpix in test/python.

/** Gaia's HEALPix level for source_id. */
export const SOURCE_ID_HEALPIX_LEVEL = 12;
/** Bits below the HEALPix index (2^35). */
export const SOURCE_ID_RUNNING_BITS = 35;

const HALF_PI = Math.PI / 2;
const DEG = Math.PI / 180;

/** Interleaves the low 16 bits of v with zeros (bit k → bit 2k). */
function spread(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

/** NESTED HEALPix index of (ra, dec) in degrees at `level` (N_side = 2^level, level ≤ 13). */
export function healpixNested(raDeg: number, decDeg: number, level: number): number {
  if (!(level >= 0 && level <= 13 && Number.isInteger(level)))
    throw new Error(`HEALPix level ${level}: must be an integer in 0-13`);
  const nside = 2 ** level;
  const z = Math.sin(decDeg * DEG);
  const za = Math.abs(z);
  let tt = ((raDeg % 360) + 360) % 360;
  tt = (tt * DEG) / HALF_PI;
  if (tt >= 4) tt = 0;
  let face: number;
  let ix: number;
  let iy: number;
  if (za <= 2 / 3) {
    const t1 = nside * (0.5 + tt);
    const t2 = nside * z * 0.75;
    const jp = Math.floor(t1 - t2);
    const jm = Math.floor(t1 + t2);
    const ifp = Math.floor(jp / nside);
    const ifm = Math.floor(jm / nside);
    face = ifp === ifm ? ifp | 4 : ifp < ifm ? ifp : ifm + 8;
    ix = jm & (nside - 1);
    iy = nside - (jp & (nside - 1)) - 1;
  } else {
    const ntt = Math.min(3, Math.floor(tt));
    const tp = tt - ntt;
    // sqrt(3(1 - |z|)) written with cos(dec) to keep precision near the poles.
    const tmp = nside * Math.cos(decDeg * DEG) * Math.sqrt(3 / (1 + za));
    const jp = Math.min(nside - 1, Math.floor(tp * tmp));
    const jm = Math.min(nside - 1, Math.floor((1 - tp) * tmp));
    if (z >= 0) {
      face = ntt;
      ix = nside - jm - 1;
      iy = nside - jp - 1;
    } else {
      face = ntt + 8;
      ix = jp;
      iy = jm;
    }
  }
  return face * nside * nside + spread(ix) + 2 * spread(iy);
}

/**
 * source_id = HEALPix(level 12 of ra, dec) × 2^35 + running, per row, written as the id's two 32-bit
 * halves (no BigInt arithmetic per row).
 */
export function sourceIds(raDeg: Float64Array, decDeg: Float64Array, running: Float64Array): BigInt64Array {
  const n = raDeg.length;
  const out = new BigInt64Array(n);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const r = running[i] as number;
    if (!(r >= 0 && r < 2 ** SOURCE_ID_RUNNING_BITS && Number.isInteger(r)))
      throw new Error(`source_id: running number ${r} does not fit in ${SOURCE_ID_RUNNING_BITS} bits`);
    const pixel = healpixNested(raDeg[i] as number, decDeg[i] as number, SOURCE_ID_HEALPIX_LEVEL);
    const high = Math.floor(r / 2 ** 32);
    view.setUint32(i * 8, r - high * 2 ** 32, true);
    view.setUint32(i * 8 + 4, pixel * 8 + high, true);
  }
  return out;
}
