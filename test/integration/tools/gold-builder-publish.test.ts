// Round trip: generated sources → gold builder (pandas and spark layouts, and --upload to the
// S3 test server) → the publisher's runPublish into MongoDB → the documents the API serves.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { datasetByName, KPI_DOCUMENT } from '../../../src/catalog/gold-catalog.js';
import { loadConfig } from '../../../src/config/config.js';
import { runPublish } from '../../../publisher/run.js';
import { createS3Client } from '../../../publisher/sources/s3-client.js';
import { writeSources } from '../../../tools/generator/cli.js';
import { DEFAULT_END_MS } from '../../../tools/generator/generate.js';
import { buildGold, type BuildGoldReport } from '../../../tools/gold-builder/build-gold.js';
import type { GoldLayout } from '../../../tools/gold-builder/gold-writer.js';

const logger = pino({ level: 'silent' });

describe('gold builder output published by the publisher', () => {
  let work = '';
  let client: MongoClient;
  const sources = () => join(work, 'sources');

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'gold-roundtrip-'));
    await writeSources(sources(), { clients: 120, purchasesPerClient: 5, seed: 3, endMs: DEFAULT_END_MS });
    client = await MongoClient.connect(inject('mongoUrl'));
  });

  afterAll(async () => {
    await client?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function publishLocal(layout: GoldLayout, dbName: string): Promise<BuildGoldReport> {
    const out = join(work, `gold-${layout}`);
    const report = await buildGold({ sourcesDir: sources(), outDir: out, layout });
    const config = loadConfig({ MONGO_DB: dbName, LOCAL_GOLD_DIRS: out });
    const db = client.db(dbName);
    await db.dropDatabase();
    const summary = await runPublish({ source: 'local', force: true }, { config, logger, db });
    expect(summary.status).toBe('published');
    expect(summary.missing).toEqual([]);
    return report;
  }

  test.each(['pandas', 'spark'] as const)('the %s layout publishes every table with the builder row counts', async (layout) => {
    const dbName = `tools_roundtrip_${layout}`;
    const report = await publishLocal(layout, dbName);
    const db = client.db(dbName);
    for (const table of report.tables) {
      const collection = datasetByName(table.name).collection;
      expect(await db.collection(collection).countDocuments(), `${table.name} → ${collection}`).toBe(table.rows);
    }
    if (layout === 'spark') {
      expect((await readdir(join(work, 'gold-spark', 'fact_achats.parquet'))).sort()).toEqual([
        '_SUCCESS',
        expect.stringMatching(/^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/),
      ]);
    }
    const kpis = await db.collection(KPI_DOCUMENT.collection).findOne({});
    const fact = report.tables.find((t) => t.name === 'fact_achats');
    expect(kpis).toMatchObject({ total_achats: fact?.rows, total_clients: 120 });
    const score = await db.collection(datasetByName('client_scores').collection).findOne({});
    expect(score?.reference_date).toBeInstanceOf(Date);
    expect(typeof score?.prob_reachat_12m).toBe('number');
    const purchase = await db.collection(datasetByName('fact_achats').collection).findOne({});
    expect(purchase?.date_achat).toBeInstanceOf(Date);
    expect(purchase?.jour).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('--upload puts the files in the gold bucket, and the publisher reads them from S3', async () => {
    const s3 = inject('s3');
    const config = loadConfig({
      MONGO_DB: 'tools_roundtrip_s3',
      MINIO_ENDPOINT: s3.endpoint,
      MINIO_ACCESS_KEY: s3.accessKey,
      MINIO_SECRET_KEY: s3.secretKey,
      MINIO_REGION: s3.region,
      GOLD_BUCKET: 'gold-tools-test',
      GOLD_PREFIX: 'spark/',
      LOCAL_GOLD_DIRS: join(work, 'nowhere'),
    });
    const s3Client = createS3Client(config);
    try {
      const report = await buildGold({
        sourcesDir: sources(),
        outDir: join(work, 'gold-upload'),
        layout: 'spark',
        upload: { client: s3Client, bucket: config.GOLD_BUCKET, prefix: config.GOLD_PREFIX },
      });
      expect(report.uploadedKeys).toHaveLength(18);
      const listed = await s3Client.send(new ListObjectsV2Command({ Bucket: config.GOLD_BUCKET, Prefix: 'spark/fact_achats.parquet/' }));
      expect((listed.Contents ?? []).map((o) => o.Key?.replace(/part-.*/, 'part-*')).sort()).toEqual([
        'spark/fact_achats.parquet/_SUCCESS',
        'spark/fact_achats.parquet/part-*',
      ]);
      const db = client.db(config.MONGO_DB);
      await db.dropDatabase();
      const summary = await runPublish({ source: 's3', force: true }, { config, logger, db });
      expect(summary.tables.fact_achats?.origin).toBe('s3');
      expect(await db.collection(datasetByName('fact_achats').collection).countDocuments()).toBe(report.tables[0]?.rows);
    } finally {
      s3Client.destroy();
    }
  });
});
