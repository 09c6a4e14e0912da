// Builds the API over a test database: quiet logger, no rate limit, version checked on every
// request (so tests need not wait a second after a publish) unless overridden.
import { readFileSync } from 'node:fs';
import http, { type RequestListener, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Express } from 'express';
import type { Db } from 'mongodb';
import { pino } from 'pino';
import { createApp } from '../../../../src/app.js';
import type { Lifecycle } from '../../../../src/api/lifecycle.js';
import { loadConfig } from '../../../../src/config/config.js';
import { DATASETS, SYSTEM_COLLECTIONS } from '../../../../src/catalog/gold-catalog.js';
import { afterEach } from 'vitest';
import { connectTestDb, type TestDb } from '../../../support/mongo.js';
import { FIXTURES_DIR } from '../../../support/published-gold.js';
import type { Tables } from './expected-endpoints.js';

export function buildApp(db: Db, env: Record<string, string> = {}, lifecycle?: Lifecycle): Express {
  const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', CACHE_VERSION_CHECK_MS: '0', ...env });
  return createApp({ db, config, logger: pino({ level: 'silent' }), ...(lifecycle ? { lifecycle } : {}) });
}

/** The expected rows of every gold table of the fixtures. */
export function loadExpectedTables(): Tables {
  const tables: Record<string, Record<string, unknown>[]> = {};
  for (const d of DATASETS) {
    if (d.kind !== 'table') continue;
    const file = path.join(FIXTURES_DIR, 'expected', `${d.name}.json`);
    tables[d.name] = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  }
  return tables;
}

/** Real HTTP servers on loopback for one test file: `listen` starts one on a free port; call `closeAll` in afterAll. */
export function loopbackServers() {
  const servers: http.Server[] = [];
  return {
    /** Starts `listener` (with `options`, e.g. the request/response classes) on 127.0.0.1; resolves with its port. */
    async listen(listener: RequestListener, options: ServerOptions = {}): Promise<number> {
      const server = http.createServer(options, listener);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    },
    closeAll: () => Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve)))),
  };
}

/** Fresh test databases for one test file, each dropped after its test (call at the top level). */
export function testDatabases(): (label: string) => Promise<TestDb> {
  const dbs: TestDb[] = [];
  afterEach(async () => {
    for (const t of dbs.splice(0)) await t.cleanup();
  });
  return async (label) => {
    const t = await connectTestDb(label);
    dbs.push(t);
    return t;
  };
}

/** A new version in the meta document, the data unchanged: what the cache follows. */
export const bumpVersion = (db: Db, version: string) =>
  db.collection(SYSTEM_COLLECTIONS.meta).updateOne({ _id: 'current' as never }, { $set: { version } });
