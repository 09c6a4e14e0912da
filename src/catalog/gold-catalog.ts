// The one declarative description of gold (GOLD_SPEC §2–3): Parquet tables and derived views,
// their MongoDB collections, columns, keys, indexes and API endpoints. Publisher, API,
// validation and the OpenAPI consistency test all read it; collection names appear nowhere else.

/** Storage type of a column once normalised for MongoDB/Metabase. */
export const COLUMN_TYPES = Object.freeze({
  int: 'int', // whole number stored as a JS number (int32/double in BSON), never Long/string
  double: 'double',
  string: 'string',
  date: 'date', // BSON Date (naive UTC)
  day: 'day', // 'YYYY-MM-DD' string
  month: 'month', // 'YYYY-MM' string
} as const);
export type ColumnType = (typeof COLUMN_TYPES)[keyof typeof COLUMN_TYPES];

/** Value rules of GOLD_SPEC §2, by name. */
export const VALUE_RULES = Object.freeze({
  montant: 'montant', // 0 < x ≤ 10,000
  nonNegative: 'nonNegative', // amounts, counts and days ≥ 0
  probability: 'probability', // 0 ≤ x ≤ 1
  segment: 'segment', // one of SEGMENT_LABELS
} as const);
export type ValueRule = (typeof VALUE_RULES)[keyof typeof VALUE_RULES];

export const SEGMENT_LABELS = Object.freeze(['VIP', 'Actifs', 'A relancer', 'Dormants', 'A potentiel'] as const);
export type SegmentLabel = (typeof SEGMENT_LABELS)[number];

export const MONTANT_MAX = 10_000;
export const HORIZON_DAYS = 365;
export const DISTRIBUTION_BINS = 12;

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** May hold null where the file carries the column (see `neverNull` for served documents). */
  readonly nullable: boolean;
  /** Must be present in the Parquet file (GOLD_SPEC "minimum columns"). */
  readonly required: boolean;
  readonly rule?: ValueRule;
  /** fact_achats only: computed from date_achat when the file lacks it. */
  readonly derivable?: boolean;
}

export interface IndexSpec {
  readonly key: Readonly<Record<string, 1 | -1>>;
  readonly unique?: boolean;
  readonly name: string;
}

export interface SortSpec {
  readonly field: string;
  readonly dir: 'asc' | 'desc';
}

export interface EndpointSpec {
  readonly path: string;
  /** Default order; the unique key is always appended as a tie-breaker by the API. */
  readonly defaultSort: readonly SortSpec[];
  readonly defaultLimit: number;
  readonly maxLimit: number;
  /** Supports `after=` keyset pagination. */
  readonly keyset: boolean;
}

export type DatasetKind = 'table' | 'view';

export interface DatasetSpec {
  /** Stable identifier: the Parquet table name for tables, the view name for views. */
  readonly name: string;
  readonly kind: DatasetKind;
  /** Parquet table name (tables only). */
  readonly parquet?: string;
  /** For views: the dataset it is computed from. */
  readonly derivedFrom?: string;
  readonly collection: string;
  readonly columns: readonly ColumnSpec[];
  readonly uniqueKey: readonly string[];
  readonly indexes: readonly IndexSpec[];
  readonly endpoint?: EndpointSpec;
  /** The publish fails when this table is absent everywhere. */
  readonly mandatory?: boolean;
  /** Read by the API without being an endpoint of its own (e.g. a filter's lookup). */
  readonly apiLookup?: boolean;
}

type ColumnTuple = readonly [name: string, type: ColumnType, flags?: string];

/**
 * Compact column notation: flags is a space-separated subset of
 * `req` (required in the file), `null` (nullable), `derive`, and a rule name.
 */
function columns(...defs: readonly ColumnTuple[]): readonly ColumnSpec[] {
  return Object.freeze(
    defs.map(([name, type, flags = '']) => {
      const set = new Set(flags.split(' ').filter(Boolean));
      const rule = (Object.values(VALUE_RULES) as string[]).find((r) => set.has(r)) as ValueRule | undefined;
      return Object.freeze({
        name,
        type,
        nullable: set.has('null'),
        required: set.has('req'),
        ...(rule ? { rule } : {}),
        ...(set.has('derive') ? { derivable: true } : {}),
      });
    }),
  );
}

/**
 * Whether every served document of `dataset` holds a value in `column`. In a table, a column
 * that is neither nullable nor required can still be null throughout: the file may lack it, and
 * the publisher then stores null (publisher/validate/rules.ts); a derivable one is computed
 * instead. A view's columns are all computed by the publisher.
 */
export function neverNull(dataset: DatasetSpec, column: ColumnSpec): boolean {
  return !column.nullable && (dataset.kind === 'view' || column.required || column.derivable === true);
}

const ix = (name: string, key: Record<string, 1 | -1>, unique = false): IndexSpec =>
  Object.freeze({ name, key: Object.freeze(key), ...(unique ? { unique: true } : {}) });

const endpoint = (path: string, sort: string, maxLimit = 10_000, defaultLimit = maxLimit, keyset = false): EndpointSpec => {
  const defaultSort = sort.split(',').map((s) => {
    const [field = '', dir = 'asc'] = s.split(':');
    return Object.freeze({ field, dir: dir as 'asc' | 'desc' });
  });
  return Object.freeze({ path, defaultSort: Object.freeze(defaultSort), defaultLimit, maxLimit, keyset });
};

const FEATURE_COLUMNS: readonly ColumnTuple[] = [
  ['id_client', 'int', 'req'],
  ['freq_12m', 'int', 'req nonNegative'],
  ['monetary_12m', 'double', 'req nonNegative'],
  ['monetary_avg_12m', 'double', 'req nonNegative'],
  ['product_diversity_12m', 'int', 'req nonNegative'],
  ['last_purchase', 'date', 'null'],
  ['first_purchase', 'date', 'null'],
  ['recency_days', 'int', 'req nonNegative'],
  ['tenure_days', 'int', 'req nonNegative'],
  ['total_orders_all', 'int', 'nonNegative'],
  ['total_spend_all', 'double', 'nonNegative'],
  ['avg_order_value_all', 'double', 'nonNegative'],
  ['reference_date', 'date'],
];

/** client_scores: features (only some required there) + the score columns. */
const SCORE_REQUIRED = new Set(['id_client', 'recency_days', 'freq_12m', 'monetary_12m']);
const SCORE_COLUMNS: readonly ColumnTuple[] = [
  ...FEATURE_COLUMNS.map(([name, type, flags = '']): ColumnTuple => {
    const rest = flags.split(' ').filter((f) => f && f !== 'req');
    if (SCORE_REQUIRED.has(name)) rest.push('req');
    return [name, type, rest.join(' ')];
  }),
  ['prob_reachat_12m', 'double', 'req probability'],
  ['expected_value_12m', 'double', 'req nonNegative'],
  ['value_at_risk_12m', 'double', 'req nonNegative'],
  ['segment_label', 'string', 'req segment'],
];

export const DATASETS: readonly DatasetSpec[] = Object.freeze([
  {
    name: 'fact_achats',
    kind: 'table',
    parquet: 'fact_achats',
    collection: 'gold_fact_achats',
    mandatory: true,
    columns: columns(
      ['id_achat', 'int', 'req'],
      ['id_client', 'int', 'req'],
      ['date_achat', 'date', 'req'],
      ['montant', 'double', 'req montant'],
      ['produit', 'string', 'req'],
      ['pays', 'string', 'req'],
      ['jour', 'day', 'derive'],
      ['mois', 'month', 'req'],
      ['annee', 'int', 'derive'],
    ),
    uniqueKey: ['id_achat'],
    indexes: [
      ix('id_achat_unique', { id_achat: 1 }, true),
      ix('date_achat', { date_achat: 1 }),
      ix('id_client', { id_client: 1 }),
      ix('mois', { mois: 1 }),
    ],
  },
  {
    name: 'dim_clients',
    kind: 'table',
    parquet: 'dim_clients',
    collection: 'gold_dim_clients',
    columns: columns(
      ['id_client', 'int', 'req'],
      ['nom', 'string', 'req'],
      ['email', 'string', 'req'],
      ['pays', 'string', 'req'],
      ['date_inscription', 'date', 'req'],
      ['first_purchase', 'date', 'req null'],
      ['last_purchase', 'date', 'req null'],
      ['recency_days', 'int', 'req nonNegative'],
      ['tenure_days', 'int', 'req nonNegative'],
      ['total_orders', 'int', 'req null nonNegative'],
      ['total_spend', 'double', 'req null nonNegative'],
      ['avg_order_value', 'double', 'null nonNegative'],
      ['product_count', 'int', 'null nonNegative'],
    ),
    uniqueKey: ['id_client'],
    indexes: [ix('id_client_unique', { id_client: 1 }, true), ix('pays', { pays: 1 })],
    apiLookup: true, // /scores?pays= resolves client ids here
  },
  {
    name: 'client_features',
    kind: 'table',
    parquet: 'client_features',
    collection: 'gold_client_features',
    columns: columns(...FEATURE_COLUMNS),
    uniqueKey: ['id_client'],
    indexes: [ix('id_client_unique', { id_client: 1 }, true)],
  },
  {
    name: 'client_scores',
    kind: 'table',
    parquet: 'client_scores',
    collection: 'gold_client_scores',
    columns: columns(...SCORE_COLUMNS),
    uniqueKey: ['id_client'],
    indexes: [
      ix('id_client_unique', { id_client: 1 }, true),
      ix('expected_value_desc', { expected_value_12m: -1, id_client: 1 }),
      ix('segment_expected_value', { segment_label: 1, expected_value_12m: -1, id_client: 1 }),
      ix('value_at_risk_desc', { value_at_risk_12m: -1, id_client: 1 }),
    ],
    endpoint: endpoint('/scores', 'expected_value_12m:desc', 50_000, 5_000, true),
  },
  {
    name: 'segment_summary',
    kind: 'table',
    parquet: 'segment_summary',
    collection: 'gold_segment_summary',
    columns: columns(
      ['segment_label', 'string', 'req segment'],
      ['clients', 'int', 'req nonNegative'],
      ['ca_12m', 'double', 'nonNegative'],
      ['expected_value_12m', 'double', 'req nonNegative'],
      ['value_at_risk_12m', 'double', 'nonNegative'],
      ['freq_med', 'double', 'nonNegative'],
      ['recency_med', 'double', 'nonNegative'],
    ),
    uniqueKey: ['segment_label'],
    indexes: [ix('segment_label_unique', { segment_label: 1 }, true)],
    endpoint: endpoint('/segments', 'expected_value_12m:desc', 100),
  },
  {
    name: 'ca_monthly',
    kind: 'table',
    parquet: 'ca_monthly',
    collection: 'gold_monthly',
    columns: columns(['mois', 'month', 'req'], ['ca', 'double', 'req nonNegative']),
    uniqueKey: ['mois'],
    indexes: [ix('mois_unique', { mois: 1 }, true)],
    endpoint: endpoint('/monthly', 'mois:asc', 10_000),
  },
  {
    name: 'ca_country',
    kind: 'table',
    parquet: 'ca_country',
    collection: 'gold_by_country',
    columns: columns(['pays', 'string', 'req'], ['ca', 'double', 'req nonNegative']),
    uniqueKey: ['pays'],
    indexes: [ix('pays_unique', { pays: 1 }, true), ix('ca_desc', { ca: -1 })],
    endpoint: endpoint('/by_country', 'ca:desc', 1_000),
  },
  {
    name: 'ca_product',
    kind: 'table',
    parquet: 'ca_product',
    collection: 'gold_by_product',
    columns: columns(['produit', 'string', 'req'], ['ca', 'double', 'req nonNegative']),
    uniqueKey: ['produit'],
    indexes: [ix('produit_unique', { produit: 1 }, true), ix('ca_desc', { ca: -1 })],
    endpoint: endpoint('/by_product', 'ca:desc', 1_000),
  },
  {
    name: 'cohort_first_purchase',
    kind: 'table',
    parquet: 'cohort_first_purchase',
    collection: 'gold_cohort_first_purchase',
    columns: columns(
      ['first_purchase_month', 'month', 'req'],
      ['clients', 'int', 'req nonNegative'],
      ['ca', 'double', 'req nonNegative'],
    ),
    uniqueKey: ['first_purchase_month'],
    indexes: [ix('first_purchase_month_unique', { first_purchase_month: 1 }, true)],
    endpoint: endpoint('/cohort', 'first_purchase_month:asc', 10_000),
  },
  {
    name: 'daily',
    kind: 'view',
    derivedFrom: 'fact_achats',
    collection: 'gold_daily',
    columns: columns(['jour', 'day'], ['ca', 'double', 'nonNegative'], ['achats', 'int', 'nonNegative']),
    uniqueKey: ['jour'],
    indexes: [ix('jour_unique', { jour: 1 }, true)],
    endpoint: endpoint('/daily', 'jour:asc', 10_000, 10_000, true),
  },
  {
    name: 'weekly',
    kind: 'view',
    derivedFrom: 'fact_achats',
    collection: 'gold_weekly',
    columns: columns(['semaine', 'day'], ['ca', 'double', 'nonNegative'], ['achats', 'int', 'nonNegative']),
    uniqueKey: ['semaine'],
    indexes: [ix('semaine_unique', { semaine: 1 }, true)],
    endpoint: endpoint('/weekly', 'semaine:asc', 5_000),
  },
  {
    name: 'distribution',
    kind: 'view',
    derivedFrom: 'fact_achats',
    collection: 'gold_distribution',
    columns: columns(
      ['bucket', 'string'],
      ['bucket_index', 'int', 'nonNegative'],
      ['min', 'double'],
      ['max', 'double'],
      ['count', 'int', 'nonNegative'],
    ),
    uniqueKey: ['bucket_index'],
    indexes: [ix('bucket_index_unique', { bucket_index: 1 }, true)],
    endpoint: endpoint('/distribution', 'bucket_index:asc', 100),
  },
  {
    name: 'monthly_growth',
    kind: 'view',
    derivedFrom: 'ca_monthly',
    collection: 'gold_monthly_growth',
    columns: columns(
      ['mois', 'month'],
      ['ca', 'double', 'nonNegative'],
      ['prev_ca', 'double', 'null'],
      ['growth_abs', 'double', 'null'],
      ['growth_pct', 'double', 'null'],
    ),
    uniqueKey: ['mois'],
    indexes: [ix('mois_unique', { mois: 1 }, true)],
    endpoint: endpoint('/monthly_growth', 'mois:asc', 10_000),
  },
] satisfies DatasetSpec[]);

/** The KPI document (GOLD_SPEC §3): one document, computed by the publisher. */
export const KPI_DOCUMENT = Object.freeze({
  collection: 'gold_kpis',
  endpoint: '/kpis',
  fields: columns(
    ['total_ca', 'double', 'nonNegative'],
    ['total_achats', 'int', 'nonNegative'],
    ['total_clients', 'int', 'nonNegative'],
    ['panier_moyen', 'double', 'nonNegative'],
    ['expected_total', 'double', 'null nonNegative'],
    ['dataset_size', 'int', 'nonNegative'],
  ),
});

/** Bookkeeping collections of the publisher (not gold data). */
export const SYSTEM_COLLECTIONS = Object.freeze({
  /** One document `{ _id: 'current', version, published_at, tables, ... }`, written last by a publish. */
  meta: 'gold_meta',
  /** Publisher lock document with an expiry. */
  lock: 'gold_publish_lock',
  /** Staging collections are named `<prefix><collection>` and swapped in by renameCollection. */
  stagingPrefix: 'staging__',
  /**
   * The API reads its own per-publish copies, named `<prefix><tag>__<collection>` and listed in
   * the meta document, so one meta write switches every endpoint at once (see docs/publisher.md).
   */
  servedPrefix: 'api__',
});

/** Endpoints that are not backed by a single collection. */
export const SERVICE_ENDPOINTS = Object.freeze(['/health'] as const);

export const TABLES: readonly DatasetSpec[] = DATASETS.filter((d) => d.kind === 'table');
export const VIEWS: readonly DatasetSpec[] = DATASETS.filter((d) => d.kind === 'view');

export function datasetByName(name: string): DatasetSpec {
  const spec = DATASETS.find((d) => d.name === name);
  if (!spec) throw new Error(`unknown gold dataset "${name}"`);
  return spec;
}

/** Every collection the publisher writes, in the order it swaps them in. */
export function publishedCollections(): string[] {
  return [...DATASETS.map((d) => d.collection), KPI_DOCUMENT.collection];
}

/** Collections the API reads: every endpoint's, the lookups' and the KPI document's. */
export function apiCollections(): string[] {
  return [...DATASETS.filter((d) => d.endpoint || d.apiLookup).map((d) => d.collection), KPI_DOCUMENT.collection];
}

/** The data endpoint paths: /kpis and those of datasets (each served from the response cache). */
export function dataEndpoints(): string[] {
  return [KPI_DOCUMENT.endpoint, ...DATASETS.flatMap((d) => (d.endpoint ? [d.endpoint.path] : []))];
}

/** Every endpoint path of the catalog: the service endpoints, then the data endpoints. */
export function catalogEndpoints(): string[] {
  return [...SERVICE_ENDPOINTS, ...dataEndpoints()];
}
