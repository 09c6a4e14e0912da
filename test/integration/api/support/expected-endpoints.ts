// Independent computation of every endpoint's payload from the gold tables' expected rows
// (test/fixtures/gold/expected/<table>.json), following GOLD_SPEC §3 directly — never from
// MongoDB and never with the publisher's code.
import { expect } from 'vitest';

export type Row = Record<string, unknown>;
export type Tables = Readonly<Record<string, readonly Row[]>>;

const num = (v: unknown) => Number(v);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const dayOf = (row: Row) => (typeof row.jour === 'string' ? row.jour : new Date(row.date_achat as string).toISOString().slice(0, 10));
const byKey = <T extends Row>(rows: T[], key: string, dir: 1 | -1 = 1) =>
  [...rows].sort((a, b) => (a[key]! < b[key]! ? -dir : a[key]! > b[key]! ? dir : 0));

function groupSum(rows: readonly Row[], key: (r: Row) => string) {
  const out = new Map<string, { ca: number; achats: number }>();
  for (const r of rows) {
    const g = out.get(key(r)) ?? { ca: 0, achats: 0 };
    g.ca += num(r.montant);
    g.achats += 1;
    out.set(key(r), g);
  }
  return out;
}

function mondayOf(jour: string): string {
  const t = Date.parse(`${jour}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
}

/** Orders by `field` (asc/desc) then by the unique key ascending, as the API documents. */
function ordered(rows: readonly Row[], field: string, dir: 'asc' | 'desc', key: string): Row[] {
  const s = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [x, y] = [a[field] as number | string, b[field] as number | string];
    if (x !== y) return x < y ? -s : s;
    return (a[key] as number | string) < (b[key] as number | string) ? -1 : 1;
  });
}

export function expectedKpis(t: Tables): Row {
  const fact = t.fact_achats ?? [];
  const totalCa = sum(fact.map((r) => num(r.montant)));
  return {
    total_ca: totalCa,
    total_achats: fact.length,
    total_clients: new Set(fact.map((r) => r.id_client)).size,
    panier_moyen: fact.length ? totalCa / fact.length : 0,
    expected_total: t.client_scores ? sum(t.client_scores.map((r) => num(r.expected_value_12m))) : null,
    dataset_size: fact.length,
  };
}

export function expectedDistribution(fact: readonly Row[]): Row[] {
  const amounts = fact.map((r) => num(r.montant));
  const lo = Math.min(...amounts);
  const hi = Math.max(...amounts);
  const width = (hi - lo) / 12;
  const edges = Array.from({ length: 13 }, (_, i) => (i === 12 ? hi : lo + width * i));
  edges[0] = lo - (hi - lo) * 0.001;
  return Array.from({ length: 12 }, (_, i) => ({
    bucket_index: i,
    min: edges[i]!,
    max: edges[i + 1]!,
    // right-closed (lo, hi]; the first edge is lowered so the minimum falls inside
    count: amounts.filter((a) => a > edges[i]! && a <= edges[i + 1]!).length,
  }));
}

/** Expected `data` of each list endpoint with its default order and limit. */
export function expectedLists(t: Tables): Record<string, Row[]> {
  const fact = t.fact_achats ?? [];
  const monthly = byKey([...(t.ca_monthly ?? [])], 'mois').map((r) => ({ mois: r.mois, ca: num(r.ca) }));
  const daily = [...groupSum(fact, dayOf)].map(([jour, g]) => ({ jour, ca: g.ca, achats: g.achats }));
  const weekly = [...groupSum(fact, (r) => mondayOf(dayOf(r)))].map(([semaine, g]) => ({ semaine, ca: g.ca, achats: g.achats }));
  const scores = (t.client_scores ?? []).map((r) => ({ ...r, last_purchase: iso(r.last_purchase), first_purchase: iso(r.first_purchase), reference_date: iso(r.reference_date) }));
  return {
    '/monthly': monthly,
    '/monthly_growth': monthly.map((m, i) => {
      const prev = i === 0 ? null : monthly[i - 1]!.ca;
      return { mois: m.mois, ca: m.ca, prev_ca: prev, growth_abs: prev === null ? null : m.ca - prev, growth_pct: prev === null || prev === 0 ? null : (m.ca - prev) / prev };
    }),
    '/by_country': ordered(t.ca_country ?? [], 'ca', 'desc', 'pays'),
    '/by_product': ordered(t.ca_product ?? [], 'ca', 'desc', 'produit'),
    '/distribution': expectedDistribution(fact),
    '/daily': byKey(daily, 'jour'),
    '/weekly': byKey(weekly, 'semaine'),
    '/segments': ordered(t.segment_summary ?? [], 'expected_value_12m', 'desc', 'segment_label'),
    '/scores': ordered(scores, 'expected_value_12m', 'desc', 'id_client').slice(0, 5000),
    '/cohort': byKey([...(t.cohort_first_purchase ?? [])], 'first_purchase_month'),
  };
}

/**
 * Same rows in the same order; numbers equal up to float summation order (or an absolute
 * tolerance per field), other values exactly.
 */
export function expectRowsMatch(actual: readonly Row[], expected: readonly Row[], label: string, absTolerance: Readonly<Record<string, number>> = {}): void {
  expect(actual.length, `${label}: row count`).toBe(expected.length);
  actual.forEach((row, i) => {
    const want = expected[i]!;
    for (const [field, value] of Object.entries(want)) {
      const got = row[field];
      if (typeof value === 'number' && typeof got === 'number') {
        expect(Math.abs(got - value), `${label}[${i}].${field}: ${got} vs ${value}`).toBeLessThanOrEqual(absTolerance[field] ?? 1e-6 * Math.max(1, Math.abs(value)));
      } else {
        expect(got, `${label}[${i}].${field}`).toEqual(value);
      }
    }
  });
}
