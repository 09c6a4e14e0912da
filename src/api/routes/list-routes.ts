// List endpoints, generated from the catalog: one GET route per dataset with an `endpoint`.
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { DATASETS } from '../../catalog/gold-catalog.js';
import { dataEmpty } from '../api-errors.js';
import type { GoldReader, PublishMeta } from '../data/gold-reader.js';
import { endpointFeatures } from '../endpoint-features.js';
import { streamExport } from '../export/stream-export.js';
import { sendCachedJson, versionMeta, type CacheDeps } from '../http/cached-json.js';
import { encodeCursor, sortSignature } from '../query/cursor.js';
import { buildFindPlan, type LookupResults } from '../query/mongo-find.js';
import { listRouteSpec, parseListQuery, type ListQuery, type ListRouteSpec, type ParsedFilter } from '../query/parse-list-query.js';
import { ROUTING } from '../../server/routing.js';

export interface ListRouteDeps extends CacheDeps {
  readonly reader: GoldReader;
  readonly logger: Logger;
}

/** Every dataset that has an endpoint, with its parsed route spec. */
export function listRouteSpecs(): ListRouteSpec[] {
  return DATASETS.flatMap((d) => (d.endpoint ? [listRouteSpec(d, endpointFeatures(d.name))] : []));
}

async function resolveLookups(reader: GoldReader, query: ListQuery, meta: PublishMeta | null): Promise<LookupResults> {
  const results = new Map<ParsedFilter, readonly unknown[]>();
  for (const f of query.filters) {
    if (f.kind === 'lookup') results.set(f, await reader.lookup(f.dataset, f.column, f.value, f.key, meta));
  }
  return results;
}

async function renderList(spec: ListRouteSpec, reader: GoldReader, query: ListQuery, meta: PublishMeta | null, started: number) {
  const { collection } = spec.dataset;
  const sortFields = query.sort.map((s) => s.field);
  const extra = query.keysetable ? sortFields.filter((f) => !query.fields.includes(f)) : [];
  const queryStarted = performance.now();
  const plan = buildFindPlan(query, await resolveLookups(reader, query, meta), extra);
  const rows = await reader.findRows(collection, plan, meta);
  const queryMs = performance.now() - queryStarted;
  // An empty page of a non-empty collection is a valid answer; an empty collection is not.
  if (rows.length === 0 && (await reader.isEmpty(collection, meta))) throw dataEmpty(collection);

  const last = rows.at(-1);
  const full = query.limit !== null && rows.length === query.limit;
  const nextAfter = query.keysetable && full && last ? encodeCursor(query.sort, last) : null;
  return {
    data: rows.map((row) => inColumnOrder(row, query.fields)),
    meta: {
      count: rows.length,
      query_ms: round(queryMs),
      total_ms: round(performance.now() - started),
      ...versionMeta(meta),
      limit: query.limit,
      offset: query.offset,
      sort: sortSignature(query.sort),
      ...(spec.endpoint.keyset ? { next_after: nextAfter } : {}),
    },
  };
}

/** Requested columns in catalog order, null when a document lacks one; drops helper fields. */
function inColumnOrder(row: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = row[f] ?? null;
  return out;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

function listHandler(spec: ListRouteSpec, deps: ListRouteDeps) {
  const route = spec.endpoint.path;
  return async (req: Request, res: Response): Promise<void> => {
    const started = performance.now();
    // Accept picks JSON or an export for the same URL: caches must key on it. Set before
    // parsing, so 304s and errors carry it too; res.vary appends to an earlier Vary (CORS).
    if (spec.features.exports) res.vary('Accept');
    const query = parseListQuery(spec, req.query as Record<string, unknown>, req.headers.accept);
    if (query.format !== 'json') {
      deps.metrics.cache(route, 'bypass');
      const meta = await deps.tracker.current();
      const plan = buildFindPlan(query, await resolveLookups(deps.reader, query, meta));
      const name = route.replace(/^\//, '');
      await streamExport(res, deps.reader, { format: query.format, collection: spec.dataset.collection, fields: query.fields, plan, name }, meta, deps.logger);
      return;
    }
    await sendCachedJson(req, res, deps, route, query.cacheKey, (meta) => renderList(spec, deps.reader, query, meta, started));
  };
}

export function createListRouter(deps: ListRouteDeps): Router {
  const router = Router(ROUTING);
  for (const spec of listRouteSpecs()) router.get(spec.endpoint.path, listHandler(spec, deps));
  return router;
}
