// Text tables are UTF-8: bytes that are not (a Latin-1 or Windows-1252 'é') are an error naming the
// line, where Node's decoder put U+FFFD in their place without a word; characters of two to four bytes
// that straddle the reader's 1 MiB chunks decode whole.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../../electron/catalog/read.ts';

const dir = mkdtempSync(join(tmpdir(), 'cradle-utf8-'));
const CHUNK = 1 << 20;

describe('UTF-8 text tables', () => {
  it('refuses bytes that are not UTF-8, naming the line, plain or gzipped', async () => {
    const bytes = Buffer.concat([
      Buffer.from('ra,dec,name\n1,2,ok\n3,4,caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const plain = join(dir, 'latin1.csv');
    writeFileSync(plain, bytes);
    await expect(readCatalog(plain)).rejects.toThrow(
      /latin1\.csv: line 3: bytes that are not UTF-8 text \(e9 0a\)/,
    );
    const gzipped = join(dir, 'latin1.csv.gz');
    writeFileSync(gzipped, gzipSync(bytes));
    await expect(readCatalog(gzipped)).rejects.toThrow(/latin1\.csv\.gz: line 3: bytes that are not UTF-8/);
  });

  it('decodes characters cut by a chunk boundary whole', async () => {
    for (const char of ['é', '€', '𝛼']) {
      const head = 'name,n\n';
      const filler = 'x'.repeat(CHUNK - head.length - 1 - 3);
      // The character's first byte is the chunk's last.
      const text = `${head}${filler},1\n${char}${char},2\n`;
      const offset = Buffer.byteLength(`${head}${filler},1\n`);
      expect(offset).toBe(CHUNK - 1);
      const file = join(dir, `straddle-${char.length}.csv`);
      writeFileSync(file, text);
      const { table } = await readCatalog(file);
      expect(table.getChild('name')!.get(1)).toBe(`${char}${char}`);
    }
  });
});
