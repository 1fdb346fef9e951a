// `cradle catalog …`: inspect a table (format, columns, recognised quantities with observed counts),
// convert between formats, save a user's mapping, write model inputs, and cross-match two tables.
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { Float64, Uint8, Uint16, makeData, makeVector } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { convertCatalog } from '../../catalog/convert.ts';
import { summarise } from '../../catalog/inspect.ts';
import { loadMapping, saveMapping } from '../../catalog/mapping-store.ts';
import { buildModelInputs } from '../../catalog/model-inputs.ts';
import { readCatalog, writeCatalog } from '../../catalog/read.ts';
import type { ReadOptions } from '../../catalog/read.ts';
import { recognise } from '../../catalog/recognise.ts';
import type { QuantitySource } from '../../catalog/recognise.ts';
import { quantityDef } from '../../catalog/surveys.ts';
import { buildTable } from '../../catalog/table.ts';
import type { CatalogFormat, ColumnInfo } from '../../catalog/table.ts';
import { votableTables } from '../../catalog/votable.ts';
import { crossMatchTables, parseRadius } from '../../catalog/xmatch.ts';
import { loadXpBasis, spectrumVector, xpSampledTable } from '../../catalog/xp.ts';

interface ReadFlags {
  format?: string;
  missing?: string;
  delimiter?: string;
  hdu?: number;
}

function warn(message: string): void {
  process.stderr.write(`cradle: warning: ${message}\n`);
}

function readOptions(flags: ReadFlags): ReadOptions {
  const options: ReadOptions = { onWarning: warn };
  if (flags.format) options.format = flags.format as CatalogFormat;
  if (flags.hdu !== undefined) options.hdu = flags.hdu;
  if (flags.missing !== undefined || flags.delimiter !== undefined) {
    options.csv = {};
    if (flags.missing !== undefined) options.csv.missing = ['', ...flags.missing.split(',')];
    if (flags.delimiter !== undefined) options.csv.delimiter = flags.delimiter;
  }
  return options;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const FORMATS: readonly CatalogFormat[] = ['csv', 'tsv', 'ecsv', 'votable', 'mrt', 'parquet', 'fits'];

/** A CSV delimiter is one character other than a quote or a line break (`\t` for a tab). */
function delimiterFlag(value: string): string {
  const delimiter = value === '\\t' ? '\t' : value;
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter))
    throw new InvalidArgumentError('expected one character other than a quote or a line break, or \\t');
  return delimiter;
}

function hduFlag(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number from 0');
  return Number(value);
}

function withReadFlags(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'table format (default: detected)').choices(FORMATS))
    .option('--missing <list>', 'comma-separated cell texts that mean missing (CSV), e.g. -99,--')
    .option('--delimiter <char>', 'CSV field separator (default: detected)', delimiterFlag)
    .option(
      '--hdu <n>',
      'FITS: the HDU (0 is the primary; default the first table); VOTable: the TABLE, from 0 (default 0)',
      hduFlag,
    );
}

function print(json: unknown): void {
  process.stdout.write(
    `${JSON.stringify(json, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
  );
}

export function registerCatalogCommand(program: Command): void {
  const catalog = program
    .command('catalog')
    .description('read survey tables, recognise quantities, convert, cross-match');

  withReadFlags(catalog.command('inspect <file>'))
    .description('format, rows, columns and the recognised quantities with observed counts')
    .option('--json', 'print JSON')
    .action(async (file: string, flags: ReadFlags & { json?: boolean }) => {
      const table = await readCatalog(file, readOptions(flags));
      const { summary } = summarise(table, loadMapping(file));
      // A VOTable of several TABLEs: which there are, and which one was read.
      const tables = summary.format === 'votable' ? await votableTables(file) : [];
      const read = flags.hdu ?? 0;
      if (flags.json) {
        print(tables.length > 1 ? { ...summary, tables, table: read } : summary);
        return;
      }
      process.stdout.write(
        `${summary.file}: ${summary.format}, ${summary.rows} rows, ${summary.columns.length} columns\n`,
      );
      if (tables.length > 1) {
        process.stdout.write(`  TABLEs (--hdu N chooses one):\n`);
        for (const t of tables) {
          const label = [t.name, t.id && t.id !== t.name ? `ID ${t.id}` : undefined]
            .filter(Boolean)
            .join(', ');
          const rows = t.rows === undefined ? '' : `, ${t.rows} rows`;
          process.stdout.write(
            `  ${t.index === read ? '*' : ' '} ${t.index}  ${label || '(unnamed)'}: ${t.fields} FIELDs${rows}\n`,
          );
        }
      }
      for (const [name, q] of Object.entries(summary.quantities)) {
        const from = q.column ?? q.expression ?? '';
        process.stdout.write(
          `  ${name.padEnd(20)} ${from.padEnd(40)} ${q.unit.padEnd(7)} observed ${q.observed}  (${q.via}, ${q.confidence})\n`,
        );
      }
    });

  withReadFlags(catalog.command('convert <input> <output>'))
    .description(
      'convert between CSV, TSV, ECSV, VOTable, byte-by-byte, Parquet and FITS tables, keeping units',
    )
    .option('--quiet', 'no progress on stderr')
    .action(async (input: string, output: string, flags: ReadFlags & { quiet?: boolean }) => {
      const started = Date.now();
      const seconds = (): number => (Date.now() - started) / 1000;
      let lastPrint = 0;
      const onProgress = (pass: 'survey' | 'write', rows: number): void => {
        const now = Date.now();
        if (flags.quiet || now - lastPrint < 500) return;
        lastPrint = now;
        const doing = pass === 'survey' ? 'surveying columns' : 'writing';
        process.stderr.write(`\rconvert: ${doing}, ${rows} rows · ${seconds().toFixed(0)} s   `);
      };
      let rows: number;
      try {
        ({ rows } = await convertCatalog(input, output, { ...readOptions(flags), onProgress }));
      } catch (error) {
        // The error goes on a line of its own, not after the progress line.
        if (lastPrint > 0) process.stderr.write('\n');
        throw error;
      }
      if (!flags.quiet)
        process.stderr.write(`\rconvert: wrote ${rows} rows to ${output} in ${seconds().toFixed(1)} s\n`);
    });

  withReadFlags(catalog.command('map <file>'))
    .description("save a mapping for this file: --set 'gaia.bp=G + bp_g' or --set tmass.j=Jmag; --unset NAME")
    // Repeated rather than variadic, so that the file may follow them (`map --set a=b FILE`).
    .option('--set <assignment>', 'NAME=COLUMN or NAME=EXPRESSION (repeatable)', collect, [])
    .option('--unset <name>', 'forget a saved entry (repeatable)', collect, [])
    .action(async (file: string, flags: ReadFlags & { set?: string[]; unset?: string[] }) => {
      const catalogTable = await readCatalog(file, readOptions(flags));
      const names = new Set(catalogTable.table.schema.fields.map((f) => f.name));
      const mapping = { ...loadMapping(file) };
      for (const assignment of flags.set ?? []) {
        const eq = assignment.indexOf('=');
        if (eq <= 0) throw new Error(`--set '${assignment}': expected NAME=COLUMN or NAME=EXPRESSION`);
        const name = assignment.slice(0, eq).trim();
        if (quantityDef(name) === undefined) {
          throw new Error(
            `--set '${assignment}': '${name}' is not a canonical quantity (e.g. gaia.g, tmass.j.err, ra)`,
          );
        }
        const rhs = assignment.slice(eq + 1).trim();
        const source: QuantitySource = names.has(rhs) ? { column: rhs } : { expression: rhs };
        mapping[name] = source;
      }
      for (const name of flags.unset ?? []) delete mapping[name];
      recognise(catalogTable.table, mapping);
      const path = await saveMapping(file, mapping);
      print({ mapping: path, quantities: mapping });
    });

  withReadFlags(catalog.command('inputs <file> <output>'))
    .description('write model inputs (value, .err, .observed, .flags per variable) for the listed variables')
    .requiredOption('--variables <list>', 'comma-separated canonical names, e.g. gaia.g,gaia.bp,tmass.j')
    .action(async (file: string, output: string, flags: ReadFlags & { variables: string }) => {
      const variables = flags.variables.split(',').map((v) => v.trim());
      for (const [i, name] of variables.entries()) {
        if (quantityDef(name) === undefined)
          throw new Error(
            `--variables: '${name}' is not a canonical quantity (e.g. gaia.g, tmass.j, gaia.xp)`,
          );
        if (variables.indexOf(name) !== i) throw new Error(`--variables: '${name}' is listed twice`);
      }
      const { table } = await readCatalog(file, readOptions(flags));
      const recognition = recognise(table, loadMapping(file));
      const inputs = buildModelInputs(table, variables, { recognition, file });
      const columns: { name: string; vector: Vector; info: ColumnInfo }[] = inputs.variables.flatMap((v) => {
        const n = inputs.rows;
        const f64 = (data: Float64Array) => makeVector(makeData({ type: new Float64(), length: n, data }));
        return [
          { name: v.name, vector: f64(v.values), info: { unit: v.unit } },
          { name: `${v.name}.err`, vector: f64(v.errors), info: { unit: v.unit } },
          {
            name: `${v.name}.observed`,
            vector: makeVector(makeData({ type: new Uint8(), length: n, data: v.observed })),
            info: {},
          },
          {
            name: `${v.name}.flags`,
            vector: makeVector(makeData({ type: new Uint16(), length: n, data: v.flags })),
            info: {},
          },
        ];
      });
      for (const spectrum of inputs.spectra) {
        const unit = 'W nm-1 m-2';
        const grid = `${spectrum.wavelengthNm[0]}–${spectrum.wavelengthNm[spectrum.samples - 1]} nm`;
        columns.push(
          {
            name: spectrum.name,
            vector: spectrumVector(spectrum.flux, inputs.rows, spectrum.samples),
            info: { unit, description: `sampled flux, ${grid}` },
          },
          {
            name: `${spectrum.name}.err`,
            vector: spectrumVector(spectrum.error, inputs.rows, spectrum.samples),
            info: { unit, description: `1σ of the sampled flux, ${grid}` },
          },
          {
            name: `${spectrum.name}.observed`,
            vector: makeVector(makeData({ type: new Uint8(), length: inputs.rows, data: spectrum.observed })),
            info: {},
          },
        );
      }
      await writeCatalog(buildTable(columns), output);
      const observed = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0);
      print({
        rows: inputs.rows,
        observed: Object.fromEntries<number>([
          ...inputs.variables.map((v): [string, number] => [v.name, v.observedCount]),
          ...inputs.spectra.map((s): [string, number] => [s.name, observed(s.observed)]),
        ]),
      });
    });

  withReadFlags(catalog.command('xp <input> <output>'))
    .description(
      'Gaia XP continuous coefficients → externally calibrated sampled spectra (336–1020 nm) with errors',
    )
    .action(async (input: string, output: string, flags: ReadFlags) => {
      const { table } = await readCatalog(input, readOptions(flags));
      const spectra = xpSampledTable(table, input);
      await writeCatalog(spectra, output);
      print({ rows: spectra.numRows, samples: loadXpBasis().samples });
    });

  catalog
    .command('xmatch <a> <b> <output>')
    .description(
      'cross-match B onto A by position (or by id with --by-id), adding B columns and the separation',
    )
    .option('--radius <angle>', 'match radius, e.g. 1arcsec, 0.5arcmin, 2e-4deg', '1arcsec')
    .option('--all', 'keep every match within the radius (default: the nearest per A row)')
    .option('--by-id <columns>', 'match on identifiers instead: COLUMN_A=COLUMN_B (or one name for both)')
    .action(
      async (
        a: string,
        b: string,
        output: string,
        flags: { radius: string; all?: boolean; byId?: string },
      ) => {
        const left = await readCatalog(a);
        const right = await readCatalog(b);
        const result = crossMatchTables(left, right, {
          radiusDeg: parseRadius(flags.radius),
          overridesA: loadMapping(a),
          overridesB: loadMapping(b),
          all: flags.all === true,
          byId: flags.byId,
        });
        await writeCatalog(result.table, output);
        print({ rows: result.table.numRows, matched: result.matched });
      },
    );
}
