// Timestamp strings: only ISO-8601 is read, naive ones as UTC (GOLD_SPEC §2), never with the
// host's time zone or V8's lenient Date.parse. Expected values are exact UTC epoch
// milliseconds, so a result that depended on process.env.TZ would fail on any host not in UTC
// (test/integration/publisher/timestamp-time-zone.test.ts runs one under America/New_York).
import { describe, expect, it } from 'vitest';
import { datasetByName } from '../../../src/catalog/gold-catalog.js';
import { normaliseBatch, planTable } from '../../../publisher/normalise/normalise-batch.js';
import { parseTimestamp, toEpochMs } from '../../../publisher/normalise/values.js';
import type { ParquetColumnInfo } from '../../../publisher/parquet/types.js';
import { describeReport, ViolationLog } from '../../../publisher/validate/violations.js';

const utc = Date.UTC;

describe('ISO-8601 timestamp strings', () => {
  it('reject what V8 would guess at: bare numbers, month names, slashes, day-first dates, blanks', () => {
    for (const junk of ['12', 'March 7', '2025/01/20 10:58:40', '20/01/2025', '', '   ', 'yesterday', '2025-01-20 10:58:40 GMT', 'Mon, 20 Jan 2025 10:58:40 GMT']) {
      expect(parseTimestamp(junk), JSON.stringify(junk)).toBeNaN();
      expect(toEpochMs(junk, 'ms'), JSON.stringify(junk)).toEqual({ problem: 'type' });
    }
  });

  it('reject near-ISO shapes: missing parts, a lone hour, a comma fraction, a zone on a date, a short offset, lowercase separators', () => {
    for (const bad of ['2025-01', '2025-1-20', '2025-01-20T10', '2025-01-20T10:58:4', '2025-01-20T10:58:40,5', '2025-01-20Z', '2025-01-20T10:58:40+02', '2025-01-20t10:58:40', '2025-01-20T10:58:40z', '+002025-01-20T00:00:00Z', '2025-01-20T10:58:40.']) {
      expect(parseTimestamp(bad), bad).toBeNaN();
    }
  });

  it('read a date alone as midnight UTC', () => {
    expect(parseTimestamp('2025-01-20')).toBe(utc(2025, 0, 20));
    expect(parseTimestamp('2025-01-20')).toBe(1_737_331_200_000);
  });

  it('read a naive date-time as UTC, with a T or a space, with or without seconds', () => {
    expect(parseTimestamp('2025-01-20 10:58:40')).toBe(1_737_370_720_000);
    expect(parseTimestamp('2025-01-20T10:58:40')).toBe(1_737_370_720_000);
    expect(parseTimestamp('2025-01-20T10:58')).toBe(utc(2025, 0, 20, 10, 58));
    expect(parseTimestamp('  2025-01-20 10:58:40\n')).toBe(1_737_370_720_000);
  });

  it('truncate fractions below the millisecond, up to nanoseconds', () => {
    expect(parseTimestamp('2025-01-20T10:58:40.1')).toBe(utc(2025, 0, 20, 10, 58, 40, 100));
    expect(parseTimestamp('2025-01-20 10:58:40.12')).toBe(utc(2025, 0, 20, 10, 58, 40, 120));
    expect(parseTimestamp('2025-01-20T10:58:40.123')).toBe(utc(2025, 0, 20, 10, 58, 40, 123));
    expect(parseTimestamp('2025-01-20T10:58:40.999999')).toBe(utc(2025, 0, 20, 10, 58, 40, 999));
    expect(parseTimestamp('2025-01-20T10:58:40.123456789')).toBe(utc(2025, 0, 20, 10, 58, 40, 123));
    expect(parseTimestamp('2025-01-20T10:58:40.1234567891')).toBeNaN();
  });

  it('apply an explicit Z or ±hh:mm / ±hhmm offset', () => {
    const t = utc(2025, 0, 20, 10, 58, 40);
    expect(parseTimestamp('2025-01-20T10:58:40Z')).toBe(t);
    expect(parseTimestamp('2025-01-20T12:58:40+02:00')).toBe(t);
    expect(parseTimestamp('2025-01-20T12:58:40+0200')).toBe(t);
    expect(parseTimestamp('2025-01-20T05:28:40-05:30')).toBe(t);
    expect(parseTimestamp('2025-01-20 05:28:40.5-0530')).toBe(t + 500);
    expect(parseTimestamp('2025-01-20T10:58:40+00:00')).toBe(t);
    expect(parseTimestamp('2025-01-20T10:58Z')).toBe(utc(2025, 0, 20, 10, 58));
    expect(parseTimestamp('2025-01-01T00:30:00+01:00')).toBe(utc(2024, 11, 31, 23, 30)); // across a year
  });

  it('reject impossible calendar dates and clock times instead of rolling them over', () => {
    for (const bad of ['2025-02-29', '2025-02-30', '2025-04-31', '2025-13-01', '2025-00-10', '2025-01-00', '2025-01-32', '1900-02-29', '2025-01-20T24:00:00', '2025-01-20T23:60:00', '2025-01-20T23:59:60', '2025-01-20T10:58:40+24:00', '2025-01-20T10:58:40+05:60']) {
      expect(parseTimestamp(bad), bad).toBeNaN();
      expect(toEpochMs(bad, 'ms'), bad).toEqual({ problem: 'type' });
    }
    expect(parseTimestamp('2024-02-29')).toBe(utc(2024, 1, 29));
    expect(parseTimestamp('2000-02-29 23:59:59.999')).toBe(utc(2000, 1, 29, 23, 59, 59, 999));
  });

  it('range-check parsed strings like every other timestamp, years below 100 included', () => {
    expect(toEpochMs('1899-12-31T23:59:59', 'ms')).toEqual({ problem: 'date_range' });
    expect(toEpochMs('0012-01-01', 'ms')).toEqual({ problem: 'date_range' }); // not 1912, as Date.UTC would read it
    expect(toEpochMs('2200-01-01', 'ms')).toEqual({ problem: 'date_range' });
    expect(toEpochMs('1900-01-01', 'ms')).toBe(utc(1900, 0, 1));
  });

  it('become a type violation naming table, file, row, column and the raw value', () => {
    const FACT = datasetByName('fact_achats');
    const col = (name: string): ParquetColumnInfo => ({ name, physicalType: name === 'date_achat' ? 'BYTE_ARRAY' : 'INT64', nullable: true });
    const plan = planTable(FACT, ['id_achat', 'id_client', 'date_achat', 'montant', 'produit', 'pays', 'mois'].map(col));
    const log = new ViolationLog('fact_achats');
    log.beginBatch('f.parquet', 100, 3);
    const raw = {
      id_achat: [1, 2, 3],
      id_client: [1, 1, 1],
      date_achat: ['2025-01-20 10:58:40', '2025/01/20 10:58:40', '2025-02-30'],
      montant: [1, 2, 3],
      produit: ['a', 'b', 'c'],
      pays: ['x', 'y', 'z'],
      mois: ['2025-01', '2025-01', '2025-02'],
    };
    const batch = normaliseBatch(plan, 3, new Map(Object.entries(raw)), log);
    const dates = batch.columns[plan.columns.findIndex((c) => c.spec.name === 'date_achat')];
    expect(dates?.kind === 'date' && Array.from(dates.values)).toEqual([1_737_370_720_000, Number.NaN, Number.NaN]);
    const report = log.report();
    expect(report.invalidRows).toBe(2);
    expect(report.samples).toEqual([
      { table: 'fact_achats', file: 'f.parquet', row: 101, column: 'date_achat', rule: 'type', value: '2025/01/20 10:58:40' },
      { table: 'fact_achats', file: 'f.parquet', row: 102, column: 'date_achat', rule: 'type', value: '2025-02-30' },
    ]);
    expect(describeReport(report)).toEqual(['fact_achats.date_achat type: 2 row(s) (first: f.parquet row 101 value "2025/01/20 10:58:40")']);
  });
});
