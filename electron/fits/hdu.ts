// The HDU structure of a file (FITS 4.0 §3–§7): where each header and data unit starts, what kind it
// is, and how many bytes its data takes (from BITPIX, NAXISn, PCOUNT and GCOUNT alone, so an unknown
// XTENSION is skipped, never fatal). Headers are read block by block; data is never touched here.
import { BLOCK_LENGTH, CARD_LENGTH, CARDS_PER_BLOCK, cardText, parseCard } from './card.ts';
import type { Card } from './card.ts';
import { FitsError, asFitsError } from './errors.ts';
import { Header, valueText } from './header.ts';
import type { ByteSource } from './source.ts';

export type HduType =
  'PRIMARY' | 'IMAGE' | 'BINTABLE' | 'TABLE' | 'COMPRESSED_IMAGE' | 'RANDOM_GROUPS' | 'UNKNOWN';

export interface Hdu {
  index: number;
  type: HduType;
  /** EXTNAME, "PRIMARY" for the primary HDU, "" for an unnamed extension. */
  name: string;
  header: Header;
  headerOffset: number;
  dataOffset: number;
  /** Bytes of data including any heap, without the padding to a whole block. */
  dataSize: number;
  /** The data runs past the end of the file. */
  truncated: boolean;
}

export const VALID_BITPIX = new Set([8, 16, 32, 64, -32, -64]);
const MAX_NAXIS = 999;

export function paddedSize(bytes: number): number {
  return Math.ceil(bytes / BLOCK_LENGTH) * BLOCK_LENGTH;
}

/** Read the header starting at `offset`; undefined if no header starts there (end of file or junk). */
export function readHeaderAt(
  source: ByteSource,
  offset: number,
  index: number,
): { header: Header; dataOffset: number } | undefined {
  const cards: Card[] = [];
  let at = offset;
  for (;;) {
    const block = source.read(at, BLOCK_LENGTH);
    if (block.length === 0 && at === offset) return undefined;
    if (at === offset) {
      const first = block.subarray(0, 8).toString('latin1');
      const expected = index === 0 ? 'SIMPLE  ' : 'XTENSION';
      if (first !== expected) {
        if (index === 0) {
          throw new FitsError('not a FITS file: it does not begin with a SIMPLE card');
        }
        return undefined;
      }
    }
    if (block.length < BLOCK_LENGTH) {
      throw new FitsError(`header is truncated: the file ends before its END card`, { hdu: index });
    }
    for (let k = 0; k < CARDS_PER_BLOCK; k += 1) {
      const c = parseCard(cardText(block, k * CARD_LENGTH));
      if (c.kind === 'end') {
        return { header: new Header(cards), dataOffset: at + BLOCK_LENGTH };
      }
      cards.push(c);
    }
    at += BLOCK_LENGTH;
  }
}

/** Classify the HDU and size its data from the structural keywords. */
export function describeHdu(
  header: Header,
  index: number,
  headerOffset: number,
  dataOffset: number,
  knownSize: number | undefined,
): Hdu {
  const name = hduName(header, index);
  try {
    const type = hduType(header, index);
    const bitpix = header.integer('BITPIX');
    if (!VALID_BITPIX.has(bitpix)) {
      throw new FitsError(`BITPIX ${bitpix} is not one of 8, 16, 32, 64, -32, -64`, { keyword: 'BITPIX' });
    }
    const naxis = header.integer('NAXIS');
    if (naxis < 0 || naxis > MAX_NAXIS) {
      throw new FitsError(`NAXIS ${naxis} is outside 0–${MAX_NAXIS}`, { keyword: 'NAXIS' });
    }
    const axes: number[] = [];
    for (let i = 1; i <= naxis; i += 1) {
      const n = header.integer(`NAXIS${i}`);
      if (n < 0) throw new FitsError(`NAXIS${i} is negative (${n})`, { keyword: `NAXIS${i}` });
      axes.push(n);
    }
    const isPrimary = index === 0;
    const groups = type === 'RANDOM_GROUPS';
    const pcount = isPrimary && !groups ? 0 : (header.optionalInteger('PCOUNT') ?? 0);
    const gcount = isPrimary && !groups ? 1 : (header.optionalInteger('GCOUNT') ?? 1);
    if (pcount < 0) throw new FitsError(`PCOUNT is negative (${pcount})`, { keyword: 'PCOUNT' });
    if (gcount < 0) throw new FitsError(`GCOUNT is negative (${gcount})`, { keyword: 'GCOUNT' });
    // Random groups (FITS 4.0 §6): NAXIS1 is 0 and skipped; each group holds PCOUNT parameters and
    // the NAXIS2…NAXISn array. With no axes beyond NAXIS1 there is no data at all (as astropy).
    let elements = 0;
    const counted = groups ? axes.slice(1) : axes;
    if (counted.length > 0) elements = counted.reduce((a, b) => a * b, 1);
    const dataSize =
      groups && counted.length === 0 ? 0 : (Math.abs(bitpix) / 8) * gcount * (pcount + elements);
    if (!Number.isSafeInteger(dataSize)) {
      throw new FitsError(`data size ${dataSize} bytes is not representable`, { keyword: 'NAXIS' });
    }
    const truncated = knownSize !== undefined && dataOffset + dataSize > knownSize;
    return { index, type, name, header, headerOffset, dataOffset, dataSize, truncated };
  } catch (error) {
    throw asFitsError(error, { hdu: index, hduName: name || undefined });
  }
}

function hduType(header: Header, index: number): HduType {
  if (index === 0) {
    const simple = header.cards[0];
    if (!simple || simple.keyword !== 'SIMPLE') {
      throw new FitsError('the first card is not SIMPLE', { keyword: 'SIMPLE' });
    }
    // SIMPLE = F: "does not conform"; listed, as astropy does, but not interpreted.
    if (simple.value !== true) return 'UNKNOWN';
    // astropy's rule (GroupsHDU.match_header): GROUPS = T makes random groups, whatever NAXIS1 says.
    if (header.get('GROUPS') === true) return 'RANDOM_GROUPS';
    return 'PRIMARY';
  }
  const xtension = valueText(header.get('XTENSION')).trim().toUpperCase();
  if (xtension === 'IMAGE') return 'IMAGE';
  if (xtension === 'TABLE') return 'TABLE';
  if (xtension === 'BINTABLE' || xtension === 'A3DTABLE') {
    return header.get('ZIMAGE') === true ? 'COMPRESSED_IMAGE' : 'BINTABLE';
  }
  return 'UNKNOWN';
}

function hduName(header: Header, index: number): string {
  const extname = header.get('EXTNAME');
  if (typeof extname === 'string' && extname.trim() !== '') return extname.trim();
  if (index === 0) return 'PRIMARY';
  if (header.get('ZIMAGE') === true) return 'COMPRESSED_IMAGE';
  return '';
}

/** NAXISn of an image HDU, slowest axis first (numpy order). */
export function imageShape(header: Header): number[] {
  const naxis = header.integer('NAXIS');
  const shape: number[] = [];
  for (let i = naxis; i >= 1; i -= 1) shape.push(header.integer(`NAXIS${i}`));
  return shape;
}
