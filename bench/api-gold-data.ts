// Synthetic gold for the API benchmark: purchases and clients drawn from a seeded PRNG, then
// every gold table, view, KPI and meta document derived from them the way GOLD_SPEC §3–4 says
// (scores use the spec's formula without the q95 cap). Shapes follow the catalog exactly.
import type { Db } from 'mongodb';
import { DATASETS, KPI_DOCUMENT, SYSTEM_COLLECTIONS, type DatasetSpec } from '../src/catalog/gold-catalog.js';
import { createRandom } from '../tools/generator/prng.js';

const COUNTRIES = ['France', 'Belgique', 'Suisse', 'Canada', 'Uk', 'Allemagne', 'Espagne', 'Italie'];
const PRODUCTS = ['Lave-Linge', 'Refrigerateur', 'Four', 'Micro-Ondes', 'Lave-Vaisselle', 'Aspirateur', 'Seche-Linge', 'Cafetiere', 'Plaque Induction', 'Congelateur'];
const DAY_MS = 86_400_000;
const START = Date.UTC(2023, 0, 1);
const END = Date.UTC(2026, 0, 20, 10, 39, 43);

type Row = Record<string, unknown>;
export type GoldData = Readonly<Record<string, readonly Row[]>>;

/** Seeded uniform [0, 1) numbers: the generator's PRNG, so benchmark data is reproducible. */
function prng(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.next();
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const month = (d: Date) => d.toISOString().slice(0, 7);
const r2 = (x: number) => Math.round(x * 100) / 100;
const quantile = (sorted: number[], q: number) => {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (pos - lo);
};
const minmax = (values: number[]) => {
  const lo = values.reduce((a, b) => Math.min(a, b), Infinity);
  const hi = values.reduce((a, b) => Math.max(a, b), -Infinity);
  return (x: number) => (hi === lo ? 0 : Math.min(1, Math.max(0, (x - lo) / (hi - lo))));
};

function sumBy(rows: readonly Row[], key: (r: Row) => string): Map<string, { ca: number; achats: number }> {
  const out = new Map<string, { ca: number; achats: number }>();
  for (const r of rows) {
    const k = key(r);
    const acc = out.get(k) ?? { ca: 0, achats: 0 };
    acc.ca += r.montant as number;
    acc.achats++;
    out.set(k, acc);
  }
  return out;
}

export function generateGold(clients: number, purchases: number, seed = 42): GoldData {
  const rand = prng(seed);
  const clientPays = Array.from({ length: clients }, () => COUNTRIES[Math.floor(rand() * COUNTRIES.length)]!);
  // Timestamps are drawn in increasing order (no 1M-row sort) and day strings are memoised per
  // calendar day: at 1M purchases, per-row Date formatting dominated the generation time.
  const days = new Map<number, { jour: string; mois: string; semaine: string; annee: number }>();
  const dayInfo = (t: number) => {
    const n = Math.floor(t / DAY_MS);
    let info = days.get(n);
    if (!info) {
      const d = new Date(n * DAY_MS);
      const mondayMs = (n - ((d.getUTCDay() + 6) % 7)) * DAY_MS;
      info = { jour: day(d), mois: month(d), semaine: day(new Date(mondayMs)), annee: d.getUTCFullYear() };
      days.set(n, info);
    }
    return info;
  };
  const fact: Row[] = [];
  const step = (END - START) / Math.max(1, purchases);
  for (let i = 0; i < purchases; i++) {
    const id_client = 1 + Math.floor(rand() ** 1.5 * clients);
    const t = i === purchases - 1 ? END : Math.floor(START + step * (i + rand()));
    const info = dayInfo(t);
    const montant = r2(20 + rand() ** 3 * 4000);
    fact.push({ id_achat: i + 1, id_client, date_achat: new Date(t), montant, produit: PRODUCTS[Math.floor(rand() * PRODUCTS.length)]!, pays: clientPays[id_client - 1]!, jour: info.jour, mois: info.mois, annee: info.annee });
  }
  const ref = END;
  const windowStart = ref - 365 * DAY_MS;
  const refMidnight = new Date(Math.floor(ref / DAY_MS) * DAY_MS);

  const daily = [...sumBy(fact, (r) => r.jour as string)].sort().map(([jour, v]) => ({ jour, ca: v.ca, achats: v.achats }));
  const monday = (r: Row) => dayInfo((r.date_achat as Date).getTime()).semaine;
  const weekly = [...sumBy(fact, monday)].sort().map(([semaine, v]) => ({ semaine, ca: v.ca, achats: v.achats }));
  const monthly = [...sumBy(fact, (r) => r.mois as string)].sort().map(([mois, v]) => ({ mois, ca: v.ca }));
  const growth = monthly.map((m, i) => {
    const prev = i > 0 ? monthly[i - 1]!.ca : null;
    return { mois: m.mois, ca: m.ca, prev_ca: prev, growth_abs: prev === null ? null : m.ca - prev, growth_pct: prev ? (m.ca - prev) / prev : null };
  });
  const byCa = (m: Map<string, { ca: number }>, key: string) => [...m].map(([k, v]) => ({ [key]: k, ca: v.ca })).sort((a, b) => b.ca - a.ca);
  const country = byCa(sumBy(fact, (r) => r.pays as string), 'pays');
  const product = byCa(sumBy(fact, (r) => r.produit as string), 'produit');

  const amounts = fact.map((r) => r.montant as number);
  const lo = amounts.reduce((a, b) => Math.min(a, b), Infinity);
  const hi = amounts.reduce((a, b) => Math.max(a, b), -Infinity);
  const width = (hi - lo) / 12;
  const edges = Array.from({ length: 13 }, (_, i) => lo + width * i);
  edges[0] = lo - (hi - lo) * 0.001;
  const counts = new Array<number>(12).fill(0);
  for (const a of amounts) counts[Math.min(11, Math.max(0, Math.ceil((a - lo) / width) - 1))]!++;
  const distribution = counts.map((count, i) => ({ bucket: `(${edges[i]!.toFixed(3)}, ${edges[i + 1]!.toFixed(3)}]`, bucket_index: i, min: edges[i]!, max: edges[i + 1]!, count }));

  const per = Array.from({ length: clients }, () => ({ first: Infinity, last: -Infinity, orders: 0, spend: 0, f12: 0, m12: 0, prods: new Set<string>() }));
  for (const r of fact) {
    const p = per[(r.id_client as number) - 1]!;
    const t = (r.date_achat as Date).getTime();
    p.first = Math.min(p.first, t);
    p.last = Math.max(p.last, t);
    p.orders++;
    p.spend += r.montant as number;
    if (t >= windowStart) {
      p.f12++;
      p.m12 += r.montant as number;
      p.prods.add(r.produit as string);
    }
  }
  const features = per.map((p, i) => {
    const bought = p.orders > 0;
    const recency = bought ? Math.floor((ref - p.last) / DAY_MS) : 365;
    const tenure = bought ? Math.floor((ref - p.first) / DAY_MS) : 0;
    return {
      id_client: i + 1, freq_12m: p.f12, monetary_12m: p.m12, monetary_avg_12m: p.f12 ? p.m12 / p.f12 : 0, product_diversity_12m: p.prods.size,
      last_purchase: bought ? new Date(p.last) : null, first_purchase: bought ? new Date(p.first) : null, recency_days: recency, tenure_days: tenure,
      total_orders_all: p.orders, total_spend_all: p.spend, avg_order_value_all: p.orders ? p.spend / p.orders : 0, reference_date: refMidnight,
    };
  });
  const fN = minmax(features.map((f) => f.freq_12m));
  const rN = minmax(features.map((f) => Math.min(f.recency_days, 365)));
  const mN = minmax(features.map((f) => f.monetary_12m));
  const dN = minmax(features.map((f) => f.product_diversity_12m));
  const sorted = (k: 'monetary_12m' | 'recency_days' | 'freq_12m') => features.map((f) => f[k]).sort((a, b) => a - b);
  const [monHi, recHi, recLo, freqHi] = [quantile(sorted('monetary_12m'), 0.75), quantile(sorted('recency_days'), 0.75), quantile(sorted('recency_days'), 0.25), quantile(sorted('freq_12m'), 0.75)];
  const scores = features.map((f) => {
    const prob = Math.min(1, Math.max(0, 0.45 * fN(f.freq_12m) + 0.3 * (1 - rN(Math.min(f.recency_days, 365))) + 0.15 * mN(f.monetary_12m) + 0.1 * dN(f.product_diversity_12m)));
    const months = Math.min(365 / 30, Math.max(1, Math.max(f.tenure_days, 1) / 30));
    const segment_label =
      prob >= 0.65 && f.monetary_12m >= monHi ? 'VIP'
      : prob >= 0.55 && f.recency_days <= recLo ? 'Actifs'
      : f.monetary_12m >= monHi && f.recency_days > recHi ? 'A relancer'
      : f.freq_12m <= Math.max(1, 0.5 * freqHi) && f.recency_days > recHi ? 'Dormants' : 'A potentiel';
    return { ...f, prob_reachat_12m: prob, expected_value_12m: (f.monetary_12m / months) * 12 * prob, value_at_risk_12m: f.monetary_12m * (1 - prob), segment_label };
  });
  const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
  const segments = [...new Set(scores.map((s) => s.segment_label))].map((label) => {
    const members = scores.filter((s) => s.segment_label === label);
    const sum = (k: 'monetary_12m' | 'expected_value_12m' | 'value_at_risk_12m') => members.reduce((a, s) => a + s[k], 0);
    return { segment_label: label, clients: members.length, ca_12m: sum('monetary_12m'), expected_value_12m: sum('expected_value_12m'), value_at_risk_12m: sum('value_at_risk_12m'), freq_med: median(members.map((s) => s.freq_12m)), recency_med: median(members.map((s) => s.recency_days)) };
  });
  const cohorts = new Map<string, { clients: number; ca: number }>();
  for (const p of per) {
    if (p.orders === 0) continue;
    const k = month(new Date(p.first));
    const c = cohorts.get(k) ?? { clients: 0, ca: 0 };
    c.clients++;
    c.ca += p.spend;
    cohorts.set(k, c);
  }
  const cohort = [...cohorts].sort().map(([first_purchase_month, v]) => ({ first_purchase_month, ...v }));
  const dim = features.map((f, i) => ({
    id_client: f.id_client, nom: `Client ${f.id_client}`, email: `client${f.id_client}@example.com`, pays: clientPays[i]!, date_inscription: new Date(START - 30 * DAY_MS),
    first_purchase: f.first_purchase, last_purchase: f.last_purchase, recency_days: f.recency_days, tenure_days: Math.floor((ref - START + 30 * DAY_MS) / DAY_MS),
    total_orders: f.total_orders_all || null, total_spend: f.total_orders_all ? f.total_spend_all : null, avg_order_value: f.avg_order_value_all, product_count: per[i]!.prods.size,
  }));
  return {
    fact_achats: fact, dim_clients: dim, client_features: features, client_scores: scores, segment_summary: segments, ca_monthly: monthly, ca_country: country,
    ca_product: product, cohort_first_purchase: cohort, daily, weekly, distribution, monthly_growth: growth,
  };
}

export function kpisOf(data: GoldData): Row {
  const fact = data.fact_achats ?? [];
  const total_ca = fact.reduce((a, r) => a + (r.montant as number), 0);
  return {
    total_ca, total_achats: fact.length, total_clients: new Set(fact.map((r) => r.id_client)).size, panier_moyen: fact.length ? total_ca / fact.length : 0,
    expected_total: (data.client_scores ?? []).reduce((a, r) => a + (r.expected_value_12m as number), 0), dataset_size: fact.length,
  };
}

const idOf = (spec: DatasetSpec, row: Row) => (spec.uniqueKey.length === 1 ? row[spec.uniqueKey[0]!] : spec.uniqueKey.map((k) => row[k]).join('|'));

export const documentId = idOf;

/**
 * Writes the documents the publisher would write (`_id` = unique key), then KPIs, then meta.
 * Datasets named in `skip` are left to the caller (the benchmark bulk-loads 1M facts directly).
 */
export async function insertGold(db: Db, data: GoldData, version: string, skip: readonly string[] = []): Promise<void> {
  for (const spec of DATASETS) {
    if (skip.includes(spec.name)) continue;
    const rows = data[spec.name] ?? [];
    const coll = db.collection(spec.collection);
    await coll.deleteMany({});
    for (let i = 0; i < rows.length; i += 10_000) {
      await coll.insertMany(rows.slice(i, i + 10_000).map((r) => ({ _id: idOf(spec, r) as never, ...r })), { ordered: false });
    }
    for (const ix of spec.indexes) await coll.createIndex({ ...ix.key }, { name: ix.name, unique: ix.unique ?? false });
  }
  await db.collection(KPI_DOCUMENT.collection).replaceOne({ _id: 'kpis' as never }, kpisOf(data), { upsert: true });
  const collections = Object.fromEntries(DATASETS.map((d) => [d.collection, data[d.name]?.length ?? 0]));
  await db.collection(SYSTEM_COLLECTIONS.meta).replaceOne({ _id: 'current' as never }, { version, published_at: new Date(), tables: {}, collections }, { upsert: true });
}
