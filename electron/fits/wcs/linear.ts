// The linear part of a FITS world coordinate system: pixel coordinates → intermediate world coordinates
// (Greisen & Calabretta 2002, A&A 395, 1061, "Paper I", §2.1 eqs. (1)–(3)):
//   x_i = s_i Σ_j m_ij (p_j − r_j)     with r = CRPIXj, m = PCi_j (default identity), s = CDELTi (default 1)
//   x_i = Σ_j CDi_j (p_j − r_j)        when the header uses the CD matrix instead
// and the older CROTA form (Calabretta & Greisen 2002, A&A 395, 1077, "Paper II", §6.1 eq. (187)):
//   PC1_1 = cos ρ, PC1_2 = −sin ρ·(CDELT2/CDELT1), PC2_1 = sin ρ·(CDELT1/CDELT2), PC2_2 = cos ρ
// with ρ = CROTA of the latitude axis (or CROTA2). Precedence follows wcslib: PC, else CD, else CROTA.
// The deprecated PC00i00j / CD00i00j spellings are accepted (wcslib reads them; old DSS headers use them).
// CD matrices with an all-zero row and column get a unit diagonal for that axis (wcslib's cdfix, which
// astropy applies).
//
// p is the 1-based FITS pixel coordinate (the centre of the first pixel is 1.0).
//
// API:
//   interface LinearTransform { naxis; crpix: number[]; matrix: number[][] }   (matrix includes CDELT)
//   readLinearTransform(header: KeywordSource, naxis: number, alt = '', rotationAxes?: [number, number])
//   intermediateWorld(t: LinearTransform, pixel: readonly number[]): number[]
//   pixelFromIntermediate(t: LinearTransform, x: readonly number[]): number[]   the inverse; throws if
//     the matrix is singular
import { FitsError } from '../errors.ts';
import { describeValue, numericValue } from '../keyword-source.ts';
import type { KeywordSource } from '../keyword-source.ts';

export interface LinearTransform {
  naxis: number;
  crpix: number[];
  /** Full matrix from (p − r) to x, CDELT folded in. */
  matrix: number[][];
}

function optionalNumber(header: KeywordSource, keyword: string): number | undefined {
  const raw = header.get(keyword);
  if (raw === undefined) return undefined;
  const value = numericValue(raw);
  if (value === undefined || !Number.isFinite(value)) {
    throw new FitsError(`expected a number, got ${describeValue(raw)}`, { keyword });
  }
  return value;
}

const DEG = Math.PI / 180;

export function readLinearTransform(
  header: KeywordSource,
  naxis: number,
  alt = '',
  rotationAxes?: [number, number],
): LinearTransform {
  const axes = [...Array(naxis).keys()];
  const crpix = axes.map((i) => optionalNumber(header, `CRPIX${i + 1}${alt}`) ?? 0);
  const cdelt = axes.map((i) => optionalNumber(header, `CDELT${i + 1}${alt}`) ?? 1);
  if (cdelt.some((c) => c === 0)) throw new FitsError('CDELT must not be zero', { keyword: `CDELTn${alt}` });
  // The deprecated PC00i00j / CD00i00j forms (AIPS, early drafts of Paper I) are read too, as wcslib does.
  const element = (prefix: string, i: number, j: number) =>
    optionalNumber(header, `${prefix}${i + 1}_${j + 1}${alt}`) ??
    (alt === ''
      ? optionalNumber(header, `${prefix}${String(i + 1).padStart(3, '0')}${String(j + 1).padStart(3, '0')}`)
      : undefined);
  const hasPc = axes.some((i) => axes.some((j) => element('PC', i, j) !== undefined));
  const hasCd = axes.some((i) => axes.some((j) => element('CD', i, j) !== undefined));

  if (!hasPc && hasCd) {
    const matrix = axes.map((i) => axes.map((j) => element('CD', i, j) ?? 0));
    for (const i of axes) {
      if (axes.every((j) => matrix[i]![j] === 0 && matrix[j]![i] === 0)) matrix[i]![i] = 1;
    }
    return { naxis, crpix, matrix };
  }
  const pc = axes.map((i) => axes.map((j) => element('PC', i, j) ?? (i === j ? 1 : 0)));
  if (!hasPc && rotationAxes !== undefined && alt === '') {
    const [lng, lat] = rotationAxes;
    const rho = optionalNumber(header, `CROTA${lat + 1}`) ?? optionalNumber(header, `CROTA${lng + 1}`);
    if (rho !== undefined && rho !== 0) {
      const c = Math.cos(rho * DEG);
      const s = Math.sin(rho * DEG);
      pc[lng]![lng] = c;
      pc[lng]![lat] = -s * (cdelt[lat]! / cdelt[lng]!);
      pc[lat]![lng] = s * (cdelt[lng]! / cdelt[lat]!);
      pc[lat]![lat] = c;
    }
  }
  const matrix = pc.map((row, i) => row.map((m) => m * cdelt[i]!));
  return { naxis, crpix, matrix };
}

export function intermediateWorld(t: LinearTransform, pixel: readonly number[]): number[] {
  const offsets = t.crpix.map((r, j) => pixel[j]! - r);
  return t.matrix.map((row) => row.reduce((sum, m, j) => sum + m * offsets[j]!, 0));
}

/** Solve matrix · d = x by Gaussian elimination with partial pivoting, then p = r + d. */
export function pixelFromIntermediate(t: LinearTransform, x: readonly number[]): number[] {
  const n = t.naxis;
  const m = t.matrix.map((row, i) => [...row, x[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (m[pivot]![col] === 0) throw new FitsError('the PC/CD matrix is singular', { keyword: 'PCi_j/CDi_j' });
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = m[r]![col]! / m[col]![col]!;
      if (factor !== 0) for (let c = col; c <= n; c++) m[r]![c]! -= factor * m[col]![c]!;
    }
  }
  return t.crpix.map((r, i) => r + m[i]![n]! / m[i]![i]!);
}
