// Reading the tiled-image-compression keywords (FITS Standard 4.0, §10.1.1 required ZIMAGE, ZBITPIX,
// ZNAXIS, ZNAXISn, ZCMPTYPE; §10.1.2 optional ZTILEn, ZNAMEi/ZVALi, ZQUANTIZ, ZDITHER0, ZBLANK) from any
// header-like object, into the plain parameters the tile decoders take. Errors name the keyword.
//
// API:
//   type CompressionAlgorithm = 'RICE_1' | 'GZIP_1' | 'GZIP_2' | 'HCOMPRESS_1' | 'PLIO_1' | 'NOCOMPRESS'
//   interface TiledImageParameters { bitpix, axes, tile, algorithm, blockSize, bytePix, smooth,
//                                    dither, ditherSeed, blank }
//   tiledImageParameters(header: KeywordSource): TiledImageParameters   (KeywordSource: ../keyword-source.ts)
import { FitsError } from '../errors.ts';
import { describeValue, numericValue } from '../keyword-source.ts';
import type { KeywordSource } from '../keyword-source.ts';
import { parseDitherMethod } from './quantize.ts';
import type { DitherMethod } from './quantize.ts';

export type CompressionAlgorithm = 'RICE_1' | 'GZIP_1' | 'GZIP_2' | 'HCOMPRESS_1' | 'PLIO_1' | 'NOCOMPRESS';
export type ImageBitpix = 8 | 16 | 32 | 64 | -32 | -64;

export interface TiledImageParameters {
  /** ZBITPIX: the type of the uncompressed image. */
  bitpix: ImageBitpix;
  /** ZNAXIS1..n, FITS order (fastest axis first). */
  axes: number[];
  /** ZTILE1..n, FITS order; defaults to whole rows (ZNAXIS1, 1, 1, …) as the standard says. */
  tile: number[];
  algorithm: CompressionAlgorithm;
  /** RICE_1 BLOCKSIZE (default 32). */
  blockSize: number;
  /** RICE_1 BYTEPIX (default 4). */
  bytePix: 1 | 2 | 4 | 8;
  /** HCOMPRESS_1 SMOOTH ≠ 0. */
  smooth: boolean;
  /** ZQUANTIZ (absent → NO_DITHER); used only when tiles carry ZSCALE. */
  dither: DitherMethod;
  /**
   * ZDITHER0: seed of the dither sequence. Absent → 1, the first table entry (cfitsio and astropy would
   * index one entry before the table there; writers always record it).
   */
  ditherSeed: number;
  /** ZBLANK keyword, else BLANK: the stored integer that marks undefined pixels. */
  blank: number | undefined;
}

const ALGORITHMS: Record<string, CompressionAlgorithm> = {
  RICE_1: 'RICE_1',
  RICE_ONE: 'RICE_1',
  GZIP_1: 'GZIP_1',
  GZIP_2: 'GZIP_2',
  HCOMPRESS_1: 'HCOMPRESS_1',
  PLIO_1: 'PLIO_1',
  NOCOMPRESS: 'NOCOMPRESS',
};

function integer(header: KeywordSource, keyword: string, fallback?: number): number {
  const raw = header.get(keyword);
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new FitsError('required keyword is missing', { keyword });
  }
  const value = numericValue(raw);
  if (value === undefined || !Number.isInteger(value)) {
    throw new FitsError(`expected an integer, got ${JSON.stringify(describeValue(raw))}`, { keyword });
  }
  return value;
}

function text(header: KeywordSource, keyword: string): string | undefined {
  const raw = header.get(keyword);
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string')
    throw new FitsError(`expected a string, got ${describeValue(raw)}`, { keyword });
  return raw.trim();
}

/** ZNAMEi/ZVALi pairs, names upper-cased. */
function algorithmParameters(header: KeywordSource): Map<string, unknown> {
  const parameters = new Map<string, unknown>();
  for (let i = 1; i < 1000; i++) {
    const name = header.get(`ZNAME${i}`);
    if (name === undefined) break;
    parameters.set(describeValue(name).trim().toUpperCase(), header.get(`ZVAL${i}`));
  }
  return parameters;
}

function parameterInteger(parameters: Map<string, unknown>, name: string, fallback: number): number {
  const raw = parameters.get(name);
  if (raw === undefined) return fallback;
  const value = numericValue(raw);
  if (value === undefined || !Number.isFinite(value)) {
    throw new FitsError(`ZVAL for ${name} must be a number, got ${describeValue(raw)}`, { keyword: 'ZVALn' });
  }
  return Math.trunc(value);
}

export function tiledImageParameters(header: KeywordSource): TiledImageParameters {
  const bitpix = integer(header, 'ZBITPIX');
  if (![8, 16, 32, 64, -32, -64].includes(bitpix)) {
    throw new FitsError(`must be 8, 16, 32, 64, -32 or -64, got ${bitpix}`, { keyword: 'ZBITPIX' });
  }
  const naxis = integer(header, 'ZNAXIS');
  if (naxis < 0 || naxis > 999) throw new FitsError(`must be 0..999, got ${naxis}`, { keyword: 'ZNAXIS' });
  const axes: number[] = [];
  const tile: number[] = [];
  for (let i = 1; i <= naxis; i++) {
    const length = integer(header, `ZNAXIS${i}`);
    if (length < 0) throw new FitsError(`negative axis length ${length}`, { keyword: `ZNAXIS${i}` });
    axes.push(length);
    const size = integer(header, `ZTILE${i}`, i === 1 ? length : 1);
    if (size <= 0) throw new FitsError(`tile size must be positive, got ${size}`, { keyword: `ZTILE${i}` });
    tile.push(size);
  }
  const typeName = text(header, 'ZCMPTYPE');
  if (typeName === undefined) throw new FitsError('required keyword is missing', { keyword: 'ZCMPTYPE' });
  const algorithm = ALGORITHMS[typeName.toUpperCase()];
  if (algorithm === undefined) {
    throw new FitsError(`unsupported compression algorithm '${typeName}'`, { keyword: 'ZCMPTYPE' });
  }
  const parameters = algorithmParameters(header);
  const bytePix = parameterInteger(parameters, 'BYTEPIX', 4);
  if (![1, 2, 4, 8].includes(bytePix)) {
    throw new FitsError(`BYTEPIX must be 1, 2, 4 or 8, got ${bytePix}`, { keyword: 'ZVALn' });
  }
  let dither: DitherMethod;
  try {
    dither = parseDitherMethod(text(header, 'ZQUANTIZ'));
  } catch (error) {
    throw new FitsError(error instanceof Error ? error.message : String(error), { keyword: 'ZQUANTIZ' });
  }
  const blankRaw = header.get('ZBLANK') ?? header.get('BLANK');
  return {
    bitpix: bitpix as ImageBitpix,
    axes,
    tile,
    algorithm,
    blockSize: parameterInteger(parameters, 'BLOCKSIZE', 32),
    bytePix: bytePix as 1 | 2 | 4 | 8,
    smooth: parameterInteger(parameters, 'SMOOTH', 0) !== 0,
    dither,
    ditherSeed: integer(header, 'ZDITHER0', 1),
    blank: numericValue(blankRaw),
  };
}
