// The three tables a run writes, column by column: the mock catalogue under the archives' own column
// names (Gaia DR3 gaia_source, 2MASS PSC, AllWISE), the truth under Cradle's canonical names
// (architecture doc, "Canonical names"), and the training shards (parameters, observables, their
// uncertainties and observed masks, a domain label and pair ids). Each column knows its unit and meaning
// (written to the Arrow field metadata and the manifest; plain ASCII, since they also become FITS header
// comments) and how to read itself from a chunk. NaN in a value array becomes null.
import {
  Bool,
  type Data,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  Int64,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Utf8,
  makeData,
} from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import type { Band } from '../physics/bands.ts';
import type { ChunkResult, SpectrumBlock, SpectrumName } from './chunk.ts';

type Kind = 'f64' | 'f32' | 'i64' | 'i32' | 'i8' | 'bool' | 'domain' | 'f32-list';
type Values = Float64Array | Float32Array | Int32Array | Uint8Array | BigInt64Array;

export interface ColumnSpec {
  name: string;
  kind: Kind;
  unit: string;
  description: string;
  /** Values per row; for 'bool' and 'i8' a Uint8Array; `nullWhen` marks rows that are null. */
  read(chunk: ChunkResult): Values;
  nullWhen?: (chunk: ChunkResult) => Uint8Array;
  /** Values per row of an 'f32-list' column (a fixed-size list: a spectrum). */
  listLength?: number;
}

const ARCHIVE_BANDS: readonly { band: Band; mag: string; err: string }[] = [
  { band: 'tmass.j', mag: 'j_m', err: 'j_msigcom' },
  { band: 'tmass.h', mag: 'h_m', err: 'h_msigcom' },
  { band: 'tmass.ks', mag: 'ks_m', err: 'ks_msigcom' },
  { band: 'wise.w1', mag: 'w1mpro', err: 'w1sigmpro' },
  { band: 'wise.w2', mag: 'w2mpro', err: 'w2sigmpro' },
  { band: 'wise.w3', mag: 'w3mpro', err: 'w3sigmpro' },
  { band: 'wise.w4', mag: 'w4mpro', err: 'w4sigmpro' },
];

const GAIA_BANDS: readonly { band: Band; key: 'g' | 'bp' | 'rp' }[] = [
  { band: 'gaia.g', key: 'g' },
  { band: 'gaia.bp', key: 'bp' },
  { band: 'gaia.rp', key: 'rp' },
];

const PARAMETERS: readonly {
  name: string;
  unit: string;
  description: string;
  read: (c: ChunkResult) => Float64Array;
}[] = [
  { name: 'log_age', unit: 'dex(yr)', description: 'log10 age', read: (c) => c.truth.logAge },
  {
    name: 'mass_init',
    unit: 'solMass',
    description: 'initial mass of the (primary) star',
    read: (c) => c.truth.massInit,
  },
  { name: 'mh', unit: 'dex', description: '[M/H]', read: (c) => c.truth.mh },
  { name: 'distance_pc', unit: 'pc', description: 'heliocentric distance', read: (c) => c.truth.distancePc },
  { name: 'av', unit: 'mag', description: 'V-band extinction A_V', read: (c) => c.truth.av },
  { name: 'rv', unit: '', description: 'R_V = A_V / E(B-V)', read: (c) => c.truth.rv },
  { name: 'teff', unit: 'K', description: 'effective temperature (primary)', read: (c) => c.truth.teff },
  { name: 'logg', unit: 'dex(cm/s2)', description: 'surface gravity (primary)', read: (c) => c.truth.logg },
  {
    name: 'log_lum',
    unit: 'dex(solLum)',
    description: 'log10 luminosity (primary)',
    read: (c) => c.truth.logLum,
  },
  { name: 'radius', unit: 'solRad', description: 'radius (primary)', read: (c) => c.truth.radius },
];

function magErrToFluxOverError(err: Float64Array): Float64Array {
  const out = new Float64Array(err.length);
  for (let i = 0; i < err.length; i++) out[i] = 1.0857362047581294 / (err[i] as number);
  return out;
}

function mustBand(record: Partial<Record<Band, Float64Array>>, band: Band): Float64Array {
  const values = record[band];
  if (values === undefined) throw new Error(`simulation: the photometry gives no '${band}' band`);
  return values;
}

export function catalogColumns(bands: readonly Band[]): ColumnSpec[] {
  const cols: ColumnSpec[] = [
    {
      name: 'source_id',
      kind: 'i64',
      unit: '',
      description:
        'simulated source identifier, Gaia-like: HEALPix level-12 nested index of (ra, dec) x 2^35 + running number',
      read: (c) => c.truth.sourceId,
    },
    {
      name: 'ra',
      kind: 'f64',
      unit: 'deg',
      description: 'right ascension (ICRS, epoch 2016.0)',
      read: (c) => c.truth.raDeg,
    },
    {
      name: 'dec',
      kind: 'f64',
      unit: 'deg',
      description: 'declination (ICRS, epoch 2016.0)',
      read: (c) => c.truth.decDeg,
    },
    { name: 'l', kind: 'f64', unit: 'deg', description: 'Galactic longitude', read: (c) => c.truth.lDeg },
    { name: 'b', kind: 'f64', unit: 'deg', description: 'Galactic latitude', read: (c) => c.truth.bDeg },
    { name: 'parallax', kind: 'f64', unit: 'mas', description: 'parallax', read: (c) => c.observed.parallax },
    {
      name: 'parallax_error',
      kind: 'f32',
      unit: 'mas',
      description: 'standard error of parallax',
      read: (c) => c.observed.parallaxErr,
    },
    {
      name: 'pmra',
      kind: 'f64',
      unit: 'mas/yr',
      description: 'proper motion in right ascension x cos(dec)',
      read: (c) => c.observed.pmra,
    },
    {
      name: 'pmra_error',
      kind: 'f32',
      unit: 'mas/yr',
      description: 'standard error of pmra',
      read: (c) => c.observed.pmraErr,
    },
    {
      name: 'pmdec',
      kind: 'f64',
      unit: 'mas/yr',
      description: 'proper motion in declination',
      read: (c) => c.observed.pmdec,
    },
    {
      name: 'pmdec_error',
      kind: 'f32',
      unit: 'mas/yr',
      description: 'standard error of pmdec',
      read: (c) => c.observed.pmdecErr,
    },
  ];
  for (const { band, key } of GAIA_BANDS) {
    if (!bands.includes(band)) continue;
    cols.push({
      name: `phot_${key}_mean_mag`,
      kind: 'f32',
      unit: 'mag',
      description: `Gaia ${key.toUpperCase()} mean magnitude (Vega)`,
      read: (c) => mustBand(c.observed.mag, band),
    });
    cols.push({
      name: `phot_${key}_mean_flux_over_error`,
      kind: 'f32',
      unit: '',
      description: `Gaia ${key.toUpperCase()} mean flux divided by its error`,
      read: (c) => magErrToFluxOverError(mustBand(c.observed.magErr, band)),
    });
  }
  if (bands.includes('gaia.bp') && bands.includes('gaia.rp')) {
    cols.push({
      name: 'bp_rp',
      kind: 'f32',
      unit: 'mag',
      description: 'BP - RP colour',
      read: (c) => {
        const bp = mustBand(c.observed.mag, 'gaia.bp');
        const rp = mustBand(c.observed.mag, 'gaia.rp');
        return bp.map((v, i) => v - (rp[i] as number));
      },
    });
  }
  cols.push({
    name: 'has_xp_continuous',
    kind: 'bool',
    unit: '',
    description: 'XP spectrum published (G < 17.65)',
    read: (c) => c.observed.hasXp,
  });
  for (const { band, mag, err } of ARCHIVE_BANDS) {
    if (!bands.includes(band)) continue;
    cols.push({
      name: mag,
      kind: 'f32',
      unit: 'mag',
      description: `${band} magnitude (Vega); null: not detected`,
      read: (c) => mustBand(c.observed.mag, band),
    });
    cols.push({
      name: err,
      kind: 'f32',
      unit: 'mag',
      description: `${band} magnitude uncertainty`,
      read: (c) => mustBand(c.observed.magErr, band),
    });
  }
  return cols;
}

export function truthColumns(bands: readonly Band[]): ColumnSpec[] {
  const cols: ColumnSpec[] = [
    {
      name: 'source_id',
      kind: 'i64',
      unit: '',
      description: 'matches the catalogue row',
      read: (c) => c.truth.sourceId,
    },
    ...PARAMETERS.map((p) => ({ ...p, kind: 'f64' as const })),
    {
      name: 'cluster_id',
      kind: 'i32',
      unit: '',
      description:
        'cluster of the star (1-based index of the config clusters; >= 1e6: clusters drawn from the prior); null: field',
      read: (c) => c.truth.clusterId,
      nullWhen: (c) => Uint8Array.from(c.truth.clusterId, (v) => (v < 0 ? 1 : 0)),
    },
    {
      name: 'population',
      kind: 'i8',
      unit: '',
      description: 'source of the star: 0 field, 1 cluster, 2 broad age prior',
      read: (c) => c.truth.source,
    },
    {
      name: 'component',
      kind: 'i8',
      unit: '',
      description:
        'Galactic component: 1-7 thin disc age bins, 8 thick disc, 9 halo, 10 bulge, 20 broad age prior, 21 cluster',
      read: (c) => c.truth.component,
    },
    {
      name: 'binary_q',
      kind: 'f32',
      unit: '',
      description: 'mass ratio of an unresolved companion; 0: single',
      read: (c) => c.truth.binaryQ,
    },
    {
      name: 'has_disk',
      kind: 'bool',
      unit: '',
      description: 'has an inner circumstellar disc (Mamajek 2009 fraction vs age)',
      read: (c) => c.truth.hasDisk,
    },
    {
      name: 'disk_lum_fraction',
      kind: 'f64',
      unit: '',
      description: 'disc luminosity / stellar luminosity (physics yso-disk lumFraction); null: no disc',
      read: (c) => c.truth.diskLumFraction,
    },
    {
      name: 'disk_temp_index',
      kind: 'f64',
      unit: '',
      description: 'disc temperature index q, T ~ r^-q (tempIndex); null: no disc',
      read: (c) => c.truth.diskTempIndex,
    },
    {
      name: 'disk_inclination_deg',
      kind: 'f64',
      unit: 'deg',
      description: 'disc inclination, 0 = face-on (inclinationDeg); null: no disc',
      read: (c) => c.truth.diskInclinationDeg,
    },
    { name: 'ra', kind: 'f64', unit: 'deg', description: 'right ascension', read: (c) => c.truth.raDeg },
    { name: 'dec', kind: 'f64', unit: 'deg', description: 'declination', read: (c) => c.truth.decDeg },
    {
      name: 'pmra',
      kind: 'f64',
      unit: 'mas/yr',
      description: 'true proper motion in RA x cos(dec)',
      read: (c) => c.truth.pmraMasYr,
    },
    {
      name: 'pmdec',
      kind: 'f64',
      unit: 'mas/yr',
      description: 'true proper motion in Dec',
      read: (c) => c.truth.pmdecMasYr,
    },
    {
      name: 'radial_velocity',
      kind: 'f64',
      unit: 'km/s',
      description: 'true heliocentric radial velocity',
      read: (c) => c.truth.radialVelocityKms,
    },
    {
      name: 'gaia.parallax',
      kind: 'f64',
      unit: 'mas',
      description: 'true parallax',
      read: (c) => c.truth.parallaxMas,
    },
  ];
  for (const band of bands) {
    cols.push({
      name: band,
      kind: 'f32',
      unit: 'mag',
      description: `true apparent ${band} magnitude (Vega, with extinction and any companion)`,
      read: (c) => mustBand(c.truth.mag, band),
    });
  }
  return cols;
}

/** A spectrum block's values laid out one row per chunk row (zeros under the null rows), as a
 * fixed-size list column needs them. */
function denseRows(block: SpectrumBlock, key: 'flux' | 'error', rows: number): Float32Array {
  const { pixels, rowIndex } = block;
  const values = block[key];
  const out = new Float32Array(rows * pixels);
  for (let k = 0; k < rowIndex.length; k++)
    out.set(values.subarray(k * pixels, (k + 1) * pixels), (rowIndex[k] as number) * pixels);
  return out;
}

function observedFlag(values: Float64Array): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number.isNaN(values[i]) ? 0 : 1;
  return out;
}

/** A spectrum's length per row, for the list columns of a shard. */
export interface ShardSpectra {
  /** Gaia XP samples per row, or null without XP. */
  xpLength: number | null;
  /** Pixels per row of each survey whose spectra the run makes. */
  surveys: { name: SpectrumName; pixels: number; unit: string }[];
}

export function shardColumns(
  bands: readonly Band[],
  spectra: ShardSpectra = { xpLength: null, surveys: [] },
): ColumnSpec[] {
  const cols: ColumnSpec[] = [
    {
      name: 'source_id',
      kind: 'i64',
      unit: '',
      description: 'simulated source identifier',
      read: (c) => c.truth.sourceId,
    },
    {
      name: 'domain',
      kind: 'domain',
      unit: '',
      description: "domain label: 'simulated' (real and pair rows come from other writers)",
      read: (c) => c.truth.source,
    },
    {
      name: 'pair_id',
      kind: 'i64',
      unit: '',
      description: 'id linking a simulated row to a real one; null: unpaired',
      read: (c) => c.truth.sourceId,
      nullWhen: (c) => new Uint8Array(c.truth.rows).fill(1),
    },
    ...PARAMETERS.map((p) => ({ ...p, kind: 'f64' as const })),
    {
      name: 'cluster_id',
      kind: 'i32',
      unit: '',
      description: 'cluster of the star; null: field',
      read: (c) => c.truth.clusterId,
      nullWhen: (c) => Uint8Array.from(c.truth.clusterId, (v) => (v < 0 ? 1 : 0)),
    },
    {
      name: 'population',
      kind: 'i8',
      unit: '',
      description: 'mixture source: 0 field, 1 cluster, 2 broad age prior',
      read: (c) => c.truth.source,
    },
    {
      name: 'binary_q',
      kind: 'f32',
      unit: '',
      description: 'unresolved companion mass ratio; 0: single',
      read: (c) => c.truth.binaryQ,
    },
    {
      name: 'has_disk',
      kind: 'bool',
      unit: '',
      description: 'inner disc present',
      read: (c) => c.truth.hasDisk,
    },
    {
      name: 'disk_lum_fraction',
      kind: 'f64',
      unit: '',
      description: 'disc luminosity / stellar luminosity (physics yso-disk lumFraction); null: no disc',
      read: (c) => c.truth.diskLumFraction,
    },
    {
      name: 'disk_temp_index',
      kind: 'f64',
      unit: '',
      description: 'disc temperature index q, T ~ r^-q (tempIndex); null: no disc',
      read: (c) => c.truth.diskTempIndex,
    },
    {
      name: 'disk_inclination_deg',
      kind: 'f64',
      unit: 'deg',
      description: 'disc inclination, 0 = face-on (inclinationDeg); null: no disc',
      read: (c) => c.truth.diskInclinationDeg,
    },
  ];
  for (const band of bands) {
    cols.push({
      name: band,
      kind: 'f32',
      unit: 'mag',
      description: `observed ${band} (Vega); null: not observed`,
      read: (c) => mustBand(c.observed.mag, band),
    });
    cols.push({
      name: `${band}.err`,
      kind: 'f32',
      unit: 'mag',
      description: `reported 1-sigma uncertainty of ${band}`,
      read: (c) => mustBand(c.observed.magErr, band),
    });
    cols.push({
      name: `${band}.observed`,
      kind: 'bool',
      unit: '',
      description: `${band} observed`,
      read: (c) => observedFlag(mustBand(c.observed.mag, band)),
    });
  }
  cols.push({
    name: 'gaia.parallax',
    kind: 'f64',
    unit: 'mas',
    description: 'observed parallax; null: not observed',
    read: (c) => c.observed.parallax,
  });
  cols.push({
    name: 'gaia.parallax.err',
    kind: 'f32',
    unit: 'mas',
    description: 'parallax uncertainty',
    read: (c) => c.observed.parallaxErr,
  });
  cols.push({
    name: 'gaia.parallax.observed',
    kind: 'bool',
    unit: '',
    description: 'parallax observed',
    read: (c) => observedFlag(c.observed.parallax),
  });
  cols.push({
    name: 'gaia.xp.observed',
    kind: 'bool',
    unit: '',
    description: 'Gaia XP spectrum available (G < 17.65)',
    read: (c) => c.observed.hasXp,
  });
  const { xpLength } = spectra;
  if (xpLength !== null) {
    const xp = (c: ChunkResult): NonNullable<ChunkResult['xp']> => {
      if (c.xp === undefined) throw new Error('simulation: a chunk without XP spectra in an XP run');
      return c.xp;
    };
    cols.push({
      name: 'gaia.xp',
      kind: 'f32-list',
      listLength: xpLength,
      unit: 'W m-2 nm-1',
      description: `Gaia XP-like spectrum, ${xpLength} samples (noisy); null: not published`,
      read: (c) => xp(c).flux,
      nullWhen: (c) => c.observed.hasXp.map((v) => 1 - v),
    });
    cols.push({
      name: 'gaia.xp.err',
      kind: 'f32-list',
      listLength: xpLength,
      unit: 'W m-2 nm-1',
      description: 'its 1-sigma uncertainties',
      read: (c) => xp(c).error,
      nullWhen: (c) => c.observed.hasXp.map((v) => 1 - v),
    });
  }
  for (const survey of spectra.surveys) {
    const block = (c: ChunkResult): SpectrumBlock => {
      const found = c.spectra?.[survey.name];
      if (found === undefined) throw new Error(`simulation: a chunk without ${survey.name} spectra`);
      return found;
    };
    const missing = (c: ChunkResult): Uint8Array =>
      (c.observed.spectra[survey.name] as Uint8Array).map((v) => 1 - v);
    cols.push({
      name: survey.name,
      kind: 'f32-list',
      listLength: survey.pixels,
      unit: survey.unit,
      description: `${survey.name} spectrum on the survey's pixels (${survey.pixels}; noisy, at its resolution); null: not observed`,
      read: (c) => denseRows(block(c), 'flux', c.truth.rows),
      nullWhen: missing,
    });
    cols.push({
      name: `${survey.name}.err`,
      kind: 'f32-list',
      listLength: survey.pixels,
      unit: survey.unit,
      description: `${survey.name} 1-sigma uncertainties (the survey's noise law)`,
      read: (c) => denseRows(block(c), 'error', c.truth.rows),
      nullWhen: missing,
    });
  }
  for (const name of ['spectrum.lamost', 'spectrum.apogee', 'spectrum.boss']) {
    cols.push({
      name: `${name}.observed`,
      kind: 'bool',
      unit: '',
      description: `${name} spectrum taken (survey footprint, magnitude window, targeting fraction)`,
      read: (c) => c.observed.spectra[name] ?? new Uint8Array(c.truth.rows),
    });
  }
  return cols;
}

function arrowType(kind: Kind): DataType {
  switch (kind) {
    case 'f64':
      return new Float64();
    case 'f32':
      return new Float32();
    case 'i64':
      return new Int64();
    case 'i32':
      return new Int32();
    case 'i8':
      return new Int8();
    case 'bool':
      return new Bool();
    case 'domain':
      return new Utf8();
    case 'f32-list':
      throw new Error('simulation: list columns take their type from their length');
  }
}

function fieldType(spec: ColumnSpec): DataType {
  if (spec.kind === 'f32-list') {
    return new FixedSizeList(spec.listLength ?? 0, new Field('item', new Float32(), true));
  }
  return arrowType(spec.kind);
}

export function schemaOf(columns: readonly ColumnSpec[]): Schema {
  return new Schema(
    columns.map((c) => {
      const metadata = new Map<string, string>([['description', c.description]]);
      if (c.unit !== '') metadata.set('unit', c.unit);
      return new Field(c.name, fieldType(c), true, metadata);
    }),
  );
}

function validityFromNaN(values: Float64Array): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v) || !Number.isFinite(v)) nulls++;
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  }
  return { bitmap, nulls };
}

function validityFromMask(nullMask: Uint8Array): { bitmap: Uint8Array; nulls: number } {
  const bitmap = new Uint8Array((nullMask.length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < nullMask.length; i++) {
    if (nullMask[i] === 1) nulls++;
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  }
  return { bitmap, nulls };
}

const DOMAIN_TEXT = new TextEncoder().encode('simulated');

function columnData(spec: ColumnSpec, chunk: ChunkResult): Data {
  const rows = chunk.truth.rows;
  const raw = spec.read(chunk);
  const validity =
    spec.nullWhen !== undefined
      ? validityFromMask(spec.nullWhen(chunk))
      : raw instanceof Float64Array
        ? validityFromNaN(raw)
        : null;
  const nullBitmap = validity !== null && validity.nulls > 0 ? validity.bitmap : undefined;
  const nullCount = validity?.nulls ?? 0;
  switch (spec.kind) {
    case 'f64':
      return makeData({
        type: new Float64(),
        length: rows,
        nullCount,
        nullBitmap,
        data: raw as Float64Array,
      });
    case 'f32':
      return makeData({
        type: new Float32(),
        length: rows,
        nullCount,
        nullBitmap,
        data: Float32Array.from(raw as Float64Array),
      });
    case 'i64':
      return makeData({ type: new Int64(), length: rows, nullCount, nullBitmap, data: raw as BigInt64Array });
    case 'i32':
      return makeData({ type: new Int32(), length: rows, nullCount, nullBitmap, data: raw as Int32Array });
    case 'i8':
      return makeData({
        type: new Int8(),
        length: rows,
        nullCount,
        nullBitmap,
        data: Int8Array.from(raw as Uint8Array),
      });
    case 'bool': {
      const bits = new Uint8Array((rows + 7) >> 3);
      const flags = raw as Uint8Array;
      for (let i = 0; i < rows; i++)
        if (flags[i] === 1) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
      return makeData({ type: new Bool(), length: rows, nullCount, nullBitmap, data: bits });
    }
    case 'f32-list': {
      const values = raw as Float32Array;
      const length = spec.listLength ?? 0;
      const child = makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values });
      const type = new FixedSizeList(length, new Field('item', new Float32(), true));
      return makeData({ type, length: rows, nullCount, nullBitmap, child });
    }
    case 'domain': {
      const valueOffsets = new Int32Array(rows + 1);
      const data = new Uint8Array(rows * DOMAIN_TEXT.length);
      for (let i = 0; i < rows; i++) {
        data.set(DOMAIN_TEXT, i * DOMAIN_TEXT.length);
        valueOffsets[i + 1] = (i + 1) * DOMAIN_TEXT.length;
      }
      return makeData({ type: new Utf8(), length: rows, nullCount: 0, valueOffsets, data });
    }
  }
}

/** One record batch of `columns` for the chunk's rows [start, end). */
export function recordBatch(schema: Schema, columns: readonly ColumnSpec[], chunk: ChunkResult): RecordBatch {
  const children = columns.map((c) => columnData(c, chunk));
  const struct = makeData({
    type: new Struct(schema.fields),
    length: chunk.truth.rows,
    nullCount: 0,
    children,
  });
  return new RecordBatch(schema, struct);
}

export function columnMeanings(
  columns: readonly ColumnSpec[],
): Record<string, { unit: string; description: string }> {
  return Object.fromEntries(columns.map((c) => [c.name, { unit: c.unit, description: c.description }]));
}
