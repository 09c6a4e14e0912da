import { describe, expect, it } from 'vitest';
import {
  DATASETS,
  KPI_DOCUMENT,
  SEGMENT_LABELS,
  SYSTEM_COLLECTIONS,
  TABLES,
  VIEWS,
  catalogEndpoints,
  datasetByName,
  publishedCollections,
} from '../../../src/catalog/gold-catalog.js';

// GOLD_SPEC §2, transcribed: table → collection, unique key, endpoint, minimum (required) columns.
const SPEC_TABLES = {
  fact_achats: ['gold_fact_achats', 'id_achat', null, 'id_achat id_client date_achat montant produit mois pays'],
  dim_clients: [
    'gold_dim_clients',
    'id_client',
    null,
    'id_client nom email pays date_inscription first_purchase last_purchase recency_days tenure_days total_orders total_spend',
  ],
  client_features: [
    'gold_client_features',
    'id_client',
    null,
    'id_client freq_12m monetary_12m monetary_avg_12m recency_days tenure_days product_diversity_12m',
  ],
  client_scores: [
    'gold_client_scores',
    'id_client',
    '/scores',
    'id_client prob_reachat_12m expected_value_12m value_at_risk_12m segment_label recency_days freq_12m monetary_12m',
  ],
  segment_summary: ['gold_segment_summary', 'segment_label', '/segments', 'segment_label expected_value_12m clients'],
  ca_monthly: ['gold_monthly', 'mois', '/monthly', 'mois ca'],
  ca_country: ['gold_by_country', 'pays', '/by_country', 'pays ca'],
  ca_product: ['gold_by_product', 'produit', '/by_product', 'produit ca'],
  cohort_first_purchase: ['gold_cohort_first_purchase', 'first_purchase_month', '/cohort', 'first_purchase_month clients ca'],
} as const;

const SPEC_VIEWS = {
  daily: ['gold_daily', 'jour', '/daily', 'jour ca achats', 'fact_achats'],
  weekly: ['gold_weekly', 'semaine', '/weekly', 'semaine ca achats', 'fact_achats'],
  distribution: ['gold_distribution', 'bucket_index', '/distribution', 'bucket bucket_index min max count', 'fact_achats'],
  monthly_growth: ['gold_monthly_growth', 'mois', '/monthly_growth', 'mois ca prev_ca growth_abs growth_pct', 'ca_monthly'],
} as const;

const words = (s: string) => s.split(' ');

describe('the gold catalog', () => {
  it('lists exactly the nine gold tables of the spec, with their collections, keys, endpoints and minimum columns', () => {
    expect(TABLES.map((t) => t.name).sort()).toEqual(Object.keys(SPEC_TABLES).sort());
    for (const [name, [collection, key, endpoint, required]] of Object.entries(SPEC_TABLES)) {
      const spec = datasetByName(name);
      expect(spec.parquet).toBe(name);
      expect(spec.collection).toBe(collection);
      expect(spec.uniqueKey).toEqual([key]);
      expect(spec.endpoint?.path ?? null).toBe(endpoint);
      expect(spec.columns.filter((c) => c.required).map((c) => c.name).sort()).toEqual(words(required).sort());
    }
  });

  it('lists the four derived views with their sources, keys and exact columns', () => {
    expect(VIEWS.map((v) => v.name).sort()).toEqual(Object.keys(SPEC_VIEWS).sort());
    for (const [name, [collection, key, endpoint, cols, from]] of Object.entries(SPEC_VIEWS)) {
      const spec = datasetByName(name);
      expect(spec.collection).toBe(collection);
      expect(spec.uniqueKey).toEqual([key]);
      expect(spec.endpoint?.path).toBe(endpoint);
      expect(spec.columns.map((c) => c.name)).toEqual(words(cols));
      expect(spec.derivedFrom).toBe(from);
    }
  });

  it('gives client_scores every client_features column plus the four score columns', () => {
    const features = datasetByName('client_features').columns.map((c) => c.name);
    const scores = datasetByName('client_scores').columns.map((c) => c.name);
    expect(scores).toEqual([...features, 'prob_reachat_12m', 'expected_value_12m', 'value_at_risk_12m', 'segment_label']);
  });

  it('derives jour and annee of fact_achats from date_achat when the file lacks them', () => {
    const fact = datasetByName('fact_achats');
    expect(fact.mandatory).toBe(true);
    expect(fact.columns.filter((c) => c.derivable).map((c) => c.name)).toEqual(['jour', 'annee']);
  });

  it('attaches the value rules of the spec to the right columns', () => {
    const rule = (table: string, column: string) => datasetByName(table).columns.find((c) => c.name === column)?.rule;
    expect(rule('fact_achats', 'montant')).toBe('montant');
    expect(rule('client_scores', 'prob_reachat_12m')).toBe('probability');
    expect(rule('client_scores', 'segment_label')).toBe('segment');
    expect(rule('segment_summary', 'segment_label')).toBe('segment');
    for (const [table, column] of [
      ['dim_clients', 'total_spend'],
      ['dim_clients', 'recency_days'],
      ['client_features', 'freq_12m'],
      ['ca_monthly', 'ca'],
      ['cohort_first_purchase', 'clients'],
    ] as const) {
      expect(rule(table, column), `${table}.${column}`).toBe('nonNegative');
    }
    expect(SEGMENT_LABELS).toEqual(['VIP', 'Actifs', 'A relancer', 'Dormants', 'A potentiel']);
  });

  it('stores times as dates and days/months as the spec formats', () => {
    const type = (table: string, column: string) => datasetByName(table).columns.find((c) => c.name === column)?.type;
    expect(type('fact_achats', 'date_achat')).toBe('date');
    expect(type('fact_achats', 'jour')).toBe('day');
    expect(type('fact_achats', 'mois')).toBe('month');
    expect(type('weekly', 'semaine')).toBe('day');
    expect(type('dim_clients', 'first_purchase')).toBe('date');
    expect(type('client_features', 'reference_date')).toBe('date');
  });

  it('backs every unique key with a unique index and names no collection twice', () => {
    for (const spec of DATASETS) {
      const unique = spec.indexes.filter((i) => i.unique);
      expect(unique.map((i) => Object.keys(i.key)), spec.name).toEqual([spec.uniqueKey]);
      for (const index of spec.indexes) {
        for (const field of Object.keys(index.key)) {
          expect(spec.columns.some((c) => c.name === field), `${spec.name} index on ${field}`).toBe(true);
        }
      }
    }
    const all = [...publishedCollections(), SYSTEM_COLLECTIONS.meta, SYSTEM_COLLECTIONS.lock];
    expect(new Set(all).size).toBe(all.length);
  });

  it('sorts each endpoint by a column of its own dataset', () => {
    for (const spec of DATASETS) {
      for (const sort of spec.endpoint?.defaultSort ?? []) {
        expect(spec.columns.some((c) => c.name === sort.field), `${spec.endpoint?.path} sorts by ${sort.field}`).toBe(true);
      }
    }
    expect(datasetByName('client_scores').endpoint).toMatchObject({ defaultLimit: 5000, keyset: true });
    expect(datasetByName('daily').endpoint?.keyset).toBe(true);
  });

  it('exposes the twelve endpoints of the product', () => {
    expect(catalogEndpoints().sort()).toEqual(
      [
        '/health',
        '/kpis',
        '/monthly',
        '/monthly_growth',
        '/by_country',
        '/by_product',
        '/distribution',
        '/daily',
        '/weekly',
        '/segments',
        '/scores',
        '/cohort',
      ].sort(),
    );
    expect(KPI_DOCUMENT.fields.map((f) => f.name)).toEqual([
      'total_ca',
      'total_achats',
      'total_clients',
      'panier_moyen',
      'expected_total',
      'dataset_size',
    ]);
  });
});
