// Derived money values are exact to the cent when every input is a whole number of cents:
// double sums of 2-decimal amounts carry binary noise (0.1 + 0.2 = 0.30000000000000004), which
// the published views must not (the product promises "correct to the cent").
import { describe, expect, it } from 'vitest';
import { FactAggregator } from '../../../publisher/derive/fact-aggregator.js';
import { kpiDocument } from '../../../publisher/derive/kpis.js';
import { monthlyGrowth } from '../../../publisher/derive/monthly-growth.js';
import { GroupSums, moneyDifference, neumaierSum, wholeCents } from '../../../publisher/derive/sums.js';

type Row = [date: string, montant: number, client: number];

const ms = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)), Number(iso.slice(11, 13) || 0));

/** One aggregator fed `rows` in batches of `batchSize` (the parallel load hands over one row group at a time). */
function aggregate(rows: readonly Row[], batchSize = rows.length) {
  const agg = new FactAggregator();
  for (let start = 0; start < rows.length; start += Math.max(1, batchSize)) {
    const part = rows.slice(start, start + Math.max(1, batchSize));
    agg.addBatch(part.length, Float64Array.from(part, (r) => ms(r[0])), Float64Array.from(part, (r) => r[1]), Float64Array.from(part, (r) => r[2]), new Uint8Array(0));
  }
  return agg.result();
}

describe('whole cents', () => {
  it('recognise 2-decimal amounts as read from Parquet and nothing finer', () => {
    expect(wholeCents(0.1)).toBe(10);
    expect(wholeCents(20740.17)).toBe(2_074_017);
    expect(wholeCents(9999.99)).toBe(999_999);
    expect(wholeCents(-12.35)).toBe(-1235);
    expect(wholeCents(0.30000000000000004)).toBeNaN();
    expect(wholeCents(1.005)).toBeNaN();
    expect(wholeCents(Number.NaN)).toBeNaN();
    expect(wholeCents(Number.POSITIVE_INFINITY)).toBeNaN();
  });
});

describe('fact money sums', () => {
  it('give 0.3 for 0.1 + 0.2, where a double sum gives 0.30000000000000004', () => {
    expect(0.1 + 0.2).toBe(0.30000000000000004);
    const v = aggregate([
      ['2026-01-05T09', 0.1, 1],
      ['2026-01-05T10', 0.2, 2],
    ]);
    expect(v.daily).toEqual([{ key: '2026-01-05', ca: 0.3, achats: 2 }]);
    expect(v.weekly).toEqual([{ key: '2026-01-05', ca: 0.3, achats: 2 }]);
    expect(v.totals.totalCa).toBe(0.3);
  });

  it('give the seed day of 2025-01-29 its exact 20740.17, where even a compensated sum gives 20740.170000000002', () => {
    // Three amounts whose doubles add up, compensated or not, one ulp above 20740.17 — as the
    // 80 seed purchases of that day did.
    const amounts = [6029.47, 5000, 9710.7];
    expect(neumaierSum(amounts)).toBe(20740.170000000002);
    const v = aggregate(amounts.map((x, i): Row => ['2025-01-29T0' + String(i + 1), x, i]));
    expect(v.daily).toEqual([{ key: '2025-01-29', ca: 20740.17, achats: 3 }]);
    expect(v.totals.totalCa).toBe(20740.17);
  });

  it('are exact for many small amounts and for totals near 1e12 cents', () => {
    const tenths: Row[] = Array.from({ length: 10_000 }, (_, i): Row => ['2026-01-05T09', 0.1, i]);
    expect(aggregate(tenths).totals.totalCa).toBe(1000);
    const big: Row[] = Array.from({ length: 1000 }, (_, i): Row => ['2026-01-05T09', 9_999_999.99, i]);
    expect(aggregate(big).totals.totalCa).toBe(9_999_999_990); // 999,999,999,000 cents
  });

  it('give the same result whatever the batching or the order of the rows', () => {
    const amounts = [0.1, 0.2, 0.7, 19.99, 6029.47, 5000, 9710.7, 0.01, 123.45, 333.33];
    const rows = amounts.map((x, i): Row => [`2026-01-0${(i % 3) + 5}T1${i % 10}`, x, i]);
    const whole = aggregate(rows);
    expect(aggregate(rows, 1)).toEqual(whole);
    expect(aggregate(rows, 3)).toEqual(whole);
    expect(aggregate([...rows].reverse())).toEqual(whole);
    expect(whole.totals.totalCa).toBe(21217.95);
  });

  it('keep the compensated double sum, unrounded, when an amount has more than 2 decimals', () => {
    const amounts = [0.1, 0.2, 0.005];
    const v = aggregate(amounts.map((x, i): Row => ['2026-01-05T09', x, i]));
    expect(v.totals.totalCa).toBe(neumaierSum(amounts));
    expect(v.totals.totalCa).toBe(0.305); // not rounded to the cent
    // Only the group holding the finer amount falls back; the others stay exact.
    const mixed = aggregate([
      ['2026-01-05T09', 0.1, 1],
      ['2026-01-05T10', 0.2, 2],
      ['2026-01-12T10', 1.0005, 3],
    ]);
    expect(mixed.daily.map((r) => r.ca)).toEqual([0.3, 1.0005]);
    expect(mixed.totals.totalCa).toBe(neumaierSum([0.1, 0.2, 1.0005]));
  });

  it('fall back to the compensated sum when the cents would leave the exact integers of a double', () => {
    const g = new GroupSums();
    g.addGroup();
    g.add(0, 9e13); // 9e15 cents: exact
    expect(g.sum(0)).toBe(9e13);
    g.add(0, 1e12); // 9.1e15 cents > 2^53
    expect(g.sum(0)).toBe(neumaierSum([9e13, 1e12]));
  });

  it('feed total_ca to the KPIs; panier_moyen is their unrounded mean', () => {
    const v = aggregate([
      ['2026-01-05T09', 0.1, 1],
      ['2026-01-05T10', 0.2, 2],
      ['2026-01-06T10', 0.7, 2],
    ]);
    const kpis = kpiDocument(v.totals, null);
    expect(kpis.total_ca).toBe(1);
    expect(kpis.panier_moyen).toBe(1 / 3);
  });
});

describe('monthly growth money', () => {
  it('gives growth_abs exact to the cent (seed February 2025: 257661.41, not 257661.41000000003) and growth_pct as the unrounded ratio', () => {
    expect(460725.15 - 203063.74).toBe(257661.41000000003);
    const [, second] = monthlyGrowth([
      { mois: '2025-01', ca: 203063.74 },
      { mois: '2025-02', ca: 460725.15 },
    ]);
    expect(second).toEqual({ mois: '2025-02', ca: 460725.15, prev_ca: 203063.74, growth_abs: 257661.41, growth_pct: 257661.41 / 203063.74 });
  });

  it('is exact for decreases and small values too', () => {
    expect(0.3 - 0.1).toBe(0.19999999999999998);
    expect(monthlyGrowth([{ mois: '2025-01', ca: 0.1 }, { mois: '2025-02', ca: 0.3 }, { mois: '2025-03', ca: 0.1 }]).map((r) => r.growth_abs)).toEqual([null, 0.2, -0.2]);
    expect(moneyDifference(4691.11, 262352.52)).toBe(-257661.41);
  });

  it('keeps the plain difference when a ca has more than 2 decimals (as producers with noisy sums write)', () => {
    const [, second] = monthlyGrowth([
      { mois: '2024-11', ca: 890.4000000000001 },
      { mois: '2024-12', ca: 1393.82 },
    ]);
    expect(second?.growth_abs).toBe(1393.82 - 890.4000000000001);
    expect(second?.growth_pct).toBe((1393.82 - 890.4000000000001) / 890.4000000000001);
  });
});
