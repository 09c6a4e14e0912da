// Validates the query string of a list endpoint against the catalog (pure). The result is
// canonical: two query strings that mean the same thing give equal `cacheKey`s.
import { neverNull, type ColumnSpec, type DatasetSpec, type EndpointSpec, type SortSpec } from '../../catalog/gold-catalog.js';
import { API_ERROR_CODES, badParameter } from '../api-errors.js';
import { AppError } from '../../errors/app-error.js';
import type { EndpointFeatures, FilterSpec } from '../endpoint-features.js';
import { decodeCursor } from './cursor.js';
import { listItems, parseInteger, parseList, parseNumber, preferredByAccept, singleValue } from './param-parsers.js';

export const EXPORT_FORMATS = Object.freeze(['json', 'csv', 'ndjson'] as const);
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const MAX_OFFSET = 10_000_000;
/**
 * `_`: the cache-buster query parameter of jQuery and many frontends (`_=<timestamp>`). Every
 * data endpoint accepts and ignores it: it is not part of the canonical query (cache key, ETag).
 */
export const CACHE_BUSTER = '_';
const MAX_SORT_FIELDS = 4;

export type ParsedFilter =
  | { readonly kind: 'range'; readonly param: string; readonly column: string; readonly op: 'gte' | 'lte'; readonly value: number }
  | { readonly kind: 'oneOf'; readonly column: string; readonly values: readonly string[] }
  | { readonly kind: 'lookup'; readonly dataset: string; readonly column: string; readonly key: string; readonly value: string };

export interface ListQuery {
  /** Rows to return; null = no limit (exports without `limit`). */
  readonly limit: number | null;
  readonly offset: number;
  /** Requested order with the unique key appended as tie-breaker. */
  readonly sort: readonly SortSpec[];
  /** Columns to return, in catalog order. */
  readonly fields: readonly string[];
  /** Sort values to continue after (keyset pagination), or null. */
  readonly after: readonly unknown[] | null;
  readonly filters: readonly ParsedFilter[];
  readonly format: ExportFormat;
  /** Keyset pagination possible for this order (endpoint allows it, sort fields never null). */
  readonly keysetable: boolean;
  readonly cacheKey: string;
}

export interface ListRouteSpec {
  readonly dataset: DatasetSpec;
  readonly endpoint: EndpointSpec;
  readonly features: EndpointFeatures;
  readonly columns: ReadonlyMap<string, ColumnSpec>;
}

export function listRouteSpec(dataset: DatasetSpec, features: EndpointFeatures): ListRouteSpec {
  if (!dataset.endpoint) throw new Error(`dataset ${dataset.name} has no endpoint`);
  const columns = new Map(dataset.columns.map((c) => [c.name, c]));
  for (const f of features.filters) {
    if (f.kind !== 'lookup' && !columns.has(f.column)) throw new Error(`filter ${f.param} of ${dataset.name}: unknown column ${f.column}`);
  }
  return { dataset, endpoint: dataset.endpoint, features, columns };
}

/** Parameters accepted by this endpoint, for 400 messages and the OpenAPI consistency test. */
export function allowedParameters(spec: ListRouteSpec): string[] {
  return [
    'limit',
    'offset',
    'sort',
    'fields',
    ...(spec.endpoint.keyset ? ['after'] : []),
    ...(spec.features.exports ? ['format'] : []),
    ...spec.features.filters.map((f) => f.param),
    CACHE_BUSTER,
  ];
}

function parseSort(spec: ListRouteSpec, raw: unknown): SortSpec[] {
  if (raw === undefined) return withUniqueKey(spec, [...spec.endpoint.defaultSort]);
  const items = listItems('sort', raw);
  const sort: SortSpec[] = items.map((item) => {
    const [field = '', dir = 'asc', ...rest] = item.split(':');
    if (!spec.columns.has(field) || rest.length > 0 || (dir !== 'asc' && dir !== 'desc')) {
      throw badParameter('sort', item, `field:asc|desc with field one of ${[...spec.columns.keys()].join(', ')}`);
    }
    return { field, dir };
  });
  // A field named twice (`ca:desc,ca:asc`, `ca,ca`) is a client mistake: silently keeping the
  // first direction would serve an order the client may not have meant.
  const repeated = sort.find((s, i) => sort.findIndex((t) => t.field === s.field) !== i);
  if (repeated) throw badParameter('sort', singleValue('sort', raw), `each field at most once ("${repeated.field}" is repeated)`);
  if (sort.length > MAX_SORT_FIELDS) throw badParameter('sort', singleValue('sort', raw), `at most ${MAX_SORT_FIELDS} items`);
  return withUniqueKey(spec, sort);
}

/** `sort` with the unique key appended as tie-breaker (the fields not already in it). */
function withUniqueKey(spec: ListRouteSpec, sort: SortSpec[]): SortSpec[] {
  for (const key of spec.dataset.uniqueKey) if (!sort.some((s) => s.field === key)) sort.push({ field: key, dir: 'asc' });
  return sort;
}

function parseFilter(filter: FilterSpec, raw: unknown): ParsedFilter {
  switch (filter.kind) {
    case 'range':
      return { kind: 'range', param: filter.param, column: filter.column, op: filter.op, value: parseNumber(filter.param, raw, filter.min, filter.max) };
    case 'oneOf': {
      const values = parseList(filter.param, raw, filter.values.length);
      const bad = values.find((v) => !filter.values.includes(v));
      if (bad !== undefined) throw badParameter(filter.param, bad, `one or more of ${filter.values.join(', ')}`);
      return { kind: 'oneOf', column: filter.column, values: [...values].sort() };
    }
    case 'lookup': {
      const value = singleValue(filter.param, raw).trim();
      if (value === '' || value.length > 100) throw badParameter(filter.param, value, 'a non-empty value of at most 100 characters');
      return { kind: 'lookup', dataset: filter.dataset, column: filter.column, key: filter.key, value };
    }
  }
}

// The media ranges that count for each format. Wildcards count for JSON only, so browsers'
// `*/*` keeps JSON and an export is chosen only when its type is named: the hot lanes
// (http/hot-path.ts) rely on that, stepping aside whenever Accept mentions csv or ndjson.
const ACCEPT_RANGES: Readonly<Record<ExportFormat, readonly string[]>> = {
  json: ['application/json', 'application/*', '*/*'],
  csv: ['text/csv'],
  ndjson: ['application/x-ndjson', 'application/ndjson'],
};
const NAMES_AN_EXPORT = /csv|ndjson/i;

function parseFormat(spec: ListRouteSpec, raw: unknown, accept: string | undefined): ExportFormat {
  if (raw !== undefined) {
    const value = singleValue('format', raw);
    if (!(EXPORT_FORMATS as readonly string[]).includes(value)) throw badParameter('format', value, EXPORT_FORMATS.join(' | '));
    return value as ExportFormat;
  }
  // Cheap common case first: a header that names no export type can only mean JSON.
  if (!spec.features.exports || !accept || !NAMES_AN_EXPORT.test(accept)) return 'json';
  // An export only when preferred (`text/csv;q=0` or `application/json, text/csv;q=0.1` keep
  // JSON); nothing acceptable also keeps JSON, as before, rather than a 406.
  return preferredByAccept(accept, ACCEPT_RANGES) ?? 'json';
}

export function parseListQuery(spec: ListRouteSpec, query: Readonly<Record<string, unknown>>, accept?: string): ListQuery {
  const allowed = allowedParameters(spec);
  for (const name of Object.keys(query)) {
    if (!allowed.includes(name)) {
      throw new AppError(API_ERROR_CODES.UNKNOWN_PARAMETER, `query parameter "${name.slice(0, 80)}" is not accepted by ${spec.endpoint.path}`, {
        status: 400,
        details: { parameter: name.slice(0, 80), allowed },
      });
    }
  }
  const format = parseFormat(spec, query.format, accept);
  const isExport = format !== 'json';
  const limit =
    query.limit !== undefined ? parseInteger('limit', query.limit, 1, spec.endpoint.maxLimit) : isExport ? null : spec.endpoint.defaultLimit;
  const offset = query.offset !== undefined ? parseInteger('offset', query.offset, 0, MAX_OFFSET) : 0;
  const sort = parseSort(spec, query.sort);
  const keysetable = spec.endpoint.keyset && sort.every((s) => {
    const column = spec.columns.get(s.field);
    return column !== undefined && neverNull(spec.dataset, column);
  });

  let after: unknown[] | null = null;
  if (query.after !== undefined) {
    const text = singleValue('after', query.after);
    if (!keysetable) throw badParameter('after', text, `no cursor: keyset pagination needs sort fields that are never null on ${spec.endpoint.path}`);
    if (query.offset !== undefined) throw badParameter('offset', String(offset), 'no offset together with after (use one pagination style)');
    after = decodeCursor(text, sort, spec.columns);
  }

  const requestedFields = query.fields !== undefined ? parseList('fields', query.fields, spec.columns.size) : null;
  if (requestedFields) {
    const bad = requestedFields.find((f) => !spec.columns.has(f));
    if (bad !== undefined) throw badParameter('fields', bad, `column names among ${[...spec.columns.keys()].join(', ')}`);
  }
  const fields = spec.dataset.columns.map((c) => c.name).filter((n) => !requestedFields || requestedFields.includes(n));

  const filters = spec.features.filters.flatMap((f) => (query[f.param] === undefined ? [] : [parseFilter(f, query[f.param])]));
  const bounds = filters.filter((f) => f.kind === 'range');
  for (const lo of bounds) {
    const hi = bounds.find((b) => b.column === lo.column && b.op === 'lte');
    if (lo.op === 'gte' && hi && lo.value > hi.value) {
      throw badParameter(lo.param, String(lo.value), `a lower bound not above ${hi.param}=${hi.value}`);
    }
  }

  const cacheKey = JSON.stringify([limit, offset, sort, fields, after, filters, format]);
  return { limit, offset, sort, fields, after, filters, format, keysetable, cacheKey };
}
