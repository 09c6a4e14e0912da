import { describe, expect, it } from 'vitest';
import { bigintToNumber, rawTimestampToMs, toDay, toEpochMs, toMonth, toNumber, toText } from '../../../publisher/normalise/values.js';

const T = Date.UTC(2026, 0, 20, 10, 39, 43, 123);

describe('number normalisation', () => {
  it('converts INT64 bigints exactly up to 2^53 − 1 and refuses beyond', () => {
    expect(bigintToNumber(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(bigintToNumber(-9_007_199_254_740_991n)).toBe(-Number.MAX_SAFE_INTEGER);
    expect(bigintToNumber(9_007_199_254_740_992n)).toEqual({ problem: 'int64_range' });
    expect(toNumber(-9_007_199_254_740_992n, true)).toEqual({ problem: 'int64_range' });
  });

  it('maps null, undefined and NaN (pandas missing float) to null', () => {
    expect(toNumber(null, false)).toBeNull();
    expect(toNumber(undefined, true)).toBeNull();
    expect(toNumber(Number.NaN, false)).toBeNull();
  });

  it('accepts integral doubles in integer columns and rejects fractions, infinities and strings', () => {
    expect(toNumber(3, true)).toBe(3);
    expect(toNumber(3.5, true)).toEqual({ problem: 'not_integer' });
    expect(toNumber(Number.POSITIVE_INFINITY, false)).toEqual({ problem: 'type' });
    expect(toNumber('12', false)).toEqual({ problem: 'type' });
    expect(toNumber(12.5, false)).toBe(12.5);
  });
});

describe('timestamp normalisation', () => {
  it('keeps Dates from the reader and range-checks them', () => {
    expect(toEpochMs(new Date(T), 'ms')).toBe(T);
    expect(toEpochMs(new Date(Date.UTC(1800, 0, 1)), 'ms')).toEqual({ problem: 'date_range' });
    expect(toEpochMs(new Date(Number.NaN), 'ms')).toEqual({ problem: 'date_range' });
  });

  it('reads raw nanosecond and microsecond INT64 timestamps, flooring to the millisecond', () => {
    expect(toEpochMs(BigInt(T) * 1_000_000n + 999_999n, 'ns')).toBe(T);
    expect(toEpochMs(BigInt(T) * 1_000n + 999n, 'us')).toBe(T);
    expect(rawTimestampToMs(-1n, 'ns')).toBe(-1n);
  });

  it('decodes a packed INT96 (julian day << 64 | nanos of day)', () => {
    const julianDay = 2_440_588n + BigInt(Math.floor(T / 86_400_000));
    const nanosOfDay = BigInt(T % 86_400_000) * 1_000_000n + 456_789n;
    expect(toEpochMs((julianDay << 64n) | nanosOfDay, 'int96')).toBe(T);
  });

  it('flags nanoseconds misread as milliseconds as out of range', () => {
    expect(toEpochMs(BigInt(T) * 1_000_000n, 'ms')).toEqual({ problem: 'date_range' });
  });

  it('parses ISO strings without an offset as naive UTC', () => {
    expect(toEpochMs('2026-01-20 10:39:43', 'ms')).toBe(Date.UTC(2026, 0, 20, 10, 39, 43));
    expect(toEpochMs('2026-01-20', 'ms')).toBe(Date.UTC(2026, 0, 20));
    expect(toEpochMs('2026-01-20T10:39:43+02:00', 'ms')).toBe(Date.UTC(2026, 0, 20, 8, 39, 43));
    expect(toEpochMs('yesterday', 'ms')).toEqual({ problem: 'type' });
    expect(toEpochMs(null, 'ms')).toBeNull();
  });
});

describe('day, month and text normalisation', () => {
  it('formats a DATE (Date at midnight UTC) or raw epoch days as YYYY-MM-DD', () => {
    expect(toDay(new Date(Date.UTC(2025, 11, 31)))).toBe('2025-12-31');
    expect(toDay(20_473)).toBe('2026-01-20');
    expect(toDay('2026-01-20')).toBe('2026-01-20');
  });

  it('rejects malformed or impossible days and months', () => {
    expect(toDay('2026-02-30')).toEqual({ problem: 'format' });
    expect(toDay('20/01/2026')).toEqual({ problem: 'format' });
    expect(toMonth('2026-13')).toEqual({ problem: 'format' });
    expect(toMonth('2026-01')).toBe('2026-01');
    expect(toMonth(new Date(Date.UTC(2026, 0, 31, 23)))).toBe('2026-01');
    expect(toMonth(5)).toEqual({ problem: 'type' });
  });

  it('decodes UTF-8 bytes and refuses numbers in text columns', () => {
    expect(toText(new TextEncoder().encode('Réfrigérateur'))).toBe('Réfrigérateur');
    expect(toText(12)).toEqual({ problem: 'type' });
    expect(toText(undefined)).toBeNull();
  });
});
