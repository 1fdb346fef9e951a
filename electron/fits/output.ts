// The pieces every FITS HDU writer shares: an output file written at a cursor (and in place, for the
// header that is sealed once the data's checksum is known), header cards, block padding, and the
// CHECKSUM/DATASUM seal.
import { closeSync, openSync, writeSync } from 'node:fs';
import { CARD_LENGTH, formatCards, formatCommentary } from './card.ts';
import type { WritableValue } from './card.ts';
import { checksumFor, onesComplementSum } from './checksum.ts';
import { paddedSize } from './hdu.ts';

export interface ExtraCard {
  keyword: string;
  value?: WritableValue;
  comment?: string;
}

export class OutputFile {
  private readonly fd: number;
  private open = true;
  position = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(bytes: Uint8Array): void {
    this.writeAt(bytes, this.position);
    this.position += bytes.length;
  }
  writeAt(bytes: Uint8Array, position: number): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, position + done);
  }
  close(): void {
    if (this.open) closeSync(this.fd);
    this.open = false;
  }
}

export type CardList = string[];

export function card(cards: CardList, keyword: string, value: WritableValue, comment = ''): void {
  cards.push(...formatCards(keyword, value, comment));
}

export function extraCards(cards: CardList, extra: ExtraCard[] | undefined): void {
  for (const c of extra ?? []) {
    if (c.keyword === 'COMMENT' || c.keyword === 'HISTORY' || c.keyword === '') {
      cards.push(...formatCommentary(c.keyword, typeof c.value === 'string' ? c.value : ''));
    } else if (c.value !== undefined) card(cards, c.keyword, c.value, c.comment ?? '');
  }
}

function headerBytes(cards: CardList): Buffer {
  const text = [...cards, 'END'.padEnd(CARD_LENGTH, ' ')].join('');
  return Buffer.from(text.padEnd(paddedSize(text.length), ' '), 'latin1');
}

/** Put DATASUM and CHECKSUM into the header cards and return the final header bytes. */
export function sealHeader(cards: CardList, dataSum: number, checksum: boolean): Buffer {
  if (!checksum) return headerBytes(cards);
  const sealed = [...cards];
  card(sealed, 'CHECKSUM', '0000000000000000', 'HDU checksum');
  card(sealed, 'DATASUM', String(dataSum), 'data unit checksum');
  const zeroed = headerBytes(sealed);
  const value = checksumFor(onesComplementSum(zeroed), dataSum);
  sealed.splice(sealed.length - 2, 1, ...formatCards('CHECKSUM', value, 'HDU checksum'));
  return headerBytes(sealed);
}

/** Zero bytes after `size` bytes of data, up to the end of its 2880-byte block. */
export function blockPadding(size: number): Uint8Array {
  return new Uint8Array(paddedSize(size) - size);
}
