// fast-check generators of list-endpoint query strings built from the catalog: valid
// combinations (real column names, sort specs with and without a direction, fields lists,
// filters with in-range values, keyset cursors, export formats) that must be answered 200,
// the same queries with one defect that must be refused with a 400, and junk that must only
// never give a 5xx. Shared by the integration robustness test and the reliability fuzzer.
import fc from 'fast-check';
import { DATASETS, KPI_DOCUMENT, neverNull, type ColumnSpec } from '../../src/catalog/gold-catalog.js';
import { endpointFeatures, type FilterSpec } from '../../src/api/endpoint-features.js';
import { encodeCursor } from '../../src/api/query/cursor.js';
import { EXPORT_FORMATS, listRouteSpec, parseListQuery, type ListRouteSpec } from '../../src/api/query/parse-list-query.js';

export type Pair = readonly [name: string, value: string];
/** What the API must answer: 200, a 400 naming a parameter, or anything below 500. */
export type Expectation = 'ok' | 'refused' | 'any';

export interface GeneratedQuery {
  readonly path: string;
  readonly pairs: readonly Pair[];
  readonly expect: Expectation;
}

/** A cursor the API itself returned (`meta.next_after` of a first page), with the sort it was made for. */
export interface RealCursor {
  readonly path: string;
  readonly sort: string | null;
  readonly after: string;
}

/** First pages to take real cursors from (keyset endpoints, keyset-able sorts). */
export const CURSOR_SOURCES: readonly { path: string; sort: string | null }[] = [
  { path: '/scores', sort: null },
  { path: '/scores', sort: 'recency_days:desc' },
  { path: '/scores', sort: 'segment_label,prob_reachat_12m:desc' },
  { path: '/daily', sort: null },
  { path: '/daily', sort: 'ca:desc' },
];

/** Countries of the fixture clients, and one that none of them has (an empty but valid filter). */
const COUNTRIES = ['France', 'Allemagne', 'Belgique', 'Espagne', 'Italie', 'Suisse', 'Atlantis'];

const ROUTES: readonly ListRouteSpec[] = DATASETS.flatMap((d) => (d.endpoint ? [listRouteSpec(d, endpointFeatures(d.name))] : []));
/** Endpoints with filters and exports, then those with keyset paging, are drawn more often: they take more parameters. */
const route = fc.oneof(...ROUTES.map((spec) => ({ weight: spec.features.exports ? 8 : spec.endpoint.keyset ? 4 : 1, arbitrary: fc.constant(spec) })));

export function queryString(pairs: readonly Pair[]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

const direction = fc.constantFrom('', ':asc', ':desc');
const sortParam = (names: readonly string[], maxLength = 4) =>
  fc.uniqueArray(fc.tuple(fc.constantFrom(...names), direction), { minLength: 1, maxLength, selector: ([n]) => n }).map((items) => items.map(([n, d]) => `${n}${d}`).join(','));

/** A value of `column` for a synthesized cursor (its catalog type, any plausible value). */
function cursorValue(column: ColumnSpec): fc.Arbitrary<unknown> {
  switch (column.type) {
    case 'int':
      return fc.integer({ min: 0, max: 5_000 });
    case 'double':
      return fc.double({ min: 0, max: 100_000, noNaN: true, noDefaultInfinity: true });
    case 'date':
      return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true });
    case 'day':
      return fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'month':
      return fc.integer({ min: 1, max: 12 }).map((m) => `2025-${String(m).padStart(2, '0')}`);
    default:
      return fc.string({ maxLength: 12 });
  }
}

/** `sort` (maybe absent) and `after`: a real cursor of this endpoint or one made for a random keyset-able sort. */
function keysetPairs(spec: ListRouteSpec, cursors: readonly RealCursor[]): fc.Arbitrary<Pair[]> {
  const keyable = spec.dataset.columns.filter((c) => neverNull(spec.dataset, c)).map((c) => c.name);
  const synthesized = sortParam(keyable, 3).chain((sort) => {
    const full = parseListQuery(spec, { sort }).sort;
    const row = fc.tuple(...full.map((s) => cursorValue(spec.columns.get(s.field)!)));
    return row.map((values): Pair[] => [
      ['sort', sort],
      ['after', encodeCursor(full, Object.fromEntries(full.map((s, i) => [s.field, values[i]])))],
    ]);
  });
  const real = cursors.filter((c) => c.path === spec.endpoint.path);
  if (real.length === 0) return synthesized;
  const fromApi = fc.constantFrom(...real).map((c): Pair[] => [...(c.sort === null ? [] : [['sort', c.sort] as const]), ['after', c.after]]);
  return fc.oneof(fromApi, synthesized);
}

function filterValue(filter: FilterSpec): fc.Arbitrary<string> {
  switch (filter.kind) {
    case 'oneOf':
      return fc.subarray([...filter.values], { minLength: 1 }).map((v) => v.join(','));
    case 'lookup':
      return fc.constantFrom(...COUNTRIES);
    case 'range': {
      const span = Math.min(filter.max - filter.min, 10_000);
      return fc.integer({ min: 0, max: 1_000 }).map((n) => String(filter.min + (span * n) / 1_000));
    }
  }
}

/** Lower bounds above their upper bound are a 400: swap such pairs so the query stays valid. */
function orderBounds(spec: ListRouteSpec, params: Record<string, string | undefined>): Pair[] {
  const ranges = spec.features.filters.filter((f) => f.kind === 'range');
  for (const lo of ranges.filter((f) => f.op === 'gte')) {
    const hi = ranges.find((f) => f.op === 'lte' && f.column === lo.column);
    const [a, b] = [params[lo.param], hi ? params[hi.param] : undefined];
    if (hi && a !== undefined && b !== undefined && Number(a) > Number(b)) [params[lo.param], params[hi.param]] = [b, a];
  }
  return Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, v] as const]));
}

function validFor(spec: ListRouteSpec, cursors: readonly RealCursor[]): fc.Arbitrary<GeneratedQuery> {
  const names = spec.dataset.columns.map((c) => c.name);
  const max = spec.endpoint.maxLimit;
  const params: Record<string, fc.Arbitrary<string>> = {
    limit: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max }), fc.constant(max)).map(String),
    fields: fc.uniqueArray(fc.constantFrom(...names), { minLength: 1 }).map((f) => f.join(',')),
    _: fc.integer({ min: 0 }).map(String),
  };
  if (spec.features.exports) params.format = fc.constantFrom(...EXPORT_FORMATS);
  for (const f of spec.features.filters) params[f.param] = filterValue(f);
  const offsetPaging = fc.record({ sort: sortParam(names), offset: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.constant(10_000_000)).map(String) }, { requiredKeys: [] }).map((p) => Object.entries(p));
  const paging = spec.endpoint.keyset ? fc.oneof(offsetPaging, keysetPairs(spec, cursors)) : offsetPaging;
  return fc
    .tuple(fc.record(params, { requiredKeys: [] }), paging)
    .map(([p, pagingPairs]) => ({ path: spec.endpoint.path, pairs: [...orderBounds(spec, p), ...pagingPairs], expect: 'ok' as const }));
}

/** Valid queries of every data endpoint, /kpis included (which takes only `_`). */
export function validQuery(cursors: readonly RealCursor[] = []): fc.Arbitrary<GeneratedQuery> {
  const kpis = fc.option(fc.integer({ min: 0 }).map(String), { nil: undefined }).map((t) => ({ path: KPI_DOCUMENT.endpoint, pairs: t === undefined ? [] : [['_', t] as const], expect: 'ok' as const }));
  return fc.oneof({ weight: 1, arbitrary: kpis }, { weight: 12, arbitrary: route.chain((spec) => validFor(spec, cursors)) });
}

/** One defect, each a 400: a bad value, an unknown or repeated parameter, a forbidden combination. */
function defects(spec: ListRouteSpec, cursors: readonly RealCursor[]): fc.Arbitrary<(pairs: readonly Pair[]) => Pair[]> {
  const set =
    (name: string, value: string) =>
    (pairs: readonly Pair[]): Pair[] => [...pairs.filter(([k]) => k !== name), [name, value]];
  const names = spec.dataset.columns.map((c) => c.name);
  const bad: Pair[] = [
    ['limit', '0'], ['limit', String(spec.endpoint.maxLimit + 1)], ['limit', '1.5'], ['limit', ' '], ['offset', '-1'], ['offset', '10000001'],
    ['sort', 'nope:asc'], ['sort', `${names[0]}:sideways`], ['sort', `${names[0]}:asc:x`], ['sort', 'a,b,c,d,e'], ['sort', ''],
    ['fields', 'nope'], ['fields', `${names[0]},,`], ['after', 'not a cursor'], ['after', 'eyJzIjoiIiwidiI6W119'],
    ['format', 'xml'], ['segment', 'Nope'], ['pays', ' '], ['min_prob', '2'], ['max_prob', '-0.1'], ['min_expected', '1e400'],
    ['x', '1'], ['limit[$gt]', '1'], ['sort[$where]', '1'], ['$where', 'sleep(1)'], ['constructor', '1'],
  ];
  const options: fc.Arbitrary<(pairs: readonly Pair[]) => Pair[]>[] = [
    fc.constantFrom(...bad).map(([k, v]) => set(k, v)),
    fc.constant((pairs: readonly Pair[]) => [...pairs, ['limit', '1'], ['limit', '2']] as Pair[]),
    fc.constant((pairs: readonly Pair[]) => [...pairs.filter(([k]) => k !== 'min_prob' && k !== 'max_prob'), ['min_prob', '0.9'], ['max_prob', '0.1']] as Pair[]),
  ];
  const real = cursors.filter((c) => c.path === spec.endpoint.path);
  if (real.length > 0) {
    // A real cursor with offset, or with a sort it was not made for.
    options.push(fc.constantFrom(...real).map((c) => (pairs: readonly Pair[]) => [...pairs.filter(([k]) => k !== 'after' && k !== 'offset'), ['after', c.after], ['offset', '0']] as Pair[]));
    options.push(
      fc.tuple(fc.constantFrom(...real), sortParam(names)).map(([c, sort]) => (pairs: readonly Pair[]) => {
        const made = parseListQuery(spec, c.sort === null ? {} : { sort: c.sort }).sort;
        const asked = parseListQuery(spec, { sort }).sort;
        const other = JSON.stringify(made) === JSON.stringify(asked) ? `${made[0]!.field}:${made[0]!.dir === 'asc' ? 'desc' : 'asc'}` : sort;
        return [...pairs.filter(([k]) => k !== 'after' && k !== 'offset' && k !== 'sort'), ['sort', other], ['after', c.after]] as Pair[];
      }),
    );
  }
  return fc.oneof(...options);
}

/** A valid query of a list endpoint with one defect. */
export function refusedQuery(cursors: readonly RealCursor[] = []): fc.Arbitrary<GeneratedQuery> {
  return route.chain((spec) => fc.tuple(validFor(spec, cursors), defects(spec, cursors)))
    .map(([q, defect]) => ({ ...q, pairs: defect(q.pairs), expect: 'refused' as const }));
}

const JUNK_NAMES = ['limit', 'offset', 'sort', 'fields', 'after', 'format', 'segment', 'pays', 'min_prob', 'max_prob', 'min_expected', '_', 'limit[$gt]', 'sort[$where]', '__proto__', 'constructor', 'x'];
const JUNK_VALUES = ['1', '0', '-1', '99999999999', 'ca:desc', 'expected_value_12m:asc', 'VIP', 'csv', 'ndjson', '%', '%00', '{"$gt":1}', 'eyJzIjoiIiwidiI6W119'];

/** Random names and values on any data endpoint: only "never a 5xx" is known. */
export const junkQuery: fc.Arbitrary<GeneratedQuery> = fc.record({
  path: fc.constantFrom(KPI_DOCUMENT.endpoint, ...ROUTES.map((r) => r.endpoint.path)),
  pairs: fc.array(fc.tuple(fc.constantFrom(...JUNK_NAMES), fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...JUNK_VALUES))), { maxLength: 5 }),
  expect: fc.constant('any' as const),
});

/** The mix the fuzz tests run: mostly valid queries, a good share with one defect, some junk. */
export function mixedQuery(cursors: readonly RealCursor[] = []): fc.Arbitrary<GeneratedQuery> {
  return fc.oneof({ weight: 5, arbitrary: validQuery(cursors) }, { weight: 3, arbitrary: refusedQuery(cursors) }, { weight: 2, arbitrary: junkQuery });
}
