// `cradle fits info|stats|rows|pixels|convert`: a thin shell over electron/fits. JSON goes to stdout
// with --json; without it the output reads like astropy's fitsinfo/fitsheader. Every failure is a
// FitsError whose one-line message names the file, HDU and column or keyword.
import type { Command } from 'commander';
import { FitsFile } from '../../fits/file.ts';
import type { Hdu } from '../../fits/hdu.ts';
import {
  checksumFailures,
  pixelsOf,
  rowCount,
  rowsOf,
  scaleWarnings,
  statsOf,
  summarize,
  toJsonText,
} from '../../fits/inspect.ts';
import type { HduSummary, JsonCell, Stats } from '../../fits/inspect.ts';
import { FitsError, withContext } from '../../fits/errors.ts';

interface HduOption {
  hdu?: string;
  json?: boolean;
}

export function registerFitsCommand(program: Command): void {
  const fits = program.command('fits').description('inspect, read and convert FITS files');

  fits
    .command('info')
    .description('list the HDUs of a FITS file with their headers')
    .argument('<file>', 'FITS file (.fits, .fits.gz)')
    .option('--json', 'print JSON')
    .option('--header', 'print every header card (like fitsheader)')
    .option('--checksum', 'verify CHECKSUM and DATASUM of every HDU')
    .action((path: string, options: { json?: boolean; header?: boolean; checksum?: boolean }) => {
      FitsFile.with(path, (file) => {
        const info = summarize(file, { checksums: options.checksum ?? false });
        for (const h of info.hdus) printWarnings(h.warnings ?? []);
        if (options.json) printJson(info);
        else {
          process.stdout.write(formatInfo(path, info.hdus));
          if (options.header) {
            for (const hdu of file.hdus()) {
              process.stdout.write(`\n# HDU ${hdu.index} in ${path}:\n`);
              for (const card of hdu.header.cards)
                process.stdout.write(`${card.raw.slice(0, 80).trimEnd()}\n`);
            }
          }
        }
        // Like astropy's fitscheck, a checksum that does not verify fails the command (after the listing,
        // which shows every HDU's state); HDUs without the keywords are listed as absent, not failed.
        const failures = checksumFailures(info.hdus);
        if (failures.length > 0) {
          throw new FitsError(`checksum verification failed: ${failures.join('; ')}`, { file: path });
        }
      });
    });

  fits
    .command('stats')
    .description('min, max, mean, NaN and null counts of numeric columns, or of an image')
    .argument('<file>', 'FITS file')
    .option('--hdu <n|name>', 'HDU index or EXTNAME (default: the first HDU with data)')
    .option('--columns <names>', 'comma-separated columns (default: every numeric scalar column)')
    .option('--json', 'print JSON')
    .action((path: string, options: HduOption & { columns?: string }) => {
      FitsFile.with(path, (file) => {
        const hdu = chooseHdu(file, options.hdu);
        const stats = statsOf(file, hdu, splitList(options.columns));
        printWarnings(scaleWarnings(file, hdu));
        if (options.json) return printJson(stats);
        process.stdout.write(formatStats(path, hdu, stats));
      });
    });

  fits
    .command('rows')
    .description('selected rows of a table HDU')
    .argument('<file>', 'FITS file')
    .option('--hdu <n|name>', 'HDU index or EXTNAME (default: the first table)')
    .option(
      '--rows <list>',
      'comma-separated row indices and ranges start:end, end excluded (0,17,90:100)',
      '0',
    )
    .option('--columns <names>', 'comma-separated columns (default: all)')
    .option('--json', 'print JSON')
    .action((path: string, options: HduOption & { rows: string; columns?: string }) => {
      FitsFile.with(path, (file) => {
        const hdu = chooseHdu(file, options.hdu);
        const count = rowCount(file, hdu);
        const rows = withContext({ file: path, hdu: hdu.index, hduName: hdu.name || undefined }, () =>
          parseRowList(options.rows, count),
        );
        const result = rowsOf(file, hdu, rows, splitList(options.columns));
        printWarnings(scaleWarnings(file, hdu));
        if (options.json) return printJson(result);
        for (const [row, record] of Object.entries(result.rows)) {
          process.stdout.write(`row ${row}\n`);
          for (const [name, value] of Object.entries(record))
            process.stdout.write(`  ${name} = ${JSON.stringify(value)}\n`);
        }
      });
    });

  fits
    .command('pixels')
    .description('selected pixels of an image HDU (indices slowest axis first)')
    .argument('<file>', 'FITS file')
    .option('--hdu <n|name>', 'HDU index or EXTNAME (default: the first image with data)')
    .option(
      '--at <i,j,...>',
      'pixel indices, repeatable',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--json', 'print JSON')
    .action((path: string, options: HduOption & { at: string[] }) => {
      FitsFile.with(path, (file) => {
        const hdu = chooseHdu(file, options.hdu);
        const at = options.at.map((text) => parseIndex(path, text));
        const result = pixelsOf(file, hdu, at);
        printWarnings(scaleWarnings(file, hdu));
        if (options.json) return printJson(result);
        for (const p of result.pixels)
          process.stdout.write(`[${p.at.join(', ')}] = ${JSON.stringify(p.value)}\n`);
      });
    });

  fits
    .command('convert')
    .description('write a table HDU as FITS, CSV or Parquet (chosen by the output extension)')
    .argument('<input>', 'FITS file')
    .argument('<output>', 'output file: .fits, .csv or .parquet')
    .option('--hdu <n|name>', 'HDU index or EXTNAME (default: the first table)')
    .option('--columns <names>', 'comma-separated columns (default: all)')
    .action(async (input: string, output: string, options: HduOption & { columns?: string }) => {
      // Loaded on demand: Arrow and the Parquet WebAssembly module cost start-up time other commands don't need.
      const { convertTable } = await import('../../fits/convert.ts');
      const file = FitsFile.open(input);
      try {
        const hdu = chooseHdu(file, options.hdu);
        const rows = await convertTable(file, hdu, output, splitList(options.columns));
        printWarnings(scaleWarnings(file, hdu));
        process.stderr.write(`wrote ${rows} rows to ${output}\n`);
      } finally {
        file.close();
      }
    });
}

/** The HDU asked for, or the first one holding data. */
function chooseHdu(file: FitsFile, spec: string | undefined): Hdu {
  if (spec !== undefined) return file.find(spec);
  for (const hdu of file.hdus()) if (hdu.dataSize > 0) return hdu;
  throw new FitsError('no HDU holds data', { file: file.path });
}

function splitList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * The rows named by `--rows` ("0,17,90:100", a range's end excluded), each index and each range checked
 * against the row count before a range is expanded, so that a range like 0:99999999999 is refused at
 * once instead of being built into a list that exhausts memory.
 */
export function parseRowList(text: string, count: number): number[] {
  const limits = count === 0 ? 'outside the table: it has no rows' : `outside 0–${count - 1}`;
  const rows: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(part);
    if (range) {
      const start = Number(range[1]);
      const end = Number(range[2]);
      if (end <= start)
        throw new FitsError(`--rows ${part.trim()} is empty: ranges are start:end with end excluded`);
      // BigInt keeps the row named exact for ends beyond 2^53.
      if (end > count)
        throw new FitsError(`--rows ${part.trim()}: row ${BigInt(range[2]!) - 1n} is ${limits}`);
      for (let r = start; r < end; r += 1) rows.push(r);
    } else if (/^\s*\d+\s*$/.test(part)) {
      if (Number(part) >= count) throw new FitsError(`row ${part.trim()} is ${limits}`);
      rows.push(Number(part));
    } else throw new FitsError(`--rows '${text}' is not a list of row indices`);
  }
  return rows;
}

function parseIndex(path: string, text: string): number[] {
  if (!/^\s*\d+(\s*,\s*\d+)*\s*$/.test(text))
    throw new FitsError(`--at '${text}' is not a list of pixel indices`, { file: path });
  return text.split(',').map((part) => Number(part.trim()));
}

function printWarnings(warnings: string[]): void {
  for (const w of warnings) process.stderr.write(`cradle: warning: ${w}\n`);
}

function printJson(value: unknown): void {
  process.stdout.write(`${toJsonText(value)}\n`);
}

function formatInfo(path: string, hdus: HduSummary[]): string {
  const lines = [
    `Filename: ${path}`,
    'No.  Name                 Type              Cards  Dimensions            Format',
  ];
  for (const h of hdus) {
    const cards = Object.keys(h.header).length;
    const dims = h.shape
      ? `(${[...h.shape].reverse().join(', ')})`
      : h.rows !== undefined
        ? `${h.rows}R x ${h.columns?.length ?? 0}C`
        : '';
    const format = h.columns
      ? `[${h.columns.map((c) => c.format).join(', ')}]`
      : formatOfBitpix(h.header['BITPIX']);
    const checksum = h.checksum ? `  CHECKSUM ${h.checksum.checksum}, DATASUM ${h.checksum.datasum}` : '';
    lines.push(
      `${String(h.index).padStart(3)}  ${h.name.padEnd(20).slice(0, 20)} ${h.type.padEnd(17)} ${String(cards).padStart(5)}  ${dims.padEnd(21)} ${format}${checksum}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatOfBitpix(bitpix: unknown): string {
  const names: Record<string, string> = {
    '8': 'uint8',
    '16': 'int16',
    '32': 'int32',
    '64': 'int64',
    '-32': 'float32',
    '-64': 'float64',
  };
  return names[String(bitpix)] ?? '';
}

function formatStats(path: string, hdu: Hdu, stats: Stats): string {
  const title = `${path} HDU ${hdu.index}${hdu.name ? ` (${hdu.name})` : ''}`;
  if ('columns' in stats) {
    const lines = [
      `${title}: ${stats.rows} rows`,
      `${'column'.padEnd(24)} ${'min'.padStart(22)} ${'max'.padStart(22)} ${'mean'.padStart(22)} ${'nan'.padStart(8)} ${'nulls'.padStart(8)}`,
    ];
    for (const [name, s] of Object.entries(stats.columns)) {
      lines.push(
        `${name.padEnd(24)} ${show(s.min).padStart(22)} ${show(s.max).padStart(22)} ${show(s.mean).padStart(22)} ${String(s.nan).padStart(8)} ${String(s.nulls).padStart(8)}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
  return `${title}: shape (${stats.shape.join(', ')})\n  min ${show(stats.min)}\n  max ${show(stats.max)}\n  mean ${show(stats.mean)}\n  nan ${stats.nan}\n`;
}

function show(value: JsonCell | undefined): string {
  return value === null || value === undefined ? '—' : String(value);
}
