// The dashboard: one page at `/` plus its static assets and the benchmark file. The page itself
// (web/dashboard) is plain browser JS that reads only the public JSON API with relative URLs, so
// this router holds no data access. createApp mounts it LAST, after the API routes: it answers
// exactly `/`, `/assets/dashboard/*`, `/assets/vendor/*` and `/dashboard/refresh_benchmark.json`.
import { resolve } from 'node:path';
import express from 'express';
import type { Request, Response } from 'express';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { AppError, isAppError } from '../errors/app-error.js';
import { locateDashboardAssets } from './assets.js';
import type { DashboardAssets } from './assets.js';
import { BENCHMARK_RELATIVE_PATH, readBenchmarkFile } from './benchmark-file.js';
import { DASHBOARD_ERROR_CODES } from './errors.js';
import { ROUTING } from '../server/routing.js';

export interface DashboardRouterOptions {
  /** Absolute path of the benchmark file; default `<cwd>/data/metrics/refresh_benchmark.json`. */
  readonly benchmarkPath?: string;
  readonly logger?: Logger;
  /** Overrides asset discovery (tests). */
  readonly assets?: DashboardAssets;
}

// Revalidate with the ETag on each load, so a deploy is visible at once and an unchanged file
// still costs only a 304.
const STATIC_OPTIONS = { index: false, fallthrough: true, cacheControl: true, maxAge: 0, etag: true } as const;

function sendError(res: Response, error: AppError): void {
  res.status(error.status).json({ error: error.message, code: error.code, details: error.details });
}

export function createDashboardRouter(options: DashboardRouterOptions = {}): express.Router {
  const assets = options.assets ?? locateDashboardAssets();
  const benchmarkPath = options.benchmarkPath ?? resolve(process.cwd(), BENCHMARK_RELATIVE_PATH);
  const log = (options.logger ?? pino({ level: 'silent' })).child({ module: 'dashboard' });
  log.debug({ webRoot: assets.webRoot, chartJs: assets.chartJs }, 'dashboard assets located');

  const router = express.Router(ROUTING);

  router.get('/', (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: assets.webRoot });
  });

  router.use('/assets/dashboard', express.static(assets.webRoot, STATIC_OPTIONS));
  router.get('/assets/vendor/chart.umd.min.js', (_req: Request, res: Response) => {
    res.sendFile(assets.chartJs, { maxAge: 0 });
  });
  router.get('/assets/vendor/chart.umd.min.js.map', (_req: Request, res: Response) => {
    res.sendFile(assets.chartJsMap, { maxAge: 0 });
  });
  // Unknown asset: a JSON 404 from here rather than falling through to whatever follows us.
  router.use('/assets', (req: Request, res: Response) => {
    sendError(
      res,
      new AppError(DASHBOARD_ERROR_CODES.DASHBOARD_ASSET_NOT_FOUND, `dashboard: no asset at ${req.originalUrl}`, {
        status: 404,
        details: { path: req.originalUrl },
      }),
    );
  });

  router.get('/dashboard/refresh_benchmark.json', async (_req: Request, res: Response) => {
    try {
      const body = await readBenchmarkFile(benchmarkPath);
      res.set('Cache-Control', 'no-store');
      res.json(body);
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.status >= 500) log.warn({ err: error }, error.message);
      res.set('Cache-Control', 'no-store');
      sendError(res, error);
    }
  });

  return router;
}
