// The writer and the reader agree: every image type and every column type written, read back
// identical (values, nulls, units), with CHECKSUM/DATASUM that verify, written atomically.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int64,
  List,
  Schema,
  Table,
  Uint16,
  Uint64,
  Utf8,
  vectorFromArray,
  makeData,
  Struct,
  RecordBatch,
  Bool,
  Int8,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageOutput, readTable } from '../../../electron/fits/arrow.ts';
import { FitsFile } from '../../../electron/fits/file.ts';
import { readImage } from '../../../electron/fits/image.ts';
import { rowsOf, summarize } from '../../../electron/fits/inspect.ts';
import { writeFits } from '../../../electron/fits/writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-fits-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writer', () => {
  it('round-trips images of every type with verified checksums', () => {
    const arrays = [
      new Uint8Array([0, 1, 255, 7, 8, 9]),
      new Int8Array([-128, -1, 0, 1, 127, 5]),
      new Int16Array([-32768, -1, 0, 1, 32767, 5]),
      new Uint16Array([0, 1, 65535, 32768, 32767, 5]),
      new Int32Array([-(2 ** 31), -1, 0, 1, 2 ** 31 - 1, 5]),
      new Uint32Array([0, 1, 2 ** 32 - 1, 2 ** 31, 7, 5]),
      new BigInt64Array([-(2n ** 63n), -1n, 0n, 1n, 2n ** 63n - 1n, 9007199254740993n]),
      new BigUint64Array([0n, 1n, 2n ** 64n - 1n, 2n ** 63n, 7n, 5n]),
      new Float32Array([Math.fround(0.1), -1.5, NaN, Infinity, 0, 3]),
      new Float64Array([0.1, -1e300, NaN, -Infinity, 5e-324, 3]),
    ];
    const path = join(dir, 'images.fits');
    writeFits(
      path,
      arrays.map((data, k) => ({
        kind: 'image' as const,
        data,
        shape: [2, 3],
        name: `IMG${k}`,
        cards: [
          { keyword: 'OBSERVER', value: "it's me", comment: 'who' },
          { keyword: 'HISTORY', value: 'written by a test' },
        ],
      })),
    );
    FitsFile.with(path, (file) => {
      const hdus = file.hdus();
      expect(hdus).toHaveLength(arrays.length);
      for (const [k, hdu] of hdus.entries()) {
        const image = readImage(file, hdu);
        expect(image.shape).toEqual([2, 3]);
        expect(image.data.constructor).toBe(arrays[k]!.constructor);
        expect(Array.from(image.data as ArrayLike<unknown>)).toEqual(
          Array.from(arrays[k] as ArrayLike<unknown>),
        );
        expect(hdu.header.get('OBSERVER')).toBe("it's me");
        expect(hdu.header.history()).toEqual(['written by a test']);
      }
      const checks = summarize(file, { checksums: true }).hdus.map((h) => h.checksum);
      expect(checks.every((c) => c?.checksum === 'ok' && c.datasum === 'ok')).toBe(true);
    });
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('round-trips every column type through Arrow', () => {
    const rows = 4;
    const fields = [
      new Field('flag', new Bool(), true, new Map([['fits:tform', 'L']])),
      new Field(
        'bits',
        new FixedSizeList(10, new Field('item', new Bool(), true)),
        true,
        new Map([['fits:tform', '10X']]),
      ),
      new Field('i8', new Int8(), true),
      new Field('i16', new Int16(), true, new Map([['unit', 'count']])),
      new Field('u16', new Uint16(), true),
      new Field('i64', new Int64(), true),
      new Field('u64', new Uint64(), true),
      new Field('f32', new Float32(), true, new Map([['tdisp', 'F8.3']])),
      new Field('f64', new Float64(), true),
      new Field('name', new Utf8(), true),
      new Field(
        'cube',
        new FixedSizeList(
          2,
          new Field('item', new FixedSizeList(3, new Field('item', new Float64(), true)), true),
        ),
        true,
      ),
      new Field(
        'complex',
        new FixedSizeList(2, new Field('item', new Float32(), true)),
        true,
        new Map([['fits:tform', 'C']]),
      ),
      new Field('vla', new List(new Field('item', new Int16(), true)), true),
    ];
    const columns: unknown[][] = [
      [true, false, null, true],
      [
        Array(10).fill(true),
        Array(10).fill(false),
        [true, false, true, false, true, false, true, false, true, false],
        Array(10).fill(false),
      ],
      [-128, 0, 127, null],
      [1, null, -32768, 32767],
      [0, 65535, null, 7],
      [-(2n ** 63n) + 1n, 2n ** 63n - 1n, null, 0n],
      [0n, 2n ** 64n - 1n, 2n ** 63n, null],
      [0.5, null, -2.25, Math.fround(1e30)],
      [Math.PI, null, -0, 1e-300],
      ['alpha', '', null, 'a longer string'],
      [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
        [
          [-1, -2, -3],
          [7, 8, 9],
        ],
        [
          [1, 1, 1],
          [2, 2, 2],
        ],
      ],
      [
        [1.5, -2],
        [0, 0],
        [3, 4],
        [-1, 1],
      ],
      [[1, 2, 3], [], [-5], [7, 8]],
    ];
    const children = fields.map((f, k) => vectorFromArray(columns[k]!, f.type).data[0]!);
    const schema = new Schema(fields);
    const table = new Table([
      new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children })),
    ]);
    const path = join(dir, 'table.fits');
    writeFits(path, [{ kind: 'table', table, name: 'ALL' }]);
    FitsFile.with(path, (file) => {
      const hdu = file.find('ALL');
      const back = readTable(file, hdu);
      for (const [k, field] of fields.entries()) {
        const column = back.getChild(field.name)!;
        const values = [...column].map((v: unknown) => normalise(v));
        const expected = columns[k]!.map((v) => (field.name === 'name' && v === null ? '' : v));
        expect(values, field.name).toEqual(expected);
      }
      expect(back.schema.fields.find((f) => f.name === 'i16')!.metadata.get('unit')).toBe('count');
      expect(back.schema.fields.find((f) => f.name === 'f32')!.metadata.get('tdisp')).toBe('F8.3');
      expect(rowsOf(file, hdu, [1], ['u64', 'i64']).rows['1']).toEqual({
        u64: '18446744073709551615',
        i64: '9223372036854775807',
      });
      expect(summarize(file, { checksums: true }).hdus.map((h) => h.checksum?.checksum)).toEqual([
        'ok',
        'ok',
      ]);
    });
  });

  it('writes a list column whose rows are all one length as a fixed-size array, others as variable', () => {
    const list = (): List<Float64> => new List(new Field('item', new Float64(), true));
    const fields = [
      new Field('fixed', list(), true),
      new Field('ragged', list(), true),
      new Field('with_null', list(), true),
      new Field('read_as_vla', list(), true, new Map([['fits:tform', 'PD(2)']])),
    ];
    const columns = [
      [
        [1, 2],
        [3, null],
      ],
      [[1, 2], [3]],
      [[1, 2], null],
      [
        [1, 2],
        [3, 4],
      ],
    ];
    const children = fields.map((f, k) => vectorFromArray(columns[k]!, f.type).data[0]!);
    const table = new Table([
      new RecordBatch(
        new Schema(fields),
        makeData({ type: new Struct(fields), length: 2, nullCount: 0, children }),
      ),
    ]);
    const path = join(dir, 'lists.fits');
    writeFits(path, [{ kind: 'table', table, name: 'LISTS' }]);
    FitsFile.with(path, (file) => {
      const hdu = file.find('LISTS');
      expect([1, 2, 3, 4].map((n) => hdu.header.get(`TFORM${n}`))).toEqual(['2D', 'PD(2)', 'PD(2)', 'PD(2)']);
      const back = readTable(file, hdu);
      expect([...back.getChild('fixed')!].map((v: unknown) => normalise(v))).toEqual([
        [1, 2],
        [3, null],
      ]);
    });
  });

  it('leaves no file behind when writing fails', () => {
    const path = join(dir, 'bad.fits');
    expect(() => writeFits(path, [{ kind: 'image', data: new Float32Array(5), shape: [2, 3] }])).toThrow(
      /holds 6 values/,
    );
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('sources and image output', () => {
  it('reads .fits.gz by streaming inflate, identical to the plain file', () => {
    const plain = join(dir, 'images.fits');
    const gz = join(dir, 'images.fits.gz');
    writeFileSync(gz, gzipSync(readFileSync(plain)));
    const read = (path: string) =>
      FitsFile.with(path, (file) =>
        file.hdus().map((hdu) => Array.from(readImage(file, hdu).data as ArrayLike<unknown>)),
      );
    expect(read(gz)).toEqual(read(plain));
  });

  it('gives an image with its shape and WCS', () => {
    const path = join(dir, 'wcs.fits');
    const cards = [
      { keyword: 'CTYPE1', value: 'RA---TAN' },
      { keyword: 'CTYPE2', value: 'DEC--TAN' },
      { keyword: 'CRVAL1', value: 10 },
      { keyword: 'CRVAL2', value: 20 },
      { keyword: 'CRPIX1', value: 2 },
      { keyword: 'CRPIX2', value: 1 },
      { keyword: 'CDELT1', value: -0.001 },
      { keyword: 'CDELT2', value: 0.001 },
    ];
    writeFits(path, [{ kind: 'image', data: new Float32Array(6).fill(1), shape: [2, 3], cards }]);
    const out = FitsFile.with(path, (file) => readImageOutput(file, file.hdu(0)));
    expect(out.shape).toEqual([2, 3]);
    expect(out.wcs?.celestial?.projection).toBe('TAN');
    const [ra, dec] = out.wcs!.arrayIndexToWorld([0, 1]);
    expect(ra).toBeCloseTo(10, 12);
    expect(dec).toBeCloseTo(20, 12);
  });
});

function normalise(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && Symbol.iterator in value && typeof value !== 'string') {
    return [...(value as Iterable<unknown>)].map(normalise);
  }
  return value;
}
