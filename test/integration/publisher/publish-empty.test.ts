// An empty mandatory table: fact_achats with 0 rows (a 0-row Parquet file with the same columns,
// a Spark folder of 0-row part files, or every row dropped by --on-invalid skip) is refused with
// TABLE_EMPTY (exit 2) before anything is written, and the previous publish stays served;
// `allowEmpty` (--allow-empty) publishes it deliberately, with the spec's zero KPIs.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { KPI_DOCUMENT } from '../../../src/catalog/gold-catalog.js';
import { exitCodeOf } from '../../../publisher/summary.js';
import { fixtureDir } from '../../support/published-gold.js';
import { copyFixtures, publishFrom, tempDir, writeWithDuckDb } from './gold-inputs.js';
import { publishFailure, servedBaseline } from './served-baseline.js';

const baseline = servedBaseline('publisher-empty');
const failure = publishFailure;
const expectStillServed = () => baseline.expectStillServed();

/** `<dir>/fact_achats.parquet/part-0000i.parquet`, each with 0 rows and the fixture's columns (Spark layout). */
async function emptySparkFact(dir: string, parts: number): Promise<string> {
  const folder = path.join(dir, 'fact_achats.parquet');
  await mkdir(folder, { recursive: true });
  const src = path.join(fixtureDir('pandas'), 'fact_achats.parquet');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  try {
    for (let i = 0; i < parts; i++) {
      await conn.run(`COPY (SELECT * FROM read_parquet('${src}') LIMIT 0) TO '${path.join(folder, `part-0000${i}.parquet`)}' (FORMAT parquet)`);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  return folder;
}

describe('an empty fact_achats', () => {
  it('is refused with TABLE_EMPTY (exit 2) naming the table and the file, and the previous publish stays served', async () => {
    const { dir, remove } = await tempDir('empty-fact');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', 'SELECT * FROM {src} LIMIT 0');
      const error = await failure(publishFrom(baseline.t.db, [dir], { force: true }));
      expect(error.code).toBe('TABLE_EMPTY');
      expect(exitCodeOf(error)).toBe(2);
      expect(error.message).toContain(`fact_achats: 0 rows in ${path.join(dir, 'fact_achats.parquet')}: `);
      expect(error.message).toMatch(/would empty gold_fact_achats, gold_daily, gold_weekly, gold_distribution and set the KPIs to 0/);
      expect(error.message).toMatch(/--allow-empty/);
      await expectStillServed();
    } finally {
      await remove();
    }
  });

  it('is refused when it is a Spark folder whose part files all have 0 rows, naming the folder', async () => {
    const { dir, remove } = await tempDir('empty-spark-fact');
    try {
      await copyFixtures(dir, 'spark', ['ca_monthly', 'client_scores']);
      const folder = await emptySparkFact(dir, 2);
      const error = await failure(publishFrom(baseline.t.db, [dir], { force: true }));
      expect(error.code).toBe('TABLE_EMPTY');
      expect(error.message).toContain(`fact_achats: 0 rows in ${folder} (2 part files)`);
      await expectStillServed();
    } finally {
      await remove();
    }
  });

  it('is refused by --check too, which writes nothing', async () => {
    const { dir, remove } = await tempDir('empty-check');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', 'SELECT * FROM {src} LIMIT 0');
      const error = await failure(publishFrom(baseline.t.db, [dir], { check: true }));
      expect(error.code).toBe('TABLE_EMPTY');
      expect(exitCodeOf(error)).toBe(2);
      await expectStillServed();
    } finally {
      await remove();
    }
  });

  it('is refused when --on-invalid skip drops every row, nothing being swapped', async () => {
    const { dir, remove } = await tempDir('all-skipped');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', 'SELECT * REPLACE (-1.0 AS montant) FROM {src}');
      const error = await failure(publishFrom(baseline.t.db, [dir], { force: true, onInvalid: 'skip' }));
      expect(error.code).toBe('TABLE_EMPTY');
      expect(exitCodeOf(error)).toBe(2);
      expect(error.message).toContain(`fact_achats: all 400 rows in ${path.join(dir, 'fact_achats.parquet')} are invalid and were dropped by --on-invalid skip`);
      await expectStillServed();
    } finally {
      await remove();
    }
  });

  it('is published deliberately with allowEmpty: empty fact collection and views, zero KPIs, a note saying so', async () => {
    const { dir, remove } = await tempDir('allow-empty');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', 'SELECT * FROM {src} LIMIT 0');
      const summary = await publishFrom(baseline.t.db, [dir], { force: true, allowEmpty: true });
      expect(summary.status).toBe('published');
      expect(summary.tables.fact_achats).toMatchObject({ rows: 0, rejected: 0 });
      expect(summary.notes.join(' ')).toMatch(/fact_achats: 0 rows in .*fact_achats\.parquet; publishing it empty as --allow-empty asks/);
      for (const collection of ['gold_fact_achats', 'gold_daily', 'gold_weekly', 'gold_distribution']) {
        expect(await baseline.t.db.collection(collection).countDocuments(), collection).toBe(0);
      }
      const kpis = await baseline.t.db.collection(KPI_DOCUMENT.collection).findOne({});
      expect(kpis).toMatchObject({ total_ca: 0, total_achats: 0, total_clients: 0, panier_moyen: 0, dataset_size: 0 });
      expect(await baseline.t.db.collection('gold_dim_clients').countDocuments()).toBeGreaterThan(0);
    } finally {
      await remove();
      await baseline.republish();
    }
  });
});
