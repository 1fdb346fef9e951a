// The Inspect view's contract: what the UI may ask of one FITS file (its HDU tree, a header's cards,
// windows of table rows, sorted orders, column statistics, image tiles of a level-of-detail pyramid,
// one pixel with its world coordinates, a 1-D spectrum, an export) and the shapes of the answers.
// Bulk numbers (tiles, spectra, histograms) travel as typed arrays, so the wire sends them as bytes.
import { z } from 'zod';
import { AbsolutePath } from './common.ts';

// Typed arrays over any buffer (a worker's transferred buffer, a slice of a file read).
const Float64Values = z.custom<Float64Array>(
  (value) => value instanceof Float64Array,
  'expected a Float64Array',
);
const Float32Values = z.custom<Float32Array>(
  (value) => value instanceof Float32Array,
  'expected a Float32Array',
);
const Uint8Values = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a Uint8Array');

const HduIndex = z.number().int().min(0).max(100_000);

export const HduRef = z.object({ path: AbsolutePath, hdu: HduIndex }).strict();

/** 'unchecked': the HDU has CHECKSUM/DATASUM but is too large to verify on open (fits.checksum does it). */
export const ChecksumState = z.enum(['ok', 'bad', 'absent', 'unchecked']);

export const ChecksumResult = z.object({ checksum: ChecksumState, datasum: ChecksumState });

export const InspectColumn = z.object({
  name: z.string(),
  format: z.string(),
  unit: z.string(),
  /** TCOMMn, else the comment of the TTYPEn card. */
  description: z.string(),
  /** Elements per cell (1 for scalars, a vector or a TDIM array otherwise; strings count as 1). */
  repeat: z.number().int().nonnegative(),
  /** Whether the column can be sorted and summarised (a numeric scalar). */
  numeric: z.boolean(),
});
export type InspectColumn = z.infer<typeof InspectColumn>;

/** How the view shows an HDU's data. */
export const HduView = z.enum(['image', 'table', 'spectrum', 'none']);
export type HduView = z.infer<typeof HduView>;

export const InspectHdu = z.object({
  index: z.number().int(),
  type: z.string(),
  name: z.string(),
  /** Image axes, slowest first (numpy order); empty for tables. */
  shape: z.array(z.number().int()),
  rows: z.number().int().nullable(),
  columns: z.array(InspectColumn),
  headerBytes: z.number().int(),
  dataBytes: z.number().int(),
  checksum: ChecksumState,
  datasum: ChecksumState,
  view: HduView,
  /** Why this HDU's data cannot be shown (the engine's message), or null. */
  problem: z.string().nullable(),
  /** Header values that are legal but spoil the data (a zero BSCALE/TSCALn), one message each. */
  warnings: z.array(z.string()),
});
export type InspectHdu = z.infer<typeof InspectHdu>;

export const InspectFile = z.object({
  path: z.string(),
  sizeBytes: z.number().int(),
  hdus: z.array(InspectHdu),
  /** Why the HDU list stops early (a truncated or damaged file), or null. */
  problem: z.string().nullable(),
});
export type InspectFile = z.infer<typeof InspectFile>;

export const HeaderCard = z.object({
  keyword: z.string(),
  kind: z.enum(['value', 'commentary', 'continue']),
  /** The value as text (long strings joined across CONTINUE cards, quotes removed). */
  value: z.string(),
  comment: z.string(),
  /** The 80-character card(s) as written, one per line. */
  raw: z.string(),
  hierarch: z.boolean(),
});
export type HeaderCard = z.infer<typeof HeaderCard>;

export const HeaderResult = z.object({ cards: z.array(HeaderCard) });

/** A table cell as JSON: int64 as decimal text, NaN/null as null, complex as [re, im], vectors as arrays. */
export type JsonCell = number | string | boolean | null | JsonCell[];
export const JsonCell: z.ZodType<JsonCell> = z.lazy(() =>
  z.union([z.number(), z.string(), z.boolean(), z.null(), z.array(JsonCell)]),
);

export const SortId = z.string().regex(/^sort-[0-9]+$/, 'not a sort id');

export const RowsParams = HduRef.extend({
  start: z.number().int().min(0),
  count: z.number().int().min(0).max(2_000),
  /** Column names (all when absent). */
  columns: z.array(z.string().max(200)).max(1_000).optional(),
  /** Rows in the order of a previous fits.sort (positions then index the sorted order). */
  sort: SortId.optional(),
}).strict();

export const RowsResult = z.object({
  start: z.number().int(),
  columns: z.array(z.string()),
  /** The file's row number of each returned row (differs from start + i when sorted). */
  indices: z.array(z.number().int()),
  /** Row-major: rows[i][j] is column j of row indices[i]. */
  cells: z.array(z.array(JsonCell)),
  totalRows: z.number().int(),
});
export type RowsResult = z.infer<typeof RowsResult>;

export const SortParams = HduRef.extend({
  column: z.string().min(1).max(200),
  descending: z.boolean().default(false),
}).strict();

export const SortResult = z.object({ sort: SortId, column: z.string(), descending: z.boolean() });

export const ColumnStatsParams = HduRef.extend({
  column: z.string().min(1).max(200),
  bins: z.number().int().min(2).max(1_000).default(40),
}).strict();

export const ColumnStatsResult = z.object({
  column: z.string(),
  count: z.number().int(),
  nulls: z.number().int(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  /** Histogram of the finite values: bins + 1 edges, bins counts. */
  edges: Float64Values,
  counts: Float64Values,
});
export type ColumnStatsResult = z.infer<typeof ColumnStatsResult>;

/** Indices of the non-spatial axes (slowest first) picking one plane of a cube; [] for a 2-D image. */
const Slice = z.array(z.number().int().min(0)).max(8).default([]);

export const ImageTileParams = HduRef.extend({
  slice: Slice,
  /** Pyramid level: each returned pixel is the mean of 2^level × 2^level image pixels (NaN ignored). */
  level: z.number().int().min(0).max(16),
  /** The tile's first column and row in full-resolution pixels (0-based). */
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  /** Tile size in level pixels. */
  width: z.number().int().min(1).max(2_048),
  height: z.number().int().min(1).max(2_048),
  /**
   * `mean` (default): block means. `nearest`: a quick first look read straight from the file — the
   * centre pixel of each block — answered as `mean` instead when the plane is already decoded.
   */
  sampling: z.enum(['mean', 'nearest']).optional(),
}).strict();

export const ImageTile = z.object({
  level: z.number().int(),
  /** How the tile's pixels were made from the image's (see ImageTileParams.sampling). */
  sampling: z.enum(['mean', 'nearest']),
  x: z.number().int(),
  y: z.number().int(),
  /** Size of the returned tile in level pixels (clipped at the image edge). */
  width: z.number().int(),
  height: z.number().int(),
  /** Row-major, first row = lowest y (FITS order), NaN where no finite pixel fell in the block. */
  data: Float32Values,
  /** The full image plane. */
  imageWidth: z.number().int(),
  imageHeight: z.number().int(),
});
export type ImageTile = z.infer<typeof ImageTile>;

export const PixelParams = HduRef.extend({
  slice: Slice,
  x: z.number().int().min(0),
  y: z.number().int().min(0),
}).strict();

export const WorldAxis = z.object({ name: z.string(), value: z.number(), unit: z.string() });

export const PixelResult = z.object({
  x: z.number().int(),
  y: z.number().int(),
  /** The physical value (BSCALE/BZERO applied); null for NaN or BLANK; int64 as decimal text. */
  value: z.union([z.number(), z.string(), z.null()]),
  /** World coordinates of the pixel centre from the header's WCS (empty without one). */
  world: z.array(WorldAxis),
  /** WCS distortions present in the header but not applied (SIP, …). */
  ignoredDistortions: z.array(z.string()),
});
export type PixelResult = z.infer<typeof PixelResult>;

export const SpectrumResult = z.object({
  wavelength: Float64Values,
  flux: Float64Values,
  /** 1σ, NaN where the file gives none. */
  uncertainty: Float64Values,
  /** 1 where the pixel is flagged bad. */
  mask: Uint8Values,
  wavelengthUnit: z.string(),
  fluxUnit: z.string(),
  medium: z.enum(['vacuum', 'air', 'unknown']),
  wavelengthSource: z.string(),
  layout: z.string(),
});
export type SpectrumResult = z.infer<typeof SpectrumResult>;

export const ExportParams = HduRef.extend({
  /** Where to write; the format follows the extension (.fits, .csv, .parquet). */
  output: AbsolutePath.refine(
    (path) => /\.(fits|fit|fts|csv|parquet)$/i.test(path),
    'the output must end in .fits, .csv or .parquet',
  ),
  columns: z.array(z.string().max(200)).max(1_000).optional(),
}).strict();

export const ExportResult = z.object({ output: z.string(), rows: z.number().int() });
