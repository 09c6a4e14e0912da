// Probes: /health (seed-compatible), /livez (process up), /readyz (MongoDB reachable, a complete
// publish present, not shutting down). Never cached, never behind the API key.
import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { isAppError } from '../../errors/app-error.js';
import type { GoldReader } from '../data/gold-reader.js';
import type { Lifecycle } from '../lifecycle.js';
import { ROUTING } from '../../server/routing.js';

const RETRY_AFTER_S = '5';

function down(res: Response, body: Record<string, unknown>): void {
  res.status(503).set({ 'Cache-Control': 'no-store', 'Retry-After': RETRY_AFTER_S }).json(body);
}

function reason(error: unknown): string {
  return isAppError(error) ? error.message : 'MongoDB check failed';
}

export function createHealthRouter(reader: GoldReader, lifecycle: Lifecycle, logger: Logger): Router {
  const router = Router(ROUTING);
  router.get('/health', async (_req, res) => {
    try {
      await reader.ping();
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    } catch (error) {
      logger.warn({ err: error }, 'health check failed');
      down(res, { status: 'down', error: reason(error) });
    }
  });
  router.get('/livez', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (lifecycle.shuttingDown) {
      down(res, { status: 'down', error: 'shutting down' });
      return;
    }
    try {
      await reader.ping();
      const meta = await reader.readMeta();
      if (!meta) {
        down(res, { status: 'down', error: 'no complete publish in MongoDB yet' });
        return;
      }
      res.set('Cache-Control', 'no-store').json({ status: 'ok', version: meta.version, published_at: meta.publishedAt?.toISOString() ?? null });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      down(res, { status: 'down', error: reason(error) });
    }
  });
  return router;
}
