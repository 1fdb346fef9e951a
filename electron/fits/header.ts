// A FITS header: the ordered list of cards of one HDU, with keyword lookup (duplicates are all kept in
// order and lookups return the last one — the standard leaves duplicates undefined; astropy returns the
// first), CONTINUE long strings joined into the card they continue, and typed accessors that fail with
// the keyword named.
import { CARD_LENGTH, parseCard } from './card.ts';
import type { Card, CardValue } from './card.ts';
import { FitsError } from './errors.ts';

export type { Card, CardValue, Complex } from './card.ts';

/** A header value for JSON: integers beyond 2^53 stay bigint (written as exact JSON integers), complex [re, im]. */
export type HeaderJsonValue = string | number | bigint | boolean | null | [number, number] | string[];

export class Header {
  readonly cards: readonly Card[];
  private readonly positions: Map<string, number[]>;

  constructor(cards: readonly Card[]) {
    this.cards = joinContinuations(cards.filter((c) => c.kind !== 'end'));
    this.positions = new Map();
    this.cards.forEach((c, i) => {
      const list = this.positions.get(c.keyword);
      if (list) list.push(i);
      else this.positions.set(c.keyword, [i]);
    });
  }

  /** Parse concatenated 80-character cards, stopping at END (cards after it are padding). */
  static parse(text: string): Header {
    const cards: Card[] = [];
    for (let offset = 0; offset < text.length; offset += CARD_LENGTH) {
      const c = parseCard(text.slice(offset, offset + CARD_LENGTH));
      if (c.kind === 'end') break;
      cards.push(c);
    }
    return new Header(cards);
  }

  has(keyword: string): boolean {
    return this.positions.has(keyword.toUpperCase());
  }

  /** The last card with this keyword (duplicates: last wins). */
  card(keyword: string): Card | undefined {
    const list = this.positions.get(keyword.toUpperCase());
    return list ? this.cards[list[list.length - 1]!] : undefined;
  }

  /** Every card with this keyword, in file order. */
  cardsOf(keyword: string): Card[] {
    return (this.positions.get(keyword.toUpperCase()) ?? []).map((i) => this.cards[i]!);
  }

  get(keyword: string): CardValue | undefined {
    return this.card(keyword)?.value;
  }

  getAll(keyword: string): CardValue[] {
    return this.cardsOf(keyword).map((c) => c.value);
  }

  /** Keywords in first-appearance order, each once. */
  keywords(): string[] {
    return [...this.positions.keys()];
  }

  comments(): string[] {
    return this.getAll('COMMENT').map(String);
  }

  history(): string[] {
    return this.getAll('HISTORY').map(String);
  }

  string(keyword: string): string {
    const value = this.optionalString(keyword);
    if (value === undefined) throw missing(keyword);
    return value;
  }

  optionalString(keyword: string): string | undefined {
    const c = this.card(keyword);
    if (c === undefined || c.value === null) return undefined;
    if (typeof c.value !== 'string' || c.invalid) {
      throw new FitsError(`expected a string, found ${describe(c)}`, { keyword: c.keyword });
    }
    return c.value;
  }

  /** An integer value as a number; fails if it is not an integer or not exactly representable. */
  integer(keyword: string): number {
    const value = this.optionalInteger(keyword);
    if (value === undefined) throw missing(keyword);
    return value;
  }

  optionalInteger(keyword: string): number | undefined {
    const c = this.card(keyword);
    if (c === undefined || c.value === null) return undefined;
    if (typeof c.value === 'number' && Number.isInteger(c.value) && !c.invalid) return c.value;
    if (typeof c.value === 'bigint') {
      throw new FitsError(`integer ${c.value} is too large`, { keyword: c.keyword });
    }
    throw new FitsError(`expected an integer, found ${describe(c)}`, { keyword: c.keyword });
  }

  /** An integer value exactly (bigint beyond 2^53), for BZERO/TZERO/BLANK/TNULL of 64-bit columns. */
  optionalBigInteger(keyword: string): bigint | undefined {
    const c = this.card(keyword);
    if (c === undefined || c.value === null) return undefined;
    if (typeof c.value === 'bigint') return c.value;
    if (typeof c.value === 'number' && Number.isInteger(c.value) && !c.invalid) return BigInt(c.value);
    throw new FitsError(`expected an integer, found ${describe(c)}`, { keyword: c.keyword });
  }

  number(keyword: string): number {
    const value = this.optionalNumber(keyword);
    if (value === undefined) throw missing(keyword);
    return value;
  }

  optionalNumber(keyword: string): number | undefined {
    const c = this.card(keyword);
    if (c === undefined || c.value === null) return undefined;
    if (typeof c.value === 'number' && !c.invalid) return c.value;
    if (typeof c.value === 'bigint') return Number(c.value);
    throw new FitsError(`expected a number, found ${describe(c)}`, { keyword: c.keyword });
  }

  optionalBoolean(keyword: string): boolean | undefined {
    const c = this.card(keyword);
    if (c === undefined || c.value === null) return undefined;
    if (typeof c.value === 'boolean') return c.value;
    throw new FitsError(`expected T or F, found ${describe(c)}`, { keyword: c.keyword });
  }

  /**
   * The header as a plain object: value cards last-wins; COMMENT and HISTORY as arrays of
   * their texts; blank-keyword cards left out.
   */
  toRecord(): Record<string, HeaderJsonValue> {
    const record: Record<string, HeaderJsonValue> = {};
    for (const c of this.cards) {
      if (c.kind === 'commentary') {
        if (c.keyword === 'COMMENT' || c.keyword === 'HISTORY') {
          const list = record[c.keyword];
          const text = typeof c.value === 'string' ? c.value : '';
          if (Array.isArray(list)) (list as string[]).push(text);
          else record[c.keyword] = [text];
        }
        continue;
      }
      if (c.kind !== 'value') continue;
      record[c.keyword] = jsonValue(c.value);
    }
    return record;
  }
}

/** Any card value as text (complex values as "(re, im)"), for messages and string-typed uses. */
export function valueText(value: CardValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return `(${value.re}, ${value.im})`;
  return String(value);
}

export function jsonValue(value: CardValue): Exclude<HeaderJsonValue, string[]> {
  if (value === null) return null;
  if (typeof value === 'object') return [value.re, value.im];
  return value;
}

/**
 * The long-string convention (FITS 4.0 §4.2.1.2): a string ending in "&" continues in the string of
 * the following CONTINUE card(s); comments of the pieces are joined with a space.
 */
function joinContinuations(cards: readonly Card[]): Card[] {
  const out: Card[] = [];
  for (let i = 0; i < cards.length; i += 1) {
    const c = cards[i]!;
    if (c.kind !== 'value' || !c.isString || typeof c.value !== 'string' || !c.value.endsWith('&')) {
      out.push(c);
      continue;
    }
    let value = c.value;
    const comments = c.comment ? [c.comment] : [];
    const raws = [c.raw];
    while (value.endsWith('&')) {
      const next = cards[i + 1];
      if (!next || next.kind !== 'continue' || !next.isString || typeof next.value !== 'string') break;
      value = value.slice(0, -1) + next.value;
      if (next.comment) comments.push(next.comment);
      raws.push(next.raw);
      i += 1;
    }
    out.push({ ...c, value, comment: comments.join(' '), raw: raws.join('') });
  }
  return out;
}

function missing(keyword: string): FitsError {
  return new FitsError('required keyword is missing', { keyword: keyword.toUpperCase() });
}

function describe(c: Card): string {
  const raw = c.raw
    .slice(c.raw.indexOf('=') + 1, 80)
    .trim()
    .slice(0, 40);
  return raw.startsWith("'") ? raw : `'${raw}'`;
}
