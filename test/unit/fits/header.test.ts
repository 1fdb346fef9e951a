// Header-level rules: duplicates (all kept in order, lookups last-wins), CONTINUE long strings,
// END and padding, typed accessors naming the keyword.
import { describe, expect, it } from 'vitest';
import { FitsError } from '../../../electron/fits/errors.ts';
import { Header } from '../../../electron/fits/header.ts';

const text = (cards: string[]): string => cards.map((c) => c.padEnd(80, ' ')).join('');

describe('Header', () => {
  const header = Header.parse(
    text([
      'SIMPLE  =                    T',
      'DUP     =                    1 / first',
      'DUP     =                    2 / second',
      "LONG    = 'first part &'  / one",
      "CONTINUE  'second part &' / two",
      "CONTINUE  'end'",
      'COMMENT one',
      'HISTORY two',
      'COMMENT three',
      'NAXIS   =                  2.5',
      "NAME    = 'x'",
      'END',
      'IGNORED =                    1',
    ]),
  );

  it('keeps duplicates in order and returns the last', () => {
    expect(header.get('DUP')).toBe(2);
    expect(header.getAll('DUP')).toEqual([1, 2]);
    expect(header.cardsOf('dup').map((c) => c.comment)).toEqual(['first', 'second']);
  });

  it('joins CONTINUE long strings and their comments', () => {
    expect(header.get('LONG')).toBe('first part second part end');
    expect(header.card('LONG')?.comment).toBe('one two');
    expect(header.has('CONTINUE')).toBe(false);
  });

  it('stops at END', () => {
    expect(header.has('IGNORED')).toBe(false);
    expect(header.comments()).toEqual(['one', 'three']);
    expect(header.history()).toEqual(['two']);
  });

  it('gives a JSON record with commentary as arrays', () => {
    const record = header.toRecord();
    expect(record['DUP']).toBe(2);
    expect(record['COMMENT']).toEqual(['one', 'three']);
    expect(record['LONG']).toBe('first part second part end');
  });

  it('fails naming the keyword when a value has the wrong type', () => {
    expect(() => header.integer('NAXIS')).toThrow(FitsError);
    expect(() => header.integer('NAXIS')).toThrow(/keyword NAXIS: expected an integer/);
    expect(() => header.integer('NAXIS1')).toThrow(/keyword NAXIS1: required keyword is missing/);
    expect(() => header.optionalNumber('NAME')).toThrow(/keyword NAME: expected a number/);
    expect(header.optionalInteger('ABSENT')).toBeUndefined();
  });
});
