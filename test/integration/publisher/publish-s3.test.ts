// Publishing from the S3 test server (standing in for MinIO): the Pandas layout at the bucket
// root, the Spark layout under GOLD_PREFIX=spark/, the fallback to local folders within
// seconds when the endpoint does not answer or the bucket is missing, and no fallback when S3
// refuses the credentials.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SYSTEM_COLLECTIONS, TABLES } from '../../../src/catalog/gold-catalog.js';
import { isAppError } from '../../../src/errors/app-error.js';
import { exitCodeOf } from '../../../publisher/summary.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { fixtureDir } from '../../support/published-gold.js';
import { emptyBucket, uploadDirectory } from '../../support/s3-upload.js';
import { expectedRows, publishFrom, snapshot } from './gold-inputs.js';

const BUCKET = 'gold-publisher-test';
let t: TestDb;
const s3 = inject('s3');
const s3Env = (prefix: string): Record<string, string> => ({
  MINIO_ENDPOINT: s3.endpoint,
  MINIO_ACCESS_KEY: s3.accessKey,
  MINIO_SECRET_KEY: s3.secretKey,
  MINIO_SECURE: String(s3.secure),
  MINIO_REGION: s3.region,
  GOLD_BUCKET: BUCKET,
  GOLD_PREFIX: prefix,
});

beforeAll(async () => {
  t = await connectTestDb('publisher-s3');
  await uploadDirectory(s3, BUCKET, fixtureDir('pandas'), '');
  await uploadDirectory(s3, BUCKET, fixtureDir('spark'), 'spark/');
});
afterAll(async () => {
  await emptyBucket(s3, BUCKET).catch(() => undefined);
  await t?.cleanup();
});

describe('publishing from S3', () => {
  it.each([
    ['pandas', '', 'file'],
    ['spark', 'spark/', 'folder'],
  ] as const)('loads the %s layout with every table from s3', async (_layout, prefix, shape) => {
    const summary = await publishFrom(t.db, [], { source: 's3', force: true }, s3Env(prefix));
    expect(summary.status).toBe('published');
    expect(summary.missing).toEqual([]);
    for (const table of TABLES) {
      expect(summary.tables[table.name], table.name).toMatchObject({ origin: 's3', layout: shape });
      expect(summary.tables[table.name]?.location).toContain(`s3://${BUCKET}/${prefix}${table.name}.parquet`);
    }
    const facts = await snapshot(t.db, 'gold_fact_achats');
    expect(facts).toEqual((await expectedRows('fact_achats')).sort((a, b) => (a.id_achat as number) - (b.id_achat as number)));
  });

  it('loads the spark layout from S3 with worker threads, the main thread reading the byte ranges', async () => {
    const summary = await publishFrom(t.db, [], { source: 's3', force: true, workers: 2, parallelMinBytes: 0 }, s3Env('spark/'), t.uri);
    expect(summary.tables.fact_achats).toMatchObject({ origin: 's3', workers: 2, rows: 400 });
    const facts = await snapshot(t.db, 'gold_fact_achats');
    expect(facts).toEqual((await expectedRows('fact_achats')).sort((a, b) => (a.id_achat as number) - (b.id_achat as number)));
  });

  it('auto mode prefers S3 and the fingerprint records the ETags', async () => {
    const summary = await publishFrom(t.db, [fixtureDir('spark')], { source: 'auto', force: true }, s3Env(''));
    expect(summary.tables.fact_achats?.origin).toBe('s3');
    expect(summary.tables.fact_achats?.files[0]?.version).toMatch(/\S/);
    const again = await publishFrom(t.db, [fixtureDir('spark')], { source: 'auto' }, s3Env(''));
    expect(again.status).toBe('unchanged');
  });

  it('falls back to the local folders within seconds when S3 does not answer', async () => {
    const started = performance.now();
    const summary = await publishFrom(t.db, [fixtureDir('pandas')], { source: 'auto', force: true, s3ConnectTimeoutMs: 2_000 }, { ...s3Env(''), MINIO_ENDPOINT: '127.0.0.1:9' });
    const seconds = (performance.now() - started) / 1000;
    console.info(`S3 down → local fallback publish took ${seconds.toFixed(2)} s`);
    expect(summary.status).toBe('published');
    expect(summary.tables.fact_achats?.origin).toBe('local');
    expect(summary.notes.join(' ')).toMatch(/local/);
  });

  it('refuses credentials S3 rejects in auto mode with S3_ACCESS_DENIED (exit 1), publishing nothing from the local folders', async () => {
    await publishFrom(t.db, [fixtureDir('pandas')], { source: 'local', force: true });
    const before = await t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
    const error = await publishFrom(t.db, [fixtureDir('pandas')], { source: 'auto', force: true }, { ...s3Env(''), MINIO_ACCESS_KEY: 'WRONG' }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('S3_ACCESS_DENIED');
    expect(exitCodeOf(error)).toBe(1);
    expect((error as Error).message).toMatch(new RegExp(`^S3 access denied at ${s3.endpoint}, bucket "${BUCKET}" \\(HTTP 403 InvalidAccessKeyId\\).*; not falling back to local folders`));
    const after = await t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
    expect(after?.version).toBe(before?.version);
    expect(await t.db.collection(SYSTEM_COLLECTIONS.lock).countDocuments()).toBe(0);
  });

  it('uses the local folders when the bucket does not exist, the notes naming the bucket', async () => {
    const summary = await publishFrom(t.db, [fixtureDir('pandas')], { source: 'auto', force: true }, { ...s3Env(''), GOLD_BUCKET: 'no-such-gold-bucket' });
    expect(summary.status).toBe('published');
    expect(summary.tables.fact_achats?.origin).toBe('local');
    expect(summary.notes[0]).toBe(`S3 bucket "no-such-gold-bucket" does not exist at ${s3.endpoint}; using local folders`);
  });
});
