// client_features, client_scores and dim_clients (GOLD_SPEC §4): one row per kept client,
// with or without purchases, ordered by id_client.
import type { CleanClients } from './clean-clients.js';
import type { ClientStats } from './client-stats.js';
import { type GoldColumn, type GoldTable, num, str } from './gold-table.js';
import { clip, minMax, quantile } from './numeric.js';
import { startOfDay, wholeDays } from './source-values.js';
import { HORIZON_DAYS, type SegmentLabel } from '../../src/catalog/gold-catalog.js';

export interface ClientFeatures {
  readonly table: GoldTable;
  readonly freq12: Float64Array;
  readonly monetary12: Float64Array;
  readonly products12: Float64Array;
  readonly recency: Float64Array;
  readonly tenure: Float64Array;
}

function ratioOrZero(sum: Float64Array, count: Float64Array): Float64Array {
  return sum.map((s, i) => ((count[i] as number) > 0 ? s / (count[i] as number) : 0));
}

/** Whole days from each date to ref; `fallback` where the date is null. */
function daysToRef(dates: Float64Array, ref: number, fallback: number): Float64Array {
  return dates.map((d) => (Number.isNaN(d) ? fallback : wholeDays(ref, d)));
}

export function buildClientFeatures(clients: CleanClients, s: ClientStats): ClientFeatures {
  const n = clients.ids.length;
  const recency = daysToRef(s.last, s.ref, HORIZON_DAYS);
  const tenure = daysToRef(s.first, s.ref, 0);
  const table: GoldTable = {
    name: 'client_features',
    rows: n,
    columns: [
      num('id_client', 'int64', clients.ids),
      num('freq_12m', 'int64', s.freq12),
      num('monetary_12m', 'double', s.monetary12),
      num('monetary_avg_12m', 'double', ratioOrZero(s.monetary12, s.freq12)),
      num('product_diversity_12m', 'int64', s.products12),
      num('last_purchase', 'timestamp', s.last),
      num('first_purchase', 'timestamp', s.first),
      num('recency_days', 'int64', recency),
      num('tenure_days', 'int64', tenure),
      num('total_orders_all', 'int64', s.ordersAll),
      num('total_spend_all', 'double', s.spendAll),
      num('avg_order_value_all', 'double', ratioOrZero(s.spendAll, s.ordersAll)),
      num('reference_date', 'timestamp', new Float64Array(n).fill(startOfDay(s.ref))),
    ],
  };
  return { table, freq12: s.freq12, monetary12: s.monetary12, products12: s.products12, recency, tenure };
}

export interface ClientScores {
  readonly table: GoldTable;
  readonly prob: Float64Array;
  readonly expected: Float64Array;
  readonly valueAtRisk: Float64Array;
  readonly segment: SegmentLabel[];
}

/** The 12-month propensity score, value and segment of every client (quantiles over all clients). */
export function buildClientScores(f: ClientFeatures): ClientScores {
  const n = f.freq12.length;
  const q95 = quantile(f.freq12, 0.95);
  const fr = minMax(f.freq12.map((x) => Math.min(x, q95)));
  const rr = minMax(f.recency.map((x) => Math.min(x, HORIZON_DAYS)));
  const mr = minMax(f.monetary12.map((x) => Math.max(x, 0)));
  const dr = minMax(f.products12);
  const monHi = quantile(f.monetary12, 0.75);
  const recHi = quantile(f.recency, 0.75);
  const recLo = quantile(f.recency, 0.25);
  const freqHi = quantile(f.freq12, 0.75);
  const dormantFreq = Math.max(1, 0.5 * freqHi);

  const prob = new Float64Array(n);
  const expected = new Float64Array(n);
  const valueAtRisk = new Float64Array(n);
  const segment: SegmentLabel[] = new Array<SegmentLabel>(n);
  for (let i = 0; i < n; i += 1) {
    const r = 1 - (rr[i] as number);
    // Same operation order as the reference (0.45 f + 0.30 r + 0.15 m + 0.10 d, left to right).
    const p = clip(0.45 * (fr[i] as number) + 0.3 * r + 0.15 * (mr[i] as number) + 0.1 * (dr[i] as number), 0, 1);
    const monetary = f.monetary12[i] as number;
    const recency = f.recency[i] as number;
    const monthsActive = clip(Math.max(f.tenure[i] as number, 1) / 30, 1, HORIZON_DAYS / 30);
    prob[i] = p;
    expected[i] = (monetary / monthsActive) * 12 * p;
    valueAtRisk[i] = monetary * (1 - p);
    if (p >= 0.65 && monetary >= monHi) segment[i] = 'VIP';
    else if (p >= 0.55 && recency <= recLo) segment[i] = 'Actifs';
    else if (monetary >= monHi && recency > recHi) segment[i] = 'A relancer';
    else if ((f.freq12[i] as number) <= dormantFreq && recency > recHi) segment[i] = 'Dormants';
    else segment[i] = 'A potentiel';
  }
  const columns: GoldColumn[] = [
    ...f.table.columns,
    num('prob_reachat_12m', 'double', prob),
    num('expected_value_12m', 'double', expected),
    num('value_at_risk_12m', 'double', valueAtRisk),
    str('segment_label', segment),
  ];
  return { table: { name: 'client_scores', rows: n, columns }, prob, expected, valueAtRisk, segment };
}

export function buildDimClients(clients: CleanClients, s: ClientStats): GoldTable {
  const n = clients.ids.length;
  const bought = (i: number): boolean => (s.ordersAll[i] as number) > 0;
  const orNull = (values: Float64Array): Float64Array => values.map((v, i) => (bought(i) ? v : Number.NaN));
  return {
    name: 'dim_clients',
    rows: n,
    columns: [
      num('id_client', 'int64', clients.ids),
      str('nom', clients.nom),
      str('email', clients.email),
      str('pays', clients.pays),
      num('date_inscription', 'timestamp', clients.inscription),
      num('first_purchase', 'timestamp', s.first),
      num('last_purchase', 'timestamp', s.last),
      num('recency_days', 'int64', daysToRef(s.last, s.ref, HORIZON_DAYS)),
      num('tenure_days', 'int64', clients.inscription.map((d) => wholeDays(s.ref, d))),
      num('total_orders', 'int64', orNull(s.ordersAll)),
      num('total_spend', 'double', orNull(s.spendAll)),
      num('avg_order_value', 'double', ratioOrZero(s.spendAll, s.ordersAll)),
      num('product_count', 'int64', orNull(s.productsAll)),
    ],
  };
}
