// Damage a reader must not pass over in silence: CHECKSUM/DATASUM that do not verify (a failing
// `cradle fits info --checksum`, as astropy's fitscheck), a gzip stream without its CRC32/length trailer
// or with a wrong one (Python's gzip refuses both), and BSCALE/TSCALn = 0 (fitsverify's warning). Also
// the TNULL of TZERO-shifted columns, tested on the raw stored value as FITS 4.0 §7.3.2 says.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsFile } from '../../../electron/fits/file.ts';
import { checksumFailures, rowsOf, scaleWarnings, summarize } from '../../../electron/fits/inspect.ts';
import { writeFits } from '../../../electron/fits/writer.ts';
import { PRIMARY, fitsBytes, table } from './build.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'cradle-fits-integrity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cradle(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('node', ['bin/cradle.mjs', 'fits', ...args], { cwd: ROOT, encoding: 'utf8' });
}

/** A two-HDU file with CHECKSUM and DATASUM written by Cradle's writer. */
function checksummed(name: string): {
  path: string;
  bytes: Buffer;
  dataOffset: number;
  headerOffset: number;
} {
  const path = join(dir, name);
  writeFits(path, [
    { kind: 'image', data: new Int16Array([1, 2, 3, 4]), shape: [4] },
    { kind: 'image', data: new Float32Array([0.5, 1.5, 2.5]), shape: [3], name: 'SCI' },
  ]);
  const hdu = FitsFile.with(path, (file) => file.hdu(1));
  return { path, bytes: readFileSync(path), dataOffset: hdu.dataOffset, headerOffset: hdu.headerOffset };
}

describe('checksum verification', () => {
  it('names the HDU and keywords that fail, and passes when all verify', () => {
    const good = checksummed('good.fits');
    expect(checksumFailures(FitsFile.with(good.path, (f) => summarize(f, { checksums: true })).hdus)).toEqual(
      [],
    );

    const data = Buffer.from(good.bytes);
    data[good.dataOffset + 1]! ^= 1;
    writeFileSync(join(dir, 'bad-data.fits'), data);
    const badData = FitsFile.with(join(dir, 'bad-data.fits'), (f) => summarize(f, { checksums: true }));
    expect(badData.hdus.map((h) => h.checksum)).toEqual([
      { checksum: 'ok', datasum: 'ok' },
      { checksum: 'bad', datasum: 'bad' },
    ]);
    expect(checksumFailures(badData.hdus)).toEqual([
      'HDU 1 (SCI): CHECKSUM and DATASUM do not match: the data changed after they were written',
    ]);

    // A changed header card leaves DATASUM intact: only CHECKSUM fails.
    const header = Buffer.from(good.bytes);
    const at = header.indexOf("EXTNAME = 'SCI", good.headerOffset, 'latin1');
    header.write("EXTNAME = 'SCJ", at, 'latin1');
    writeFileSync(join(dir, 'bad-header.fits'), header);
    const badHeader = FitsFile.with(join(dir, 'bad-header.fits'), (f) => summarize(f, { checksums: true }));
    expect(checksumFailures(badHeader.hdus)).toEqual([
      'HDU 1 (SCJ): CHECKSUM does not match: the HDU changed after it was written',
    ]);
  });

  it('does not count HDUs without checksum keywords as failures', () => {
    writeFileSync(join(dir, 'none.fits'), fitsBytes([PRIMARY]));
    const info = FitsFile.with(join(dir, 'none.fits'), (f) => summarize(f, { checksums: true }));
    expect(info.hdus[0]!.checksum).toEqual({ checksum: 'absent', datasum: 'absent' });
    expect(checksumFailures(info.hdus)).toEqual([]);
  });

  it('makes `cradle fits info --checksum` exit non-zero on a bad checksum', () => {
    const good = checksummed('cli-good.fits');
    const bad = Buffer.from(good.bytes);
    bad[good.dataOffset]! ^= 0x40;
    const badPath = join(dir, 'cli-bad.fits');
    writeFileSync(badPath, bad);

    const ok = cradle('info', '--checksum', good.path);
    expect(ok.status).toBe(0);
    const failed = cradle('info', '--checksum', badPath);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('CHECKSUM bad, DATASUM bad');
    expect(failed.stderr.trim()).toBe(
      `cradle: ${badPath}: checksum verification failed: HDU 1 (SCI): CHECKSUM and DATASUM do not match: the data changed after they were written`,
    );
  });
});

describe('gzip trailer', () => {
  const fits = fitsBytes(
    [[...PRIMARY.slice(0, 2), 'NAXIS   =                    1', 'NAXIS1  =                 2880']],
    [Buffer.alloc(2880, 7)],
  );
  const gz = Buffer.from(gzipSync(fits));

  function open(name: string, bytes: Buffer): () => unknown {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return () => FitsFile.with(path, (file) => file.hdus().map((hdu) => file.readData(hdu, 0, hdu.dataSize)));
  }

  it('reads a whole stream, also of several members', () => {
    expect(open('ok.fits.gz', gz)).not.toThrow();
    const members = Buffer.concat([gzipSync(fits.subarray(0, 1000)), gzipSync(fits.subarray(1000))]);
    expect(open('members.fits.gz', members)).not.toThrow();
  });

  it('refuses a stream cut before or inside its trailer, naming the file', () => {
    const truncated = 'the gzip stream ends before its CRC32 and length trailer: the file is truncated';
    expect(open('cut8.fits.gz', gz.subarray(0, gz.length - 8))).toThrow(
      `${join(dir, 'cut8.fits.gz')}: HDU 0: ${truncated}`,
    );
    expect(open('cut4.fits.gz', gz.subarray(0, gz.length - 4))).toThrow(truncated);
    const members = Buffer.concat([gzipSync(fits.subarray(0, 1000)), gzipSync(fits.subarray(1000))]);
    expect(open('members-cut.fits.gz', members.subarray(0, members.length - 8))).toThrow(truncated);
  });

  it('refuses a wrong CRC32 or length, in any member', () => {
    const crc = Buffer.from(gz);
    crc[gz.length - 8]! ^= 0xff;
    expect(open('crc.fits.gz', crc)).toThrow(
      /gzip CRC32 check failed \(trailer 0x[0-9a-f]{8}, data 0x[0-9a-f]{8}\)/,
    );
    const size = Buffer.from(gz);
    size[gz.length - 1]! ^= 1;
    expect(open('size.fits.gz', size)).toThrow('gzip length check failed');
    const first = Buffer.from(gzipSync(fits.subarray(0, 1000)));
    first[first.length - 5]! ^= 1;
    expect(open('member-crc.fits.gz', Buffer.concat([first, gzipSync(fits.subarray(1000))]))).toThrow(
      'gzip CRC32 check failed',
    );
  });

  it('checks the trailer of a stream read in several compressed chunks', () => {
    // Incompressible data: the compressed stream is longer than the 1 MiB chunks it is read in.
    const noise = randomBytes(1_500_480);
    const big = fitsBytes(
      [
        [
          ...PRIMARY.slice(0, 2),
          'NAXIS   =                    1',
          `NAXIS1  = ${String(noise.length).padStart(20)}`,
        ],
      ],
      [noise],
    );
    const compressed = Buffer.from(gzipSync(big, { level: 1 }));
    expect(compressed.length).toBeGreaterThan(1 << 20);
    expect(open('big.fits.gz', compressed)).not.toThrow();
    expect(open('big-cut.fits.gz', compressed.subarray(0, compressed.length - 8))).toThrow(
      'the file is truncated',
    );
  });
});

describe('BSCALE and TSCALn = 0', () => {
  it('warns, naming HDU, column and keyword, and still reads the values the header defines', () => {
    const path = join(dir, 'zero-scale.fits');
    const image = [
      'SIMPLE  =                    T',
      'BITPIX  =                   16',
      'NAXIS   =                    1',
      'NAXIS1  =                    2',
      'BSCALE  =                  0.0',
      'BZERO   =                  3.0',
    ];
    const rows = Buffer.from([0, 0, 0, 1, 0x3f, 0x80, 0, 0, 0, 0, 0, 2, 0x40, 0, 0, 0]);
    writeFileSync(
      path,
      fitsBytes(
        [
          image,
          table(['J', 'E'], 8, 2, [
            'TSCAL1  =                  0.0',
            'TZERO1  =                  5.0',
            'TSCAL2  =                  2.0',
          ]),
        ],
        [Buffer.from([0, 1, 0, 2]), rows],
      ),
    );
    FitsFile.with(path, (file) => {
      expect(scaleWarnings(file, file.hdu(0))).toEqual([
        `${path}: HDU 0 (PRIMARY): keyword BSCALE: is 0, so every value reads as BZERO (3): the stored values are lost`,
      ]);
      expect(scaleWarnings(file, file.hdu(1))).toEqual([
        `${path}: HDU 1: column c1: keyword TSCAL1: is 0, so every value reads as TZERO1 (5): the stored values are lost`,
      ]);
      expect(summarize(file).hdus.map((h) => h.warnings?.length)).toEqual([1, 1]);
      // As astropy and cfitsio read it: the scaling is applied, zero or not.
      expect(rowsOf(file, file.hdu(1), [0, 1]).rows).toEqual({
        '0': { c1: 5, c2: 2 },
        '1': { c1: 5, c2: 4 },
      });
    });

    const ascii = join(dir, 'zero-scale-ascii.fits');
    writeFileSync(
      ascii,
      fitsBytes(
        [
          PRIMARY,
          [
            "XTENSION= 'TABLE   '",
            'BITPIX  =                    8',
            'NAXIS   =                    2',
            'NAXIS1  =                    4',
            'NAXIS2  =                    1',
            'PCOUNT  =                    0',
            'GCOUNT  =                    1',
            'TFIELDS =                    1',
            "TTYPE1  = 'x       '",
            "TFORM1  = 'I4      '",
            'TBCOL1  =                    1',
            'TSCAL1  =                    0',
          ],
        ],
        [Buffer.alloc(0), Buffer.from('  42', 'latin1')],
      ),
    );
    FitsFile.with(ascii, (file) =>
      expect(scaleWarnings(file, file.hdu(1))).toEqual([
        `${ascii}: HDU 1: column x: keyword TSCAL1: is 0, so every value reads as TZERO1 (0): the stored values are lost`,
      ]),
    );
  });

  it('prints the warning from the CLI without failing', () => {
    const path = join(dir, 'zero-scale-cli.fits');
    writeFileSync(
      path,
      fitsBytes(
        [PRIMARY, table(['J'], 4, 1, ['TSCAL1  =                    0'])],
        [Buffer.alloc(0), Buffer.from([0, 0, 0, 9])],
      ),
    );
    const result = cradle('rows', path, '--hdu', '1', '--json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ rows: { '0': { c1: 0 } } });
    expect(result.stderr).toContain(`cradle: warning: ${path}: HDU 1: column c1: keyword TSCAL1: is 0`);
  });
});

describe('TNULL with TZERO', () => {
  /** Big-endian bytes of the rows of an I, J, K table. */
  function rowBytes(rows: [number, number, bigint][]): Buffer {
    const out = Buffer.alloc(rows.length * 14);
    rows.forEach(([i, j, k], r) => {
      out.writeInt16BE(i, r * 14);
      out.writeInt32BE(j, r * 14 + 2);
      out.writeBigInt64BE(k, r * 14 + 6);
    });
    return out;
  }
  const unsignedCards = (nulls: [number, number, string]) => [
    'TZERO1  =                32768',
    `TNULL1  = ${String(nulls[0]).padStart(20)}`,
    'TZERO2  =           2147483648',
    `TNULL2  = ${String(nulls[1]).padStart(20)}`,
    'TZERO3  =  9223372036854775808',
    `TNULL3  = ${nulls[2].padStart(20)}`,
  ];
  // Stored values; row 1 holds the raw nulls of the standard-conforming file, row 2 the stored form of
  // the physical 16959 / 999999 that astropy writes for masked unsigned cells.
  const stored = rowBytes([
    [-32768, -2147483648, -(2n ** 63n)],
    [-32767, -2147483647, -(2n ** 63n) + 1n],
    [16959 - 32768, 999999 - 2147483648, 999999n - 2n ** 63n],
  ]);

  it('tests the raw stored value, as FITS 4.0 §7.3.2 and cfitsio do', () => {
    const path = join(dir, 'tnull-raw.fits');
    writeFileSync(
      path,
      fitsBytes(
        [
          PRIMARY,
          table(['I', 'J', 'K'], 14, 3, unsignedCards([-32767, -2147483647, '-9223372036854775807'])),
        ],
        [Buffer.alloc(0), stored],
      ),
    );
    FitsFile.with(path, (file) =>
      expect(rowsOf(file, file.hdu(1), [0, 1, 2]).rows).toEqual({
        '0': { c1: 0, c2: 0, c3: '0' },
        '1': { c1: null, c2: null, c3: null },
        '2': { c1: 16959, c2: 999999, c3: '999999' },
      }),
    );
  });

  it("reads astropy's physical-value TNULL of unsigned columns as the standard says", () => {
    // astropy.table writes TNULL = 16959 / 999999 for masked uint16/32/64 and masks by physical value;
    // by the standard those TNULLs are raw values that no cell holds, so nothing is null here.
    const path = join(dir, 'tnull-astropy.fits');
    writeFileSync(
      path,
      fitsBytes(
        [PRIMARY, table(['I', 'J', 'K'], 14, 3, unsignedCards([16959, 999999, '999999']))],
        [Buffer.alloc(0), stored],
      ),
    );
    FitsFile.with(path, (file) =>
      expect(rowsOf(file, file.hdu(1), [2]).rows).toEqual({ '2': { c1: 16959, c2: 999999, c3: '999999' } }),
    );
  });

  it('tests a scaled column before scaling', () => {
    const path = join(dir, 'tnull-scaled.fits');
    const data = Buffer.alloc(8);
    data.writeInt32BE(-99, 0);
    data.writeInt32BE(7, 4);
    writeFileSync(
      path,
      fitsBytes(
        [
          PRIMARY,
          table(['J'], 4, 2, [
            'TSCAL1  =                  2.0',
            'TZERO1  =                 -3.0',
            'TNULL1  =                  -99',
          ]),
        ],
        [Buffer.alloc(0), data],
      ),
    );
    FitsFile.with(path, (file) =>
      expect(rowsOf(file, file.hdu(1), [0, 1]).rows).toEqual({ '0': { c1: null }, '1': { c1: 11 } }),
    );
  });

  it('treats only an exact TZERO = 2^63 as unsigned 64-bit', () => {
    const path = join(dir, 'tzero-k.fits');
    const data = Buffer.alloc(8);
    data.writeBigInt64BE(5n);
    writeFileSync(
      path,
      fitsBytes([PRIMARY, table(['K'], 8, 1, ['TZERO1  =  9223372036854775807'])], [Buffer.alloc(0), data]),
    );
    // A scaled column read as float64 (5 + 9223372036854775807 rounds to 2^63), not the exact unsigned
    // "9223372036854775813" that 5 + 2^63 would give.
    FitsFile.with(path, (file) =>
      expect(rowsOf(file, file.hdu(1), [0]).rows).toEqual({ '0': { c1: 2 ** 63 } }),
    );
  });
});
