// One card's FITS 4.0 rules (§4.1–4.2): each case is a card as it appears in real files.
import { describe, expect, it } from 'vitest';
import { formatCards, parseCard } from '../../../electron/fits/card.ts';
import { Header } from '../../../electron/fits/header.ts';

describe('parseCard', () => {
  it('reads quoted strings with doubled quotes, keeping leading and dropping trailing blanks', () => {
    const card = parseCard("OBJECT  = '  it''s M31  '       / target");
    expect(card.value).toBe("  it's M31");
    expect(card.comment).toBe('target');
    expect(card.isString).toBe(true);
    expect(parseCard("EMPTY   = ''").value).toBe('');
    expect(parseCard("BLANKS  = '     '").value).toBe('');
    expect(parseCard("SLASH   = 'a/b' / c/d").value).toBe('a/b');
  });

  it('reads integers, bigints, reals with E and D exponents, logicals and undefined values', () => {
    expect(parseCard('NAXIS1  =                 1024').value).toBe(1024);
    expect(parseCard('BIG     = 123456789012345678901234567890').value).toBe(123456789012345678901234567890n);
    expect(parseCard('EXPD    =             1.5D+300').value).toBe(1.5e300);
    expect(parseCard('EXPLOW  =              -2.5d-3').value).toBe(-2.5e-3);
    expect(parseCard('REAL    =                 .5E1').value).toBe(5);
    expect(parseCard('FLAG    =                    T').value).toBe(true);
    expect(parseCard('FLAG    =                    F / no').value).toBe(false);
    const undefinedValue = parseCard('UNDEF   =                      / nothing');
    expect(undefinedValue.value).toBeNull();
    expect(undefinedValue.comment).toBe('nothing');
  });

  it('reads complex values', () => {
    expect(parseCard('CPLX    = (1.5, -2E3) / z').value).toEqual({ re: 1.5, im: -2000 });
    expect(parseCard('ICPLX   = (3, 4)').value).toEqual({ re: 3, im: 4 });
  });

  it('reports HIERARCH keys without the prefix', () => {
    const card = parseCard("HIERARCH ESO DET CHIP NAME = 'CCD-1' / chip");
    expect(card.keyword).toBe('ESO DET CHIP NAME');
    expect(card.value).toBe('CCD-1');
  });

  it('keeps COMMENT, HISTORY, blank-keyword and value-less cards as commentary', () => {
    expect(parseCard('COMMENT   a comment = not a value')).toMatchObject({
      kind: 'commentary',
      value: '  a comment = not a value',
    });
    expect(parseCard('HISTORY done')).toMatchObject({ keyword: 'HISTORY', kind: 'commentary' });
    expect(parseCard('        free text')).toMatchObject({ keyword: '', kind: 'commentary' });
    expect(parseCard('NOVALUE  text without indicator')).toMatchObject({
      keyword: 'NOVALUE',
      kind: 'commentary',
    });
    expect(parseCard('END').kind).toBe('end');
  });

  it('flags values it cannot parse instead of guessing', () => {
    const card = parseCard('BAD     = 12abc');
    expect(card.invalid).toBe(true);
    expect(card.value).toBe('12abc');
    expect(parseCard("OPEN    = 'no closing quote").invalid).toBe(true);
  });
});

describe('formatCards', () => {
  const roundTrip = (value: Parameters<typeof formatCards>[1]): unknown =>
    Header.parse(formatCards('KEY', value, 'note').join('')).get('KEY');

  it('writes values that read back identically', () => {
    for (const value of [
      0,
      -17,
      1.5,
      1e-300,
      -2.5e300,
      0.1,
      1 / 3,
      123456789.123,
      true,
      false,
      'text',
      "it's",
      '',
      2n ** 70n,
    ]) {
      expect(roundTrip(value)).toEqual(value);
    }
    expect(roundTrip({ re: 1.25, im: -3 })).toEqual({ re: 1.25, im: -3 });
  });

  it('continues long strings on CONTINUE cards', () => {
    const long = `${'abc'.repeat(60)}'q'${'z'.repeat(50)}`;
    const cards = formatCards('LONG', long);
    expect(cards.length).toBeGreaterThan(2);
    expect(cards.every((c) => c.length === 80)).toBe(true);
    expect(Header.parse(cards.join('')).get('LONG')).toBe(long);
  });

  it('refuses what a header cannot hold', () => {
    expect(() => formatCards('KEY', Number.NaN)).toThrow(/cannot be written/);
    expect(() => formatCards('lower', 1)).toThrow(/not a valid FITS keyword/);
    expect(() => formatCards('KEY', 'café')).toThrow(/printable ASCII/);
  });
});
