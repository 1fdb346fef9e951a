// The engine side of the Inspect view: each fits.* method answered from the FITS engine. Open files
// and decoded image planes are kept in small caches (a person looks at one file at a time, and
// pans and zooms the same plane many times); a cached entry is dropped when the file's size or
// modification time changes. Sorting and column statistics read a whole column, so they run in a
// worker thread (./fits-column.worker.ts) and never block the process that answers the UI; a sort's
// permutation stays here and only windows of it are used by fits.rows.
import { stat } from 'node:fs/promises';
import type { MethodArgs, MethodResult } from '../api/methods.ts';
import type { HduView, InspectColumn, InspectHdu } from '../api/inspect.ts';
import { spawnJobWorker, siblingModule } from '../jobs/spawn-worker.ts';
import { AsciiTable } from '../fits/asciitable.ts';
import { BinaryTable } from '../fits/bintable.ts';
import { readImageOutput } from '../fits/arrow.ts';
import { convertTable } from '../fits/convert.ts';
import { FitsFile } from '../fits/file.ts';
import type { Hdu } from '../fits/hdu.ts';
import type { CardValue } from '../fits/header.ts';
import { compressedShape, pixelsOf, rowsOf, scaleWarnings, verifyChecksums } from '../fits/inspect.ts';
import { imageShape } from '../fits/hdu.ts';
import { readLamostSpectrum } from '../fits/spectra/lamost.ts';
import { readWcsSpectrum } from '../fits/spectra/wcs-spectrum.ts';
import type { Spectrum1D } from '../fits/spectra/spectrum.ts';
import type { Wcs } from '../fits/wcs/wcs.ts';
import { wavelengthSolution } from '../fits/wcs/spectral.ts';
import { downsampleTile, planeOf } from './image-pyramid.ts';
import { sampledTile } from './image-preview.ts';
import type { ColumnTask, ColumnTaskResult } from './fits-column.ts';

interface OpenEntry {
  file: FitsFile;
  stamp: string;
}

interface Plane {
  key: string;
  data: Float32Array;
  width: number;
  height: number;
  wcs: Wcs | undefined;
}

const OPEN_FILES = 6;
/** HDUs with more data than this are not checksummed on open (it would delay the first look). */
const CHECKSUM_ON_OPEN_BYTES = 16 * 1024 * 1024;
const PLANES = 2;
const SORTS = 8;

function planeKey({ path, hdu, slice }: { path: string; hdu: number; slice: number[] }): string {
  return `${path}\0${hdu}\0${slice.join(',')}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hduSize(hdu: Hdu): number {
  return hdu.dataOffset - hdu.headerOffset;
}

/** Whether the HDU is a spectrum the engine's loaders read (LAMOST layouts, or 1-D flux with a wavelength solution). */
function telescope(file: FitsFile): string {
  const value = file.hdu(0).header.get('TELESCOP');
  return typeof value === 'string' ? value.trim().toUpperCase() : '';
}

function isSpectrum(file: FitsFile, hdu: Hdu): boolean {
  const shape = hdu.type === 'PRIMARY' || hdu.type === 'IMAGE' ? imageShape(hdu.header) : [];
  if (telescope(file).includes('LAMOST')) {
    if (hdu.index === 0 && shape.length === 2 && (shape[0] ?? 0) <= 9) return true;
    if (hdu.type === 'BINTABLE') {
      const names = new BinaryTable(file, hdu).columns.map((c) => c.name.toUpperCase());
      return names.includes('WAVELENGTH') && names.includes('FLUX');
    }
  }
  if (shape.length === 0 || shape.slice(0, -1).some((n) => n !== 1)) return false;
  try {
    wavelengthSolution(hdu.header);
    return true;
  } catch {
    return false;
  }
}

function columnsOf(file: FitsFile, hdu: Hdu): InspectColumn[] {
  if (hdu.type === 'BINTABLE') {
    return new BinaryTable(file, hdu).columns.map((c) => ({
      name: c.name,
      format: c.format,
      unit: c.unit,
      description: c.description || (hdu.header.card(`TTYPE${c.index + 1}`)?.comment ?? ''),
      repeat: c.type === 'A' ? 1 : c.repeat,
      numeric: !c.descriptor && c.repeat === 1 && 'BIJKED'.includes(c.type),
    }));
  }
  if (hdu.type === 'TABLE') {
    return new AsciiTable(file, hdu).columns.map((c) => ({
      name: c.name,
      format: c.format,
      unit: c.unit,
      description: c.description || (hdu.header.card(`TTYPE${c.index + 1}`)?.comment ?? ''),
      repeat: 1,
      numeric: false,
    }));
  }
  return [];
}

function describe(file: FitsFile, hdu: Hdu, checksums: boolean): InspectHdu {
  let shape: number[] = [];
  let rows: number | null = null;
  let columns: InspectColumn[] = [];
  let view: HduView = 'none';
  let problem: string | null = null;
  let warnings: string[] = [];
  let sums: { checksum: InspectHdu['checksum']; datasum: InspectHdu['datasum'] } = {
    checksum: 'absent',
    datasum: 'absent',
  };
  try {
    switch (hdu.type) {
      case 'PRIMARY':
      case 'IMAGE':
        shape = imageShape(hdu.header);
        view = shape.length >= 1 && hdu.dataSize > 0 ? 'image' : 'none';
        break;
      case 'COMPRESSED_IMAGE':
        shape = compressedShape(hdu);
        view = 'image';
        break;
      case 'BINTABLE':
      case 'TABLE':
        columns = columnsOf(file, hdu);
        rows = hdu.header.integer('NAXIS2');
        view = 'table';
        break;
      default:
        break;
    }
    // Shown as the CLI prints them, so that data made constant by its header is not taken for real.
    warnings = scaleWarnings(file, hdu);
    if (view !== 'none' && isSpectrum(file, hdu)) view = 'spectrum';
    else if (view === 'image' && shape.length < 2) view = 'none';
    if (hdu.truncated) file.checkDataPresent(hdu);
    if (checksums && hdu.dataSize <= CHECKSUM_ON_OPEN_BYTES) sums = verifyChecksums(file, hdu);
    else if (hdu.header.has('CHECKSUM') || hdu.header.has('DATASUM')) {
      sums = { checksum: 'unchecked', datasum: 'unchecked' };
    }
  } catch (error) {
    problem = message(error);
  }
  return {
    index: hdu.index,
    type: hdu.type,
    name: hdu.name,
    shape,
    rows,
    columns,
    headerBytes: hduSize(hdu),
    dataBytes: hdu.dataSize,
    ...sums,
    view: problem !== null && hdu.truncated ? 'none' : view,
    problem,
    warnings,
  };
}

function cardValue(value: CardValue): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'object') return `(${value.re}, ${value.im})`;
  return String(value);
}

/** Runs one column task in a worker thread and resolves with its answer. */
function runColumnTask(task: ColumnTask): Promise<ColumnTaskResult> {
  return new Promise((resolve, reject) => {
    const worker = spawnJobWorker(siblingModule(import.meta.url, 'fits-column.worker'), task);
    worker.once(
      'message',
      (reply: { ok: true; result: ColumnTaskResult } | { ok: false; message: string }) => {
        if (reply.ok) resolve(reply.result);
        else reject(new Error(reply.message));
        void worker.terminate();
      },
    );
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the column worker stopped (exit code ${code})`));
    });
  });
}

export class InspectService {
  private readonly files = new Map<string, OpenEntry>();
  private readonly planes: Plane[] = [];
  private readonly sorts = new Map<string, { key: string; order: Uint32Array }>();
  private nextSort = 1;

  /** The open file at `path`, reopened when it changed on disk. */
  private async open(path: string): Promise<FitsFile> {
    const info = await stat(path).catch((error: unknown) => {
      throw new Error(`${path}: ${message(error)}`);
    });
    if (!info.isFile()) throw new Error(`${path}: not a file`);
    const stamp = `${info.size}:${info.mtimeMs}`;
    const cached = this.files.get(path);
    if (cached && cached.stamp === stamp) {
      this.files.delete(path);
      this.files.set(path, cached);
      return cached.file;
    }
    cached?.file.close();
    this.files.delete(path);
    this.dropDerived(path);
    const file = FitsFile.open(path);
    this.files.set(path, { file, stamp });
    while (this.files.size > OPEN_FILES) {
      const [oldest, entry] = this.files.entries().next().value as [string, OpenEntry];
      entry.file.close();
      this.files.delete(oldest);
      this.dropDerived(oldest);
    }
    return file;
  }

  private dropDerived(path: string): void {
    for (let i = this.planes.length - 1; i >= 0; i--) {
      if (this.planes[i]!.key.startsWith(`${path}\0`)) this.planes.splice(i, 1);
    }
    for (const [id, sort] of this.sorts) if (sort.key.startsWith(`${path}\0`)) this.sorts.delete(id);
  }

  async fileInfo({ path }: MethodArgs<'fits.open'>): Promise<MethodResult<'fits.open'>> {
    const info = await stat(path);
    const file = await this.open(path);
    let problem: string | null = null;
    let hdus: Hdu[];
    try {
      hdus = file.hdus();
    } catch (error) {
      problem = message(error);
      hdus = [];
      for (let i = 0; ; i++) {
        try {
          hdus.push(file.hdu(i));
        } catch {
          break;
        }
      }
    }
    const described = hdus.map((hdu) => describe(file, hdu, true));
    return { path, sizeBytes: info.size, hdus: described, problem };
  }

  async header({ path, hdu }: MethodArgs<'fits.header'>): Promise<MethodResult<'fits.header'>> {
    const file = await this.open(path);
    const cards = file.hdu(hdu).header.cards.map((card) => ({
      keyword: card.keyword,
      kind: card.kind === 'end' ? ('commentary' as const) : card.kind,
      value: cardValue(card.value),
      comment: card.comment,
      raw: (card.raw.match(/.{1,80}/g) ?? []).map((line) => line.trimEnd()).join('\n'),
      hierarch: card.raw.startsWith('HIERARCH'),
    }));
    return { cards };
  }

  async checksum({ path, hdu }: MethodArgs<'fits.checksum'>): Promise<MethodResult<'fits.checksum'>> {
    const file = await this.open(path);
    return verifyChecksums(file, file.hdu(hdu));
  }

  async rows(args: MethodArgs<'fits.rows'>): Promise<MethodResult<'fits.rows'>> {
    const file = await this.open(args.path);
    const hdu = file.hdu(args.hdu);
    if (hdu.type !== 'BINTABLE' && hdu.type !== 'TABLE') {
      throw file.error(hdu, `rows are only available for table HDUs, this is ${hdu.type}`);
    }
    const totalRows = hdu.header.integer('NAXIS2');
    const names = args.columns ?? columnsOf(file, hdu).map((c) => c.name);
    let order: Uint32Array | undefined;
    if (args.sort !== undefined) {
      const sort = this.sorts.get(args.sort);
      if (sort === undefined || sort.key !== `${args.path}\0${args.hdu}`) {
        throw new Error(
          `fits.rows: ${args.sort} is not a sort of HDU ${args.hdu} of ${args.path} (sort again)`,
        );
      }
      order = sort.order;
    }
    const end = Math.min(totalRows, args.start + args.count);
    const indices: number[] = [];
    for (let i = args.start; i < end; i++) indices.push(order ? order[i]! : i);
    const found = rowsOf(file, hdu, indices, names).rows;
    const cells = indices.map((index) => {
      const record = found[String(index)] ?? {};
      return names.map((name) => record[name] ?? null);
    });
    return { start: args.start, columns: names, indices, cells, totalRows };
  }

  async sort(args: MethodArgs<'fits.sort'>): Promise<MethodResult<'fits.sort'>> {
    const file = await this.open(args.path);
    const hdu = file.hdu(args.hdu);
    if (hdu.type !== 'BINTABLE') throw file.error(hdu, `sorting needs a binary table, this is ${hdu.type}`);
    const result = await runColumnTask({
      task: 'sort',
      path: args.path,
      hdu: args.hdu,
      column: args.column,
      descending: args.descending,
      bins: 0,
    });
    if (result.task !== 'sort') throw new Error('fits.sort: the worker answered another task');
    const id = `sort-${this.nextSort++}`;
    this.sorts.set(id, { key: `${args.path}\0${args.hdu}`, order: result.order });
    while (this.sorts.size > SORTS) this.sorts.delete(this.sorts.keys().next().value as string);
    return { sort: id, column: args.column, descending: args.descending };
  }

  async columnStats(args: MethodArgs<'fits.columnStats'>): Promise<MethodResult<'fits.columnStats'>> {
    const file = await this.open(args.path);
    const hdu = file.hdu(args.hdu);
    if (hdu.type !== 'BINTABLE') throw file.error(hdu, `statistics need a binary table, this is ${hdu.type}`);
    const result = await runColumnTask({
      task: 'stats',
      path: args.path,
      hdu: args.hdu,
      column: args.column,
      descending: false,
      bins: args.bins,
    });
    if (result.task !== 'stats') throw new Error('fits.columnStats: the worker answered another task');
    return { column: args.column, ...result.stats };
  }

  private async plane(path: string, index: number, slice: number[]): Promise<Plane> {
    const file = await this.open(path);
    const key = planeKey({ path, hdu: index, slice });
    const cached = this.planes.find((plane) => plane.key === key);
    if (cached) return cached;
    const hdu = file.hdu(index);
    const image = readImageOutput(file, hdu);
    const { data, width, height } = planeOf(image.data, image.shape, slice, `${path} HDU ${index}`);
    const plane: Plane = { key, data, width, height, wcs: image.wcs };
    this.planes.unshift(plane);
    this.planes.length = Math.min(this.planes.length, PLANES);
    return plane;
  }

  async imageTile(args: MethodArgs<'fits.imageTile'>): Promise<MethodResult<'fits.imageTile'>> {
    if (args.sampling === 'nearest' && args.level > 0 && !this.planes.some((p) => p.key === planeKey(args))) {
      const file = await this.open(args.path);
      const hdu = file.hdu(args.hdu);
      if (hdu.type === 'PRIMARY' || hdu.type === 'IMAGE') {
        const label = `${args.path} HDU ${args.hdu}`;
        return { ...sampledTile(file, hdu, args.slice, args, label), sampling: 'nearest' };
      }
    }
    const plane = await this.plane(args.path, args.hdu, args.slice);
    const tile = downsampleTile(plane.data, plane.width, plane.height, args);
    return { ...tile, sampling: 'mean', imageWidth: plane.width, imageHeight: plane.height };
  }

  async pixel(args: MethodArgs<'fits.pixel'>): Promise<MethodResult<'fits.pixel'>> {
    const file = await this.open(args.path);
    const hdu = file.hdu(args.hdu);
    const index = [...args.slice, args.y, args.x];
    const value = pixelsOf(file, hdu, [index]).pixels[0]?.value ?? null;
    const plane = await this.plane(args.path, args.hdu, args.slice);
    const world: MethodResult<'fits.pixel'>['world'] = [];
    const wcs = plane.wcs;
    if (wcs !== undefined && wcs.naxis === index.length) {
      const values = wcs.arrayIndexToWorld(index);
      values.forEach((v, axis) => {
        world.push({ name: wcs.ctype[axis] ?? `axis ${axis + 1}`, value: v, unit: wcs.cunit[axis] ?? '' });
      });
    }
    return {
      x: args.x,
      y: args.y,
      value: Array.isArray(value) || typeof value === 'boolean' ? String(value) : value,
      world,
      ignoredDistortions: wcs?.ignoredDistortions ?? [],
    };
  }

  async spectrum({ path, hdu }: MethodArgs<'fits.spectrum'>): Promise<MethodResult<'fits.spectrum'>> {
    const file = await this.open(path);
    const spectrum: Spectrum1D = telescope(file).includes('LAMOST')
      ? readLamostSpectrum(path)
      : readWcsSpectrum(path, hdu);
    return {
      wavelength: spectrum.wavelength,
      flux: spectrum.flux,
      uncertainty: spectrum.uncertainty,
      mask: spectrum.mask,
      wavelengthUnit: spectrum.units.wavelength,
      fluxUnit: spectrum.units.flux,
      medium: spectrum.medium ?? 'unknown',
      wavelengthSource: spectrum.wavelengthSource,
      layout: spectrum.source.layout,
    };
  }

  async export(args: MethodArgs<'fits.export'>): Promise<MethodResult<'fits.export'>> {
    const file = await this.open(args.path);
    const rows = await convertTable(file, file.hdu(args.hdu), args.output, args.columns);
    return { output: args.output, rows };
  }

  dispose(): void {
    for (const entry of this.files.values()) entry.file.close();
    this.files.clear();
    this.planes.length = 0;
    this.sorts.clear();
  }
}
