// One 80-character header card and the FITS 4.0 rules for reading it (Pence et al. 2010, A&A 524,
// A42, and the FITS Standard 4.0 §4.1–4.2): keyword in columns 1–8, value indicator "= " in columns
// 9–10, quoted strings with doubled quotes, logical T/F, integers, reals with E or D exponents, complex
// pairs, undefined values, comments after "/", commentary keywords (COMMENT, HISTORY, blank),
// CONTINUE long-string cards and the ESO HIERARCH convention (key reported without the prefix).

export const CARD_LENGTH = 80;
export const BLOCK_LENGTH = 2880;
export const CARDS_PER_BLOCK = BLOCK_LENGTH / CARD_LENGTH;

export interface Complex {
  re: number;
  im: number;
}

/** A keyword's value: null when the card has a value indicator but no value (FITS "undefined"). */
export type CardValue = string | number | bigint | boolean | Complex | null;

export type CardKind =
  /** KEY = value / comment */
  | 'value'
  /** COMMENT, HISTORY, blank keyword, or any keyword without a value indicator */
  | 'commentary'
  /** CONTINUE card of the long-string convention */
  | 'continue'
  | 'end';

export interface Card {
  keyword: string;
  kind: CardKind;
  value: CardValue;
  comment: string;
  /** The value field could not be parsed; `value` holds its raw text. */
  invalid: boolean;
  /** The value was written as a quoted string (so '' and "" are distinct from a missing value). */
  isString: boolean;
  raw: string;
}

const COMMENTARY = new Set(['COMMENT', 'HISTORY', '']);
const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][+-]?\d+)?$/;

/** Parse one card. `raw` must be 80 characters (shorter text is blank-padded). */
export function parseCard(raw: string): Card {
  const image = raw.length < CARD_LENGTH ? raw.padEnd(CARD_LENGTH, ' ') : raw.slice(0, CARD_LENGTH);
  const keyField = image.slice(0, 8).trimEnd();
  const keyword = keyField.toUpperCase();

  if (keyword === 'END' && image.slice(8).trim() === '') {
    return card(image, 'END', 'end', null, '');
  }
  if (keyword === 'HIERARCH') {
    const equals = image.indexOf('=', 8);
    if (equals > 8) {
      const key = image.slice(8, equals).trim().toUpperCase();
      if (key.length > 0) return valueCard(image, key, image.slice(equals + 1));
    }
    return card(image, 'HIERARCH', 'commentary', image.slice(8).trimEnd(), '');
  }
  if (COMMENTARY.has(keyword)) {
    return card(image, keyword, 'commentary', image.slice(8).trimEnd(), '');
  }
  if (keyword === 'CONTINUE' && image[8] !== '=') {
    const parsed = parseValueField(image.slice(8));
    return { ...card(image, 'CONTINUE', 'continue', parsed.value, parsed.comment), ...flags(parsed) };
  }
  if (image[8] === '=') {
    return valueCard(image, keyword, image.slice(9));
  }
  return card(image, keyword, 'commentary', image.slice(8).trimEnd(), '');
}

function valueCard(image: string, keyword: string, field: string): Card {
  const parsed = parseValueField(field);
  return { ...card(image, keyword, 'value', parsed.value, parsed.comment), ...flags(parsed) };
}

function card(raw: string, keyword: string, kind: CardKind, value: CardValue, comment: string): Card {
  return { keyword, kind, value, comment, invalid: false, isString: false, raw };
}

function flags(parsed: ParsedField): { invalid: boolean; isString: boolean } {
  return { invalid: parsed.invalid, isString: parsed.isString };
}

interface ParsedField {
  value: CardValue;
  comment: string;
  invalid: boolean;
  isString: boolean;
}

/** Parse the value field (after the value indicator): a value, then an optional "/ comment". */
export function parseValueField(field: string): ParsedField {
  let i = 0;
  while (i < field.length && field[i] === ' ') i += 1;
  if (i >= field.length) return { value: null, comment: '', invalid: false, isString: false };

  if (field[i] === "'") {
    let text = '';
    let j = i + 1;
    let closed = false;
    while (j < field.length) {
      const ch = field[j];
      if (ch === "'") {
        if (field[j + 1] === "'") {
          text += "'";
          j += 2;
          continue;
        }
        closed = true;
        j += 1;
        break;
      }
      text += ch;
      j += 1;
    }
    if (!closed) {
      return { value: field.slice(i).trimEnd(), comment: '', invalid: true, isString: false };
    }
    return { value: text.trimEnd(), comment: commentAfter(field, j), invalid: false, isString: true };
  }

  if (field[i] === '/') {
    return { value: null, comment: field.slice(i + 1).trim(), invalid: false, isString: false };
  }

  if (field[i] === '(') {
    const close = field.indexOf(')', i);
    if (close > i) {
      const parts = field.slice(i + 1, close).split(',');
      if (parts.length === 2) {
        const re = parseNumber(parts[0]!.trim());
        const im = parseNumber(parts[1]!.trim());
        if (re !== undefined && im !== undefined) {
          return {
            value: { re: Number(re), im: Number(im) },
            comment: commentAfter(field, close + 1),
            invalid: false,
            isString: false,
          };
        }
      }
    }
    return { value: field.slice(i).trimEnd(), comment: '', invalid: true, isString: false };
  }

  const slash = field.indexOf('/', i);
  const token = (slash >= 0 ? field.slice(i, slash) : field.slice(i)).trim();
  const comment = slash >= 0 ? field.slice(slash + 1).trim() : '';
  if (token === 'T' || token === 'F') {
    return { value: token === 'T', comment, invalid: false, isString: false };
  }
  const number = parseNumber(token);
  if (number !== undefined) return { value: number, comment, invalid: false, isString: false };
  return { value: token, comment, invalid: true, isString: false };
}

function commentAfter(field: string, from: number): string {
  const slash = field.indexOf('/', from);
  return slash >= 0 ? field.slice(slash + 1).trim() : '';
}

/** An integer (bigint when beyond 2^53) or a real with an E or D exponent; undefined if neither. */
export function parseNumber(token: string): number | bigint | undefined {
  if (INTEGER.test(token)) {
    const n = Number(token);
    return Number.isSafeInteger(n) ? n : BigInt(token);
  }
  if (REAL.test(token)) return Number(token.replace(/[Dd]/, 'E'));
  return undefined;
}

/**
 * Decode one card's bytes as text. Bytes outside printable ASCII become "?", as astropy does when it
 * meets them, so a stray byte in a comment does not make the whole file unreadable.
 */
export function cardText(bytes: Uint8Array, offset: number): string {
  let text = '';
  for (let k = 0; k < CARD_LENGTH; k += 1) {
    const b = bytes[offset + k] ?? 0x20;
    text += b < 0x20 || b > 0x7e ? '?' : String.fromCharCode(b);
  }
  return text;
}

/** A value as the writer formats it: numbers, bigints, booleans, strings, complex pairs. */
export type WritableValue = string | number | bigint | boolean | Complex;

/**
 * Format one keyword card (or several, when a long string needs CONTINUE cards): fixed format, value
 * right-justified to column 30 for numbers and logicals, strings quoted from column 11 with quotes
 * doubled (FITS 4.0 §4.2). Reals use the shortest text that reads back to the same double.
 */
export function formatCards(keyword: string, value: WritableValue, comment = ''): string[] {
  if (!/^[A-Z0-9_-]{1,8}$/.test(keyword)) throw new Error(`'${keyword}' is not a valid FITS keyword`);
  const key = keyword.padEnd(8, ' ');
  if (typeof value === 'string') return formatString(key, value, comment);
  let text: string;
  if (typeof value === 'boolean') text = value ? 'T' : 'F';
  else if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number') text = formatReal(keyword, value);
  else text = `(${formatReal(keyword, value.re)}, ${formatReal(keyword, value.im)})`;
  return [withComment(`${key}= ${text.padStart(20, ' ')}`, comment)];
}

function formatReal(keyword: string, value: number): string {
  if (!Number.isFinite(value))
    throw new Error(`keyword ${keyword}: ${value} cannot be written in a FITS header`);
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  let text = String(value).toUpperCase();
  if (!text.includes('.') && !text.includes('E')) text += '.0';
  if (text.includes('E') && !text.split('E')[0]!.includes('.')) text = text.replace('E', '.0E');
  return text;
}

function withComment(card: string, comment: string): string {
  if (comment === '' || card.length + 3 >= CARD_LENGTH) return card.padEnd(CARD_LENGTH, ' ');
  return `${card} / ${comment}`.slice(0, CARD_LENGTH).padEnd(CARD_LENGTH, ' ');
}

function formatString(key: string, value: string, comment: string): string[] {
  if (/[^\x20-\x7e]/.test(value))
    throw new Error(`keyword ${key.trim()}: only printable ASCII can be written`);
  const quoted = (text: string): string => `'${text.replace(/'/g, "''").padEnd(8, ' ')}'`;
  // Padded to 20 characters like astropy's Card, so astropy re-serializes the card byte for byte
  // (it re-formats CHECKSUM this way when verifying it).
  const single = `${key}= ${quoted(value).padEnd(20, ' ')}`;
  if (single.length <= CARD_LENGTH) return [withComment(single, comment)];
  // Long-string convention: pieces ending in '&' continued on CONTINUE cards (at most 67 characters
  // of quoted text per card, never splitting a doubled quote).
  const pieces: string[] = [];
  let rest = value;
  while (rest.length > 0) {
    let take = Math.min(rest.length, 66);
    while (take > 1 && rest.slice(0, take).replace(/'/g, "''").length > 66) take -= 1;
    pieces.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  return pieces.map((piece, i) => {
    const last = i === pieces.length - 1;
    const body = `'${piece.replace(/'/g, "''")}${last ? '' : '&'}'`;
    const card = i === 0 ? `${key}= ${body}` : `CONTINUE  ${body}`;
    return (last ? withComment(card, comment) : card).padEnd(CARD_LENGTH, ' ');
  });
}

/** A commentary card (COMMENT, HISTORY or blank keyword), split over several cards when long. */
export function formatCommentary(keyword: string, text: string): string[] {
  const key = keyword.padEnd(8, ' ');
  const cards: string[] = [];
  for (let at = 0; at === 0 || at < text.length; at += 72)
    cards.push(`${key}${text.slice(at, at + 72)}`.padEnd(CARD_LENGTH, ' '));
  return cards;
}
