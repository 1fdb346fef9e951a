// `catalog convert` streams rows into every output format: the output of a conversion in batches is the
// output of reading the table whole and writing it (the same bytes for text, byte-by-byte and FITS), from
// every input format; a failure part-way leaves the target as it was and no temporary file behind.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { expectSameTable } from './same-table.ts';
import { convertCatalog } from '../../../electron/catalog/convert.ts';
import { readCatalog, writeCatalog } from '../../../electron/catalog/read.ts';
import { writeFits } from '../../../electron/fits/writer.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/catalog');
const dir = mkdtempSync(join(tmpdir(), 'cradle-convert-'));
// Small batches: a table of a few thousand rows crosses many of them.
const BATCH = 256;

/** A CSV of many batches: ids past 2^53, nulls, a text column. */
function bigCsv(): string {
  const rows = BATCH * 9 + 123;
  const lines = ['source_id,ra,parallax,n_obs,flag'];
  for (let r = 0; r < rows; r += 1)
    lines.push(
      `${6728162648254144000n + BigInt(r)},${(r * 0.001).toFixed(3)},${r % 7 === 0 ? '' : (r % 1000) / 100},${r % 300},${r % 3 === 0 ? 'VARIABLE' : 'NOT_AVAILABLE'}`,
    );
  const path = join(dir, 'big.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('catalog convert', () => {
  it('names the output, not its temporary file, when the output cannot be written', async () => {
    const input = join(dir, 'out-path.csv');
    writeFileSync(input, 'a,b\n1,2\n');
    const missing = join(dir, 'no-such-folder', 'x.ecsv');
    await expect(convertCatalog(input, missing)).rejects.toThrow(
      `${missing}: the folder ${join(dir, 'no-such-folder')} does not exist`,
    );
    const folder = join(dir, 'a-folder.csv');
    mkdirSync(folder);
    await expect(convertCatalog(input, folder)).rejects.toThrow(`${folder}: is a folder, not a file`);
    const table = (await readCatalog(input)).table;
    await expect(writeCatalog(table, missing)).rejects.toThrow(/does not exist/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses text that is not ASCII in a byte-by-byte output, naming the column and row', async () => {
    // The writer padded characters, the reader counts bytes: 'café' made a file it could not read back.
    const input = join(dir, 'accents.csv');
    writeFileSync(input, 'name,x\nok,1\ncafé,2\n');
    const output = join(dir, 'accents.mrt');
    await expect(convertCatalog(input, output)).rejects.toThrow(
      `${output}: column 'name', row 2: 'é' is not ASCII, which a byte-by-byte file must be`,
    );
    expect(readdirSync(dir).filter((f) => f.startsWith('accents.mrt') || f.startsWith('.accents'))).toEqual(
      [],
    );
  });

  it('writes the same files streamed as read whole and written, from every input format', async () => {
    const csv = bigCsv();
    const whole = (await readCatalog(csv)).table;
    const inputs: Record<string, string> = { csv, 'csv.gz': join(dir, 'big.csv.gz') };
    writeFileSync(inputs['csv.gz']!, gzipSync(readFileSync(csv)));
    for (const ext of ['ecsv', 'vot', 'parquet', 'mrt']) {
      inputs[ext] = join(dir, `in.${ext}`);
      await writeCatalog(whole, inputs[ext]);
    }
    inputs['fits'] = join(dir, 'in.fits');
    writeFits(inputs['fits'], [{ kind: 'table', table: whole, name: 'STARS' }]);
    for (const [kind, input] of Object.entries(inputs)) {
      const source = (await readCatalog(input)).table;
      for (const ext of ['csv', 'tsv', 'ecsv', 'vot', 'fits']) {
        const reference = join(dir, `reference-${kind}.${ext}`);
        await writeCatalog(source, reference);
        const out = join(dir, `streamed-${kind}.${ext}`);
        expect(await convertCatalog(input, out, { batchRows: BATCH }), `${kind} → ${ext}`).toEqual({
          rows: whole.numRows,
        });
        expect(readFileSync(out).equals(readFileSync(reference)), `${kind} → ${ext}`).toBe(true);
      }
      const parquet = join(dir, `streamed-${kind}.parquet`);
      await convertCatalog(input, parquet, { batchRows: BATCH });
      expectSameTable(source, (await readCatalog(parquet)).table);
    }
    // Byte-by-byte output: the file names itself, so the reference has the same name in its own folder.
    mkdirSync(join(dir, 'whole'));
    for (const [kind, input] of Object.entries(inputs)) {
      const mrt = join(dir, `${kind}.mrt`);
      expect(await convertCatalog(input, mrt, { batchRows: BATCH }), `${kind} → mrt`).toEqual({
        rows: whole.numRows,
      });
      const mrtReference = join(dir, 'whole', `${kind}.mrt`);
      await writeCatalog((await readCatalog(input)).table, mrtReference);
      expect(readFileSync(mrt).equals(readFileSync(mrtReference)), `${kind} → mrt`).toBe(true);
    }
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp') || name.includes('.partial-'))).toEqual(
      [],
    );
  }, 60_000);

  it('keeps VOTable arrays, units and descriptions when streaming', async () => {
    const input = join(FIXTURES, 'reference_binary2.vot');
    for (const ext of ['vot', 'parquet', 'ecsv', 'fits']) {
      const out = join(dir, `arrays.${ext}`);
      await convertCatalog(input, out, { batchRows: 1 });
      const reference = join(dir, `arrays-reference.${ext}`);
      await writeCatalog((await readCatalog(input)).table, reference);
      expectSameTable((await readCatalog(reference)).table, (await readCatalog(out)).table);
    }
  });

  it('writes FITS from batches as from the whole table: ragged arrays, late wide strings, TNULL', async () => {
    // The column forms depend on rows of later batches: the widest string comes last, the lists are
    // ragged only in the last batch (so the heap is needed), and the integer column uses its type's
    // minimum, so TNULL must be the maximum.
    const rows = 50;
    const lines = [
      '# %ECSV 1.0',
      '# ---',
      '# datatype:',
      "# - {name: spec, datatype: string, subtype: 'float64[null]'}",
      '# - {name: n, datatype: int16}',
      '# - {name: label, datatype: string}',
      '# schema: astropy-2.0',
      'spec n label',
    ];
    for (let r = 0; r < rows; r += 1) {
      const spec = r === rows - 1 ? '[1.5]' : `[${r},${r + 0.5}]`;
      const n = r === 3 ? '""' : r === 4 ? '-32768' : String(r);
      const label = r === rows - 1 ? 'a-much-longer-label' : `s${r}`;
      lines.push(`${JSON.stringify(spec)} ${n} ${label}`);
    }
    const input = join(dir, 'late.ecsv');
    writeFileSync(input, lines.join('\n') + '\n');
    const out = join(dir, 'late.fits');
    expect(await convertCatalog(input, out, { batchRows: 7 })).toEqual({ rows });
    const reference = join(dir, 'late-reference.fits');
    const source = (await readCatalog(input)).table;
    await writeCatalog(source, reference);
    expect(readFileSync(out).equals(readFileSync(reference))).toBe(true);
    const header = readFileSync(out)
      .subarray(2880, 2880 * 2)
      .toString('latin1');
    expect(header).toMatch(/TFORM1 {2}= 'PD\(2\)/);
    expect(header).toMatch(/TNULL2 {2}=\s+32767/);
    expect(header).toMatch(/TFORM3 {2}= '19A/);
    expectSameTable(source, (await readCatalog(out)).table);
  });

  it('reports its progress after every batch: the survey pass, then the writing', async () => {
    const csv = bigCsv();
    const rows = (await readCatalog(csv)).table.numRows;
    for (const [ext, passes] of [
      ['fits', ['survey', 'write']],
      ['parquet', ['write']],
    ] as const) {
      const seen: [string, number][] = [];
      await convertCatalog(csv, join(dir, `progress.${ext}`), {
        batchRows: BATCH,
        onProgress: (pass, done) => seen.push([pass, done]),
      });
      for (const pass of passes) {
        const done = seen.filter(([p]) => p === pass).map(([, n]) => n);
        expect(done, `${ext} ${pass}`).toEqual(
          Array.from({ length: Math.ceil(rows / BATCH) }, (_, k) => Math.min(rows, (k + 1) * BATCH)),
        );
      }
      // Every survey report comes before the first write report.
      expect(seen.map(([p]) => p).join(' ')).toMatch(/^(survey )*write( write)*$/);
    }
  });

  it('leaves the target as it was when a row past the first batch is bad', async () => {
    const lines = ['a,b'];
    for (let r = 0; r < BATCH + 10; r += 1) lines.push(`${r},${r}`);
    lines.push('1,2,3');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, lines.join('\n') + '\n');
    for (const ext of ['csv', 'parquet', 'fits', 'mrt']) {
      const target = join(dir, `kept.${ext}`);
      writeFileSync(target, 'an earlier result');
      await expect(convertCatalog(bad, target, { batchRows: BATCH })).rejects.toThrow(
        new RegExp(`bad\\.csv: line ${BATCH + 12}: ragged row`),
      );
      expect(readFileSync(target, 'utf8')).toBe('an earlier result');
    }
    await expect(convertCatalog(join(dir, 'none.csv'), join(dir, 'x.csv'))).rejects.toThrow(
      /none\.csv: no such file/,
    );
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp') || name.includes('.partial-'))).toEqual(
      [],
    );
  });
});
