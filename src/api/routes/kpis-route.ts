// /kpis: a single-document read of the publisher's KPI document (constant cost at any size).
import { Router } from 'express';
import { KPI_DOCUMENT } from '../../catalog/gold-catalog.js';
import { AppError } from '../../errors/app-error.js';
import { API_ERROR_CODES, dataEmpty } from '../api-errors.js';
import type { GoldReader } from '../data/gold-reader.js';
import { sendCachedJson, versionMeta, type CacheDeps } from '../http/cached-json.js';
import { CACHE_BUSTER } from '../query/parse-list-query.js';
import { ROUTING } from '../../server/routing.js';

export function createKpisRouter(deps: CacheDeps & { readonly reader: GoldReader }): Router {
  const router = Router(ROUTING);
  const route = KPI_DOCUMENT.endpoint;
  router.get(route, async (req, res) => {
    const started = performance.now();
    const names = Object.keys(req.query).filter((name) => name !== CACHE_BUSTER);
    if (names.length > 0) {
      throw new AppError(API_ERROR_CODES.UNKNOWN_PARAMETER, `query parameter "${names[0]!.slice(0, 80)}" is not accepted by ${route}`, {
        status: 400,
        details: { parameter: names[0]!.slice(0, 80), allowed: [CACHE_BUSTER] },
      });
    }
    await sendCachedJson(req, res, deps, route, '', async (meta) => {
      const doc = await deps.reader.readKpis(meta);
      const queryMs = performance.now() - started;
      if (!doc) throw dataEmpty(KPI_DOCUMENT.collection);
      const body: Record<string, unknown> = {};
      for (const f of KPI_DOCUMENT.fields) body[f.name] = doc[f.name] ?? null;
      const ms = (v: number) => Math.round(v * 1000) / 1000;
      body.meta = { query_ms: ms(queryMs), total_ms: ms(performance.now() - started), ...versionMeta(meta) };
      return body;
    });
  });
  return router;
}
