// Random-groups data (FITS 4.0 §6, the old radio-interferometry layout in the primary HDU): GCOUNT
// groups, each PCOUNT parameters (PTYPEn names, PSCALn/PZEROn scaling) followed by an array of
// NAXIS2…NAXISn (BSCALE/BZERO). Read one group at a time; parameter names follow astropy's GroupsHDU
// (a repeated PTYPE gets a leading "_" so every field stays addressable).
import type { CellValue } from './bintable.ts';
import { reshape } from './bintable.ts';
import { STORAGE_BYTES } from './decode.ts';
import { withContext } from './errors.ts';
import type { FitsFile } from './file.ts';
import { imageShape } from './hdu.ts';
import type { Hdu } from './hdu.ts';
import { decodePixels, scaledLayout } from './image.ts';
import type { ImageLayout } from './image.ts';

interface Parameter {
  name: string;
  scale: number;
  zero: number;
}

export class RandomGroups {
  readonly file: FitsFile;
  readonly hdu: Hdu;
  readonly rows: number;
  readonly parameters: Parameter[];
  /** Shape of each group's array, numpy order (NAXISn … NAXIS2). */
  readonly shape: number[];
  private readonly layout: ImageLayout;
  private readonly parameterLayout: ImageLayout;
  private readonly groupBytes: number;

  constructor(file: FitsFile, hdu: Hdu) {
    this.file = file;
    this.hdu = hdu;
    const header = hdu.header;
    const context = { file: file.path, hdu: hdu.index, hduName: hdu.name || undefined };
    const bitpix = withContext(context, () => header.integer('BITPIX'));
    this.rows = withContext(context, () => header.optionalInteger('GCOUNT') ?? 1);
    const pcount = withContext(context, () => header.optionalInteger('PCOUNT') ?? 0);
    // Parameters are named by PTYPE1…PTYPE999; more cannot be described (and a forged PCOUNT must
    // not make us build billions of them).
    if (pcount > 999)
      throw file.error(hdu, `PCOUNT ${pcount} exceeds the 999 nameable parameters`, { keyword: 'PCOUNT' });
    file.checkDataPresent(hdu);
    this.shape = withContext(context, () => imageShape(header).slice(0, -1));
    const used = new Set<string>();
    this.parameters = withContext(context, () =>
      Array.from({ length: pcount }, (_, k) => {
        let name = (header.optionalString(`PTYPE${k + 1}`) ?? '').trim() || `par${k + 1}`;
        while (used.has(name)) name = `_${name}`;
        used.add(name);
        return {
          name,
          scale: header.optionalNumber(`PSCAL${k + 1}`) ?? 1,
          zero: header.optionalNumber(`PZERO${k + 1}`) ?? 0,
        };
      }),
    );
    const blank = bitpix > 0 ? withContext(context, () => header.optionalBigInteger('BLANK')) : undefined;
    this.layout = withContext(context, () => scaledLayout(header, bitpix, this.shape, blank));
    this.parameterLayout = {
      ...this.layout,
      bscale: 1,
      bzero: 0,
      blank: undefined,
      kind: 'raw',
      shape: [pcount],
      count: pcount,
    };
    this.groupBytes =
      STORAGE_BYTES[this.layout.code] * (pcount + (this.shape.length ? this.layout.count : 0));
  }

  /** One group: its parameters (physical values) and its array as nested arrays in numpy order. */
  group(index: number): Record<string, CellValue> {
    if (!Number.isInteger(index) || index < 0 || index >= this.rows) {
      throw this.file.error(this.hdu, `group ${index} is outside 0–${this.rows - 1}`);
    }
    this.file.checkDataPresent(this.hdu);
    const bytes = this.file.readData(this.hdu, index * this.groupBytes, this.groupBytes);
    const width = STORAGE_BYTES[this.layout.code];
    const raw = decodePixels(this.parameterLayout, bytes, this.parameters.length);
    const out: Record<string, CellValue> = {};
    this.parameters.forEach((p, k) => {
      const value = raw[k]!;
      out[p.name] = typeof value === 'bigint' ? Number(value) * p.scale + p.zero : value * p.scale + p.zero;
    });
    const data = decodePixels(this.layout, bytes.subarray(this.parameters.length * width), this.layout.count);
    const values: CellValue[] = Array.from(data as ArrayLike<number | bigint>);
    out['DATA'] = this.shape.length ? reshape(values, this.shape) : [];
    return out;
  }
}
