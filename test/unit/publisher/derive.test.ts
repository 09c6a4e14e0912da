import { describe, expect, it } from 'vitest';
import { dayString, mondayOf } from '../../../publisher/derive/calendar.js';
import { FactAggregator } from '../../../publisher/derive/fact-aggregator.js';
import { kpiDocument } from '../../../publisher/derive/kpis.js';
import { monthlyGrowth } from '../../../publisher/derive/monthly-growth.js';
import { GroupSums, neumaierSum } from '../../../publisher/derive/sums.js';

const ms = (iso: string): number => Date.parse(`${iso}Z`);

function aggregate(rows: Array<[date: string, montant: number, client: number]>, skip = new Uint8Array(0)) {
  const agg = new FactAggregator();
  agg.addBatch(rows.length, Float64Array.from(rows.map((r) => ms(r[0]))), Float64Array.from(rows.map((r) => r[1])), Float64Array.from(rows.map((r) => r[2])), skip);
  return agg.result();
}

describe('weeks', () => {
  it('start on Monday, including weeks that cross a year', () => {
    const day = (iso: string) => Math.floor(ms(iso) / 86_400_000);
    expect(dayString(mondayOf(day('2026-01-01T00:00:00')))).toBe('2025-12-29'); // a Thursday
    expect(dayString(mondayOf(day('2025-12-29T00:00:00')))).toBe('2025-12-29'); // a Monday
    expect(dayString(mondayOf(day('2026-01-04T00:00:00')))).toBe('2025-12-29'); // a Sunday
    expect(dayString(mondayOf(day('1969-12-31T00:00:00')))).toBe('1969-12-29'); // before the epoch
  });
});

describe('fact views', () => {
  it('sums daily and weekly ca and counts, sorted by day, across a year boundary', () => {
    const v = aggregate([
      ['2026-01-05T09:00:00', 5, 3],
      ['2025-12-31T23:59:59', 10, 1],
      ['2026-01-01T00:00:00', 20, 2],
      ['2026-01-01T12:00:00', 30, 1],
    ]);
    expect(v.daily).toEqual([
      { key: '2025-12-31', ca: 10, achats: 1 },
      { key: '2026-01-01', ca: 50, achats: 2 },
      { key: '2026-01-05', ca: 5, achats: 1 },
    ]);
    expect(v.weekly).toEqual([
      { key: '2025-12-29', ca: 60, achats: 3 },
      { key: '2026-01-05', ca: 5, achats: 1 },
    ]);
    expect(v.totals).toEqual({ totalCa: 65, totalAchats: 4, totalClients: 3 });
    expect(v.distribution.reduce((n, b) => n + b.count, 0)).toBe(4);
  });

  it('ignores skipped rows everywhere', () => {
    const v = aggregate(
      [
        ['2026-01-01T00:00:00', 20, 2],
        ['2026-01-02T00:00:00', 30, 9],
      ],
      Uint8Array.from([0, 1]),
    );
    expect(v.totals).toEqual({ totalCa: 20, totalAchats: 1, totalClients: 1 });
    expect(v.daily).toHaveLength(1);
  });

  it('computes the KPI document, with panier_moyen 0 and no distribution when there are no purchases', () => {
    const v = aggregate([]);
    expect(v.distribution).toEqual([]);
    expect(kpiDocument(v.totals, null)).toEqual({ _id: 'kpis', total_ca: 0, total_achats: 0, total_clients: 0, panier_moyen: 0, expected_total: null, dataset_size: 0 });
    expect(kpiDocument({ totalCa: 90, totalAchats: 4, totalClients: 2 }, 12.5)).toMatchObject({ panier_moyen: 22.5, expected_total: 12.5, dataset_size: 4 });
  });
});

describe('monthly growth', () => {
  it('sorts by month; the first month has no previous, a zero previous gives no percentage', () => {
    expect(
      monthlyGrowth([
        { mois: '2026-02', ca: 150 },
        { mois: '2025-12', ca: 0 },
        { mois: '2026-01', ca: 100 },
      ]),
    ).toEqual([
      { mois: '2025-12', ca: 0, prev_ca: null, growth_abs: null, growth_pct: null },
      { mois: '2026-01', ca: 100, prev_ca: 0, growth_abs: 100, growth_pct: null },
      { mois: '2026-02', ca: 150, prev_ca: 100, growth_abs: 50, growth_pct: 0.5 },
    ]);
  });

  it('gives nothing for no months', () => {
    expect(monthlyGrowth([])).toEqual([]);
  });
});

describe('compensated sums', () => {
  it('recovers what a naive double sum loses', () => {
    const values = [1e16, 1, -1e16, 0.1, 0.2];
    expect(values.reduce((a, b) => a + b, 0)).not.toBeCloseTo(1.3, 10);
    expect(neumaierSum(values)).toBeCloseTo(1.3, 12);
    const g = new GroupSums();
    for (let i = 0; i < 100; i++) g.addGroup();
    for (const x of values) g.add(99, x);
    expect(g.sum(99)).toBeCloseTo(1.3, 12);
    expect(g.count(99)).toBe(5);
  });
});
