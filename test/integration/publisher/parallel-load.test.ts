// Big tables loaded by worker threads (each with its own MongoDB connection) must give exactly
// what one thread gives: the same collections, derived views and KPIs, the same violation
// report (unique keys decided in file order across row groups and files), the same errors.
// The size threshold is set to 0 so the fixtures take the parallel path.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_COLLECTIONS, publishedCollections } from '../../../src/catalog/gold-catalog.js';
import { isAppError } from '../../../src/errors/app-error.js';
import { loadConfig } from '../../../src/config/config.js';
import { runPublish } from '../../../publisher/run.js';
import type { PublishOptions, PublishSummary, TableSummary } from '../../../publisher/types.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { copyFixtures, silent, snapshot, tempDir, writeWithDuckDb } from './gold-inputs.js';

let t: TestDb;
beforeAll(async () => {
  t = await connectTestDb('publisher-parallel');
});
afterAll(async () => {
  await t?.cleanup();
});

const PARALLEL: PublishOptions = { workers: 2, parallelMinBytes: 0 };
const ONE_THREAD: PublishOptions = { workers: 1 };

function publish(dir: string, options: PublishOptions): Promise<PublishSummary> {
  const config = loadConfig({ MONGO_DB: t.db.databaseName, LOCAL_GOLD_DIRS: dir, LOG_LEVEL: 'silent' });
  return runPublish({ source: 'local', lockTtlMs: 5_000, force: true, ...options }, { db: t.db, mongoUri: t.uri, config, logger: silent });
}

async function everything(): Promise<unknown[]> {
  return Promise.all(publishedCollections().map((c) => snapshot(t.db, c, true)));
}

async function failureOf(promise: Promise<unknown>): Promise<{ code: string; tables: Record<string, TableSummary> }> {
  const error = await promise.then(
    () => new Error('the publish was expected to fail'),
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw error;
  return { code: error.code, tables: (error.details as { tables: Record<string, TableSummary> }).tables };
}

/** 4,000 facts (the fixture's 400, ten times, with new ids) in row groups of 2,048. */
const BIG_FACT = `SELECT * REPLACE (id_achat + k * 1000 AS id_achat) FROM {src}, range(10) r(k) ORDER BY k, id_achat`;

describe('loading with worker threads', () => {
  it.each(['pandas', 'spark'] as const)('gives the same collections as one thread for the %s layout', async (layout) => {
    const { dir, remove } = await tempDir(`parallel-${layout}`);
    try {
      await copyFixtures(dir, layout);
      const one = await publish(dir, ONE_THREAD);
      const expected = await everything();
      const two = await publish(dir, PARALLEL);
      expect(await everything()).toEqual(expected);
      expect(two.collections).toEqual(one.collections);
      expect(two.tables.fact_achats?.rows).toBe(one.tables.fact_achats?.rows);
      // The API's served copies were written by the workers too.
      const meta = await t.db.collection<{ _id: string; served: Record<string, string> }>(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' });
      expect(Object.keys(meta?.served ?? {}).length).toBeGreaterThan(0);
      for (const [canonical, copy] of Object.entries(meta?.served ?? {})) expect(await snapshot(t.db, copy, true), copy).toEqual(await snapshot(t.db, canonical, true));
      // Pandas writes one row group (one unit of work), the Spark folder has three part files.
      expect(two.tables.fact_achats?.workers).toBe(layout === 'pandas' ? 1 : 2);
      expect(one.tables.fact_achats?.workers).toBe(0);
    } finally {
      await remove();
    }
  });

  it('splits a table into row groups and still matches one thread', async () => {
    const { dir, remove } = await tempDir('parallel-groups');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', BIG_FACT, 2048);
      await publish(dir, ONE_THREAD);
      const expected = await everything();
      const summary = await publish(dir, PARALLEL);
      expect(summary.tables.fact_achats?.rows).toBe(4000);
      expect(summary.tables.fact_achats?.workers).toBe(2);
      expect(await everything()).toEqual(expected);
    } finally {
      await remove();
    }
  });

  it('reports bad values and an id repeated across row groups exactly as one thread does', async () => {
    const { dir, remove } = await tempDir('parallel-invalid');
    try {
      await copyFixtures(dir);
      // A negative montant in each row group, and the first group's id 5 again in the second.
      const sql = `SELECT * REPLACE (
          CASE WHEN id_achat IN (3, 7003) THEN -1.5 ELSE montant END AS montant,
          CASE WHEN id_achat = 6005 THEN 5 ELSE id_achat END AS id_achat)
        FROM (${BIG_FACT}) ORDER BY k, id_achat`;
      await writeWithDuckDb(dir, 'fact_achats', sql, 2048);
      const one = await failureOf(publish(dir, ONE_THREAD));
      const two = await failureOf(publish(dir, PARALLEL));
      expect(two.code).toBe('VALIDATION_FAILED');
      expect(two.tables.fact_achats?.violations).toEqual(one.tables.fact_achats?.violations);
      expect(two.tables.fact_achats?.violations.counts).toEqual([
        { column: 'montant', rule: 'montant', count: 2 },
        { column: 'id_achat', rule: 'unique', count: 1 },
      ]);
      expect(two.tables.fact_achats?.violations.samples.find((s) => s.rule === 'unique')).toMatchObject({ column: 'id_achat', value: 5 });
    } finally {
      await remove();
    }
  });

  it('reports an id repeated inside one row group, not the insert error it causes in the staging collection', async () => {
    const { dir, remove } = await tempDir('parallel-dup-in-group');
    try {
      await copyFixtures(dir);
      // 20,000 facts in one row group: the repeat (row 1 takes row 0's id) is inserted by the
      // worker before the main thread sees the keys, and four more insert batches follow.
      const sql = `SELECT * REPLACE (CASE WHEN id_achat = 2 THEN 1 ELSE id_achat END AS id_achat)
        FROM (SELECT * REPLACE (id_achat + k * 1000 AS id_achat) FROM {src}, range(50) r(k)) ORDER BY k, id_achat`;
      await writeWithDuckDb(dir, 'fact_achats', sql, 1_000_000);
      const one = await failureOf(publish(dir, ONE_THREAD));
      const two = await failureOf(publish(dir, PARALLEL));
      expect(two.code).toBe('VALIDATION_FAILED');
      expect(two.tables.fact_achats?.violations).toEqual(one.tables.fact_achats?.violations);
      expect(two.tables.fact_achats?.violations.counts).toEqual([{ column: 'id_achat', rule: 'unique', count: 1 }]);
    } finally {
      await remove();
    }
  });

  it('names an unreadable part file like one thread does', async () => {
    const { dir, remove } = await tempDir('parallel-truncated');
    try {
      await copyFixtures(dir, 'spark');
      // A half-written extra part file in the Spark folder.
      const part = await readFile(path.join(dir, 'fact_achats.parquet', 'part-00000-d009d9db-c4b7-443a-ace5-d7f3bc984ad9-c000.snappy.parquet'));
      await writeFile(path.join(dir, 'fact_achats.parquet', 'part-00009-truncated.snappy.parquet'), part.subarray(0, part.length >> 1));
      const one = await failureOf(publish(dir, ONE_THREAD));
      const two = await failureOf(publish(dir, PARALLEL));
      expect(two.tables.fact_achats?.error?.code).toBe('PARQUET_INVALID');
      expect(two.tables.fact_achats?.error).toEqual(one.tables.fact_achats?.error);
    } finally {
      await remove();
    }
  });
});
