import { describe, expect, test } from 'vitest';
import { isMissing, parseId, parseNumber, parseTimestamp, startOfDay, wholeDays } from '../../../tools/gold-builder/source-values.js';

describe('source values are read like pandas read_csv + to_numeric/to_datetime(errors=coerce)', () => {
  test('pandas default missing markers are missing, other text is not', () => {
    for (const na of ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '<NA>', '#N/A']) expect(isMissing(na)).toBe(true);
    for (const value of [' ', 'Na', 'none', '0']) expect(isMissing(value)).toBe(false);
  });

  test('numbers parse bit-exactly, with blanks, signs and exponents; junk is NaN', () => {
    expect(parseNumber('387.02')).toBe(387.02);
    expect(parseNumber('0.1')).toBe(0.1);
    expect(parseNumber('  42 ')).toBe(42);
    expect(parseNumber('-1.5e3')).toBe(-1500);
    expect(parseNumber('12.')).toBe(12);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('inf')).toBe(Number.POSITIVE_INFINITY);
    for (const junk of ['', 'abc', '1,5', '0x10', '1.2.3', 'NaN']) expect(parseNumber(junk)).toBeNaN();
  });

  test('the fast decimal path agrees with Number() on many two-decimal amounts', () => {
    for (let cents = 1000; cents <= 50_000; cents += 7) {
      const text = String(cents / 100);
      expect(parseNumber(text)).toBe(Number(text));
    }
  });

  test('ids must be whole numbers', () => {
    expect(parseId('17')).toBe(17);
    expect(parseId('17.0')).toBe(17);
    expect(parseId('17.5')).toBeNaN();
    expect(parseId('x17')).toBeNaN();
  });

  test('timestamps: dates, times, fractions; impossible dates are NaN', () => {
    expect(parseTimestamp('2026-01-20 10:39:43')).toBe(Date.UTC(2026, 0, 20, 10, 39, 43));
    expect(parseTimestamp('2026-01-20T10:39')).toBe(Date.UTC(2026, 0, 20, 10, 39));
    expect(parseTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimestamp('2026-01-20 10:39:43.123456')).toBe(Date.UTC(2026, 0, 20, 10, 39, 43, 123));
    for (const bad of ['2025-02-29', '2025-13-01', '2025-01-01 24:00:00', '20-01-2025', '2025/01/01', 'soon', '', '2025-01-01 10']) {
      expect(parseTimestamp(bad), bad).toBeNaN();
    }
  });

  test('whole days round down at the day boundary', () => {
    const t = Date.UTC(2025, 0, 1, 12);
    expect(wholeDays(t + 86_400_000 - 1, t)).toBe(0);
    expect(wholeDays(t + 86_400_000, t)).toBe(1);
    expect(wholeDays(t, t)).toBe(0);
    expect(wholeDays(t - 1, t)).toBe(-1);
    expect(startOfDay(Date.UTC(2026, 0, 20, 10, 39, 43))).toBe(Date.UTC(2026, 0, 20));
  });
});
