// The aggregate gold tables (GOLD_SPEC §4): ca_monthly, ca_country, ca_product,
// cohort_first_purchase and segment_summary.
import type { ClientScores, ClientFeatures } from './client-tables.js';
import type { ClientStats } from './client-stats.js';
import type { CalendarCache } from './fact-table.js';
import { type GoldTable, num, str } from './gold-table.js';
import { groupSum, median } from './numeric.js';
import { SEGMENT_LABELS } from '../../src/catalog/gold-catalog.js';

interface Grouped {
  readonly keys: string[];
  readonly group: Int32Array;
}

/** Dense group codes for a string column, in order of first appearance. */
function groupBy(values: readonly string[]): Grouped {
  const index = new Map<string, number>();
  const group = new Int32Array(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i] as string;
    let g = index.get(v);
    if (g === undefined) {
      g = index.size;
      index.set(v, g);
    }
    group[i] = g;
  }
  return { keys: [...index.keys()], group };
}

const byKeyAsc = (keys: readonly string[]) => (a: number, b: number) => ((keys[a] as string) < (keys[b] as string) ? -1 : (keys[a] as string) > (keys[b] as string) ? 1 : 0);

/** Σ montant per key of `keyColumn` (rows of the fact table), sorted as asked. */
export function revenueBy(
  name: string,
  keyName: string,
  keyColumn: readonly string[],
  montant: Float64Array,
  sort: 'key-asc' | 'ca-desc',
): GoldTable {
  const { keys, group } = groupBy(keyColumn);
  const ca = groupSum(montant, group, keys.length);
  const asc = byKeyAsc(keys);
  const order = keys.map((_, g) => g).sort(sort === 'key-asc' ? asc : (a, b) => (ca[b] as number) - (ca[a] as number) || asc(a, b));
  return {
    name,
    rows: keys.length,
    columns: [str(keyName, order.map((g) => keys[g] as string)), num('ca', 'double', Float64Array.from(order, (g) => ca[g] as number))],
  };
}

/** Clients by the month of their first purchase, with Σ montant of all their purchases. */
export function buildCohorts(stats: ClientStats, purchaseClient: Int32Array, montant: Float64Array, calendar: CalendarCache): GoldTable {
  const months = new Map<string, number>();
  const clientCohort = new Int32Array(stats.first.length).fill(-1);
  stats.first.forEach((first, c) => {
    if (Number.isNaN(first)) return;
    const mois = calendar.of(first).mois;
    let g = months.get(mois);
    if (g === undefined) {
      g = months.size;
      months.set(mois, g);
    }
    clientCohort[c] = g;
  });
  const keys = [...months.keys()];
  const clients = new Float64Array(keys.length);
  for (const g of clientCohort) if (g >= 0) clients[g] = (clients[g] as number) + 1;
  const purchaseGroup = purchaseClient.map((c) => clientCohort[c] as number);
  const ca = groupSum(montant, purchaseGroup, keys.length);
  const order = keys.map((_, g) => g).sort(byKeyAsc(keys));
  return {
    name: 'cohort_first_purchase',
    rows: keys.length,
    columns: [
      str('first_purchase_month', order.map((g) => keys[g] as string)),
      num('clients', 'int64', Float64Array.from(order, (g) => clients[g] as number)),
      num('ca', 'double', Float64Array.from(order, (g) => ca[g] as number)),
    ],
  };
}

/** One row per segment present, sorted by Σ expected_value_12m descending. */
export function buildSegmentSummary(f: ClientFeatures, s: ClientScores): GoldTable {
  const group = Int32Array.from(s.segment, (label) => SEGMENT_LABELS.indexOf(label));
  const groups = SEGMENT_LABELS.length;
  const clients = new Float64Array(groups);
  const ca12 = groupSum(f.monetary12, group, groups, clients);
  const expected = groupSum(s.expected, group, groups);
  const risk = groupSum(s.valueAtRisk, group, groups);
  const members = (g: number, values: Float64Array): Float64Array => values.filter((_, i) => group[i] === g);
  const present = SEGMENT_LABELS.map((_, g) => g).filter((g) => (clients[g] as number) > 0);
  present.sort((a, b) => (expected[b] as number) - (expected[a] as number) || a - b);
  const pick = (values: Float64Array): Float64Array => Float64Array.from(present, (g) => values[g] as number);
  return {
    name: 'segment_summary',
    rows: present.length,
    columns: [
      str('segment_label', present.map((g) => SEGMENT_LABELS[g] as string)),
      num('clients', 'int64', pick(clients)),
      num('ca_12m', 'double', pick(ca12)),
      num('expected_value_12m', 'double', pick(expected)),
      num('value_at_risk_12m', 'double', pick(risk)),
      num('freq_med', 'double', Float64Array.from(present, (g) => median(members(g, f.freq12)))),
      num('recency_med', 'double', Float64Array.from(present, (g) => median(members(g, f.recency)))),
    ],
  };
}
