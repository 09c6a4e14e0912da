import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TABLES } from '../../../src/catalog/gold-catalog.js';
import { loadConfig } from '../../../src/config/config.js';
import type { Config } from '../../../src/config/config.js';
import { discoverTables } from '../../../publisher/sources/discover.js';
import { emptyBucket, uploadDirectory } from '../../support/s3-upload.js';
import { expectedRows, FIXTURES, readTableRows } from './expected-rows.js';

const s3 = inject('s3');
const BUCKET = 'gold-sources-it';
const tableNames = TABLES.map((t) => t.parquet ?? t.name);

function s3Config(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    MINIO_ENDPOINT: s3.endpoint,
    MINIO_ACCESS_KEY: s3.accessKey,
    MINIO_SECRET_KEY: s3.secretKey,
    MINIO_REGION: s3.region,
    GOLD_BUCKET: BUCKET,
    LOCAL_GOLD_DIRS: 'does-not-exist',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}

let scratch: string;

beforeAll(async () => {
  await uploadDirectory(s3, BUCKET, path.join(FIXTURES, 'pandas'));
  await uploadDirectory(s3, BUCKET, path.join(FIXTURES, 'spark'), 'spark/');
  // A prefix holding only two tables, and a Spark folder with nothing but _SUCCESS.
  scratch = await mkdtemp(path.join(tmpdir(), 'gold-sources-'));
  await mkdir(path.join(scratch, 'dim_clients.parquet'));
  await writeFile(path.join(scratch, 'dim_clients.parquet', '_SUCCESS'), '');
  await copyFile(path.join(FIXTURES, 'pandas', 'ca_country.parquet'), path.join(scratch, 'ca_country.parquet'));
  await uploadDirectory(s3, BUCKET, scratch, 'partial/');
});

afterAll(async () => {
  await emptyBucket(s3, BUCKET);
  await rm(scratch, { recursive: true, force: true });
});

describe('discovery on S3', () => {
  it('finds the Pandas layout as single objects and decodes them through byte-range reads', async () => {
    const result = await discoverTables({ mode: 's3', config: s3Config(), tables: tableNames });
    expect(result.missing).toEqual([]);
    for (const table of tableNames) {
      const source = result.tables.get(table);
      expect(source).toMatchObject({ origin: 's3', layout: 'file', location: `s3://${BUCKET}/${table}.parquet` });
      expect(source!.files[0]!.version).toMatch(/^[0-9a-f]{32}$/);
      expect(await readTableRows(source!)).toEqual(await expectedRows(table));
    }
  });

  it('finds the Spark layout under a prefix, with paginated listings of 2 keys per page', async () => {
    const result = await discoverTables({ mode: 's3', config: s3Config({ GOLD_PREFIX: 'spark' }), tables: tableNames, s3ListPageSize: 2 });
    expect(result.missing).toEqual([]);
    const fact = result.tables.get('fact_achats');
    expect(fact).toMatchObject({ origin: 's3', layout: 'folder', location: `s3://${BUCKET}/spark/fact_achats.parquet/` });
    // 3 part files among 8 objects (parts, .crc files, _SUCCESS): only a complete listing finds all 3.
    expect(fact!.files.map((f) => f.uri.split('/').pop())).toEqual(expect.arrayContaining([expect.stringMatching(/^part-00002-/)]));
    expect(fact!.files).toHaveLength(3);
    for (const table of tableNames) {
      expect(await readTableRows(result.tables.get(table)!)).toEqual(await expectedRows(table));
    }
  });

  it('reports tables found nowhere as missing, and a folder without part files as absent with a note', async () => {
    const result = await discoverTables({ mode: 's3', config: s3Config({ GOLD_PREFIX: 'partial/' }), tables: ['ca_country', 'dim_clients', 'not_a_table'] });
    expect([...result.tables.keys()]).toEqual(['ca_country']);
    expect(result.missing).toEqual(['dim_clients', 'not_a_table']);
    expect(result.notes).toEqual([`s3://${BUCKET}/partial/dim_clients.parquet/ holds no part-*.parquet files; treated as absent`]);
  });

  it('falls back per table to local folders in auto mode when S3 lacks a table', async () => {
    const result = await discoverTables({
      mode: 'auto',
      config: s3Config({ GOLD_PREFIX: 'nothing-here/', LOCAL_GOLD_DIRS: 'spark' }),
      tables: ['ca_monthly'],
      cwd: FIXTURES,
    });
    expect(result.tables.get('ca_monthly')).toMatchObject({ origin: 'local', layout: 'folder' });
  });

  it('rejects a missing bucket in s3 mode, naming bucket and endpoint', async () => {
    await expect(discoverTables({ mode: 's3', config: s3Config({ GOLD_BUCKET: 'no-such-bucket' }), tables: tableNames })).rejects.toMatchObject({
      code: 'S3_BUCKET_MISSING',
      message: `S3 bucket "no-such-bucket" does not exist at ${s3.endpoint}`,
    });
  });

  it('rejects an unknown access key in auto mode too, without looking in the local folders', async () => {
    const config = s3Config({ MINIO_ACCESS_KEY: 'WRONG', LOCAL_GOLD_DIRS: 'pandas' });
    await expect(discoverTables({ mode: 'auto', config, tables: tableNames, cwd: FIXTURES })).rejects.toMatchObject({
      code: 'S3_ACCESS_DENIED',
      message: expect.stringMatching(new RegExp(`^S3 access denied at ${s3.endpoint}, bucket "${BUCKET}" \\(HTTP 403 InvalidAccessKeyId\\).*; not falling back to local folders`)),
    });
  });

  it('uses the local folders in auto mode when the bucket is missing, the note naming the bucket', async () => {
    const config = s3Config({ GOLD_BUCKET: 'no-such-bucket', LOCAL_GOLD_DIRS: 'pandas' });
    const result = await discoverTables({ mode: 'auto', config, tables: tableNames, cwd: FIXTURES });
    expect(result.missing).toEqual([]);
    expect([...result.tables.values()].every((s) => s.origin === 'local')).toBe(true);
    expect(result.notes).toEqual([`S3 bucket "no-such-bucket" does not exist at ${s3.endpoint}; using local folders`]);
  });

  it('lists every place a table found nowhere was looked for: the S3 key and each local folder', async () => {
    const config = s3Config({ GOLD_PREFIX: 'partial/', LOCAL_GOLD_DIRS: 'does-not-exist:pandas' });
    const result = await discoverTables({ mode: 'auto', config, tables: ['ca_country', 'not_a_table'], cwd: FIXTURES });
    expect(result.missing).toEqual(['not_a_table']);
    expect(result.tried).toEqual({
      not_a_table: [
        `s3://${BUCKET}/partial/not_a_table.parquet[/part-*.parquet] at ${s3.endpoint} (not found)`,
        `${path.join(FIXTURES, 'does-not-exist', 'not_a_table.parquet')} (folder ${path.join(FIXTURES, 'does-not-exist')} does not exist)`,
        `${path.join(FIXTURES, 'pandas', 'not_a_table.parquet')} (not found)`,
      ],
    });
  });

  it('rejects an unknown access key in s3 mode as access denied', async () => {
    await expect(discoverTables({ mode: 's3', config: s3Config({ MINIO_ACCESS_KEY: 'WRONG' }), tables: tableNames })).rejects.toMatchObject({
      code: 'S3_ACCESS_DENIED',
      message: expect.stringContaining(s3.endpoint),
    });
  });
});

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('discovery when S3 is down', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: only timeouts can end a request.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('uses the local folders in auto mode when nothing listens on the endpoint', async () => {
    const endpoint = `127.0.0.1:${await unusedPort()}`;
    const started = Date.now();
    const result = await discoverTables({ mode: 'auto', config: s3Config({ MINIO_ENDPOINT: endpoint, LOCAL_GOLD_DIRS: 'pandas' }), tables: tableNames, cwd: FIXTURES });
    console.info(`auto fallback with S3 refused: ${Date.now() - started} ms`);
    expect(result.missing).toEqual([]);
    expect([...result.tables.values()].every((s) => s.origin === 'local')).toBe(true);
    expect(result.notes[0]).toMatch(new RegExp(`^S3 unreachable at ${endpoint} \\(ECONNREFUSED after \\d+ ms\\); using local folders$`));
  });

  it('gives up on an endpoint that never answers after the connect timeout, then uses local folders', { timeout: 15_000 }, async () => {
    const address = silent.address();
    const endpoint = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const started = Date.now();
    const result = await discoverTables({ mode: 'auto', config: s3Config({ MINIO_ENDPOINT: endpoint, LOCAL_GOLD_DIRS: 'spark' }), tables: ['fact_achats'], cwd: FIXTURES, s3ConnectTimeoutMs: 1_000 });
    console.info(`auto fallback with a silent S3: ${Date.now() - started} ms`);
    expect(result.tables.get('fact_achats')?.origin).toBe('local');
    expect(result.notes[0]).toMatch(/^S3 unreachable at .* \(timeout after \d+ ms\); using local folders$/);
  });

  it('fails in s3 mode with an error naming the endpoint and the cause', async () => {
    const endpoint = `127.0.0.1:${await unusedPort()}`;
    await expect(discoverTables({ mode: 's3', config: s3Config({ MINIO_ENDPOINT: endpoint }), tables: tableNames })).rejects.toMatchObject({
      code: 'S3_UNREACHABLE',
      message: expect.stringMatching(new RegExp(`^S3 unreachable at ${endpoint} \\(ECONNREFUSED`)),
    });
  });
});
