// Helpers of the publisher integration tests: temporary gold folders built from the committed
// fixtures (copied, or rewritten by DuckDB — a writer other than ours — to inject bad values),
// collection snapshots, and a publish call with test settings.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Db } from 'mongodb';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config/config.js';
import { runPublish } from '../../../publisher/run.js';
import type { PublishOptions } from '../../../publisher/types.js';
import type { PublishSummary } from '../../../publisher/types.js';
import { FIXTURES_DIR, fixtureDir } from '../../support/published-gold.js';

export const silent = pino({ level: 'silent' });

export async function tempDir(label: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `publisher-${label}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Copies fixture tables of a layout into `dir` (all tables by default). */
export async function copyFixtures(dir: string, layout: 'pandas' | 'spark' = 'pandas', tables?: readonly string[]): Promise<void> {
  const names = tables ?? ['fact_achats', 'dim_clients', 'client_features', 'client_scores', 'segment_summary', 'ca_monthly', 'ca_country', 'ca_product', 'cohort_first_purchase'];
  for (const t of names) await cp(path.join(fixtureDir(layout), `${t}.parquet`), path.join(dir, `${t}.parquet`), { recursive: true });
}

/** Writes `<dir>/<table>.parquet` with DuckDB from `sql`, where {src} is the pandas fixture of the table. */
export async function writeWithDuckDb(dir: string, table: string, sql: string, rowGroupSize?: number): Promise<void> {
  const src = path.join(fixtureDir('pandas'), `${table}.parquet`);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  try {
    await conn.run(`COPY (${sql.replaceAll('{src}', `read_parquet('${src}')`)}) TO '${path.join(dir, `${table}.parquet`)}' (FORMAT parquet${rowGroupSize ? `, ROW_GROUP_SIZE ${rowGroupSize}` : ''})`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A copy of the fixture file cut to `fraction` of its bytes. */
export async function truncatedCopy(dir: string, table: string, fraction: number): Promise<void> {
  const bytes = await readFile(path.join(fixtureDir('pandas'), `${table}.parquet`));
  await writeFile(path.join(dir, `${table}.parquet`), bytes.subarray(0, Math.floor(bytes.length * fraction)));
}

export async function expectedRows(table: string): Promise<Array<Record<string, unknown>>> {
  return JSON.parse(await readFile(path.join(FIXTURES_DIR, 'expected', `${table}.json`), 'utf8')) as Array<Record<string, unknown>>;
}

/** Documents of a collection sorted by _id, dates as ISO strings (the expected JSON's form). */
export async function snapshot(db: Db, collection: string, keepId = false): Promise<Array<Record<string, unknown>>> {
  const docs = await db.collection(collection).find({}).sort({ _id: 1 }).toArray();
  return docs.map((d) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(d)) if (keepId || k !== '_id') out[k] = v instanceof Date ? v.toISOString() : v;
    return out;
  });
}

/**
 * runPublish with local folders `dirs` as the only source, quiet logs, short lock TTL. With
 * `mongoUri` (the URI `db` was opened with) big tables may be loaded by worker threads.
 */
export function publishFrom(db: Db, dirs: readonly string[], options: PublishOptions = {}, env: Record<string, string> = {}, mongoUri?: string): Promise<PublishSummary> {
  const config = loadConfig({ MONGO_DB: db.databaseName, LOCAL_GOLD_DIRS: dirs.join(':'), LOG_LEVEL: 'silent', ...env });
  return runPublish({ source: 'local', lockTtlMs: 5_000, ...options }, { db, config, logger: silent, ...(mongoUri ? { mongoUri } : {}) });
}
