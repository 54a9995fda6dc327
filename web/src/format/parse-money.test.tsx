import { describe, expect, it } from 'vitest';
import { parseMinorUnits } from './parse-money';

const cents = (text: string, group = ',') => parseMinorUnits(text, 2, group);

describe('typed money', () => {
  it('reads a decimal comma as a decimal, in any locale', () => {
    expect(cents('12,50')).toBe(1250);
    expect(cents('12,5')).toBe(1250);
    expect(cents('12,50', '.')).toBe(1250);
    expect(cents('1.234,50', '.')).toBe(123450);
    expect(cents('1.234,50')).toBe(123450);
    expect(cents('1 234,50', '\u202f')).toBe(123450);
    expect(cents('1\u202f234,50', '\u202f')).toBe(123450);
  });

  it('reads thousands separators, and the lone three-digit case by the locale', () => {
    expect(cents('1,234.50')).toBe(123450);
    expect(cents('1,234,567')).toBe(123456700);
    expect(cents('1,23,456.75')).toBe(12345675);
    expect(cents("1'234.50")).toBe(123450);
    expect(cents('1,234')).toBe(123400);
    expect(cents('1.234', '.')).toBe(123400);
    // In a locale that groups with "." a lone "1,234" is 1.234: more decimals than cents.
    expect(cents('1,234', '.')).toBeUndefined();
    expect(parseMinorUnits('1.250', 3, ',')).toBe(1250);
    expect(parseMinorUnits('1,200', 0, '.')).toBe(1200);
  });

  it('takes currency signs and codes around the number', () => {
    expect(cents('$12')).toBe(1200);
    expect(cents('12 €')).toBe(1200);
    expect(cents('USD 7.05')).toBe(705);
    expect(cents('.5')).toBe(50);
    expect(cents(' 19.50 ')).toBe(1950);
  });

  it('refuses what it cannot read for sure', () => {
    for (const text of [
      '',
      'abc',
      '12a50',
      '-5',
      '12.505',
      '1.2.50',
      '1,2345',
      '12,34,5',
      '1,234.5,6',
      '12 50',
      '1,,234',
    ])
      expect(cents(text), text).toBeUndefined();
    expect(parseMinorUnits('12.50', 0, ',')).toBeUndefined();
  });
});
