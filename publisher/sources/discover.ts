// Where each gold table comes from (GOLD_SPEC §1). `auto`: S3 first, then each LOCAL_GOLD_DIRS
// folder in order, per table; `s3`: S3 only (failures are errors); `local`: folders only.
// The result says, per table, the origin and location, in `notes` why a source was skipped, and
// in `tried` every place a table found nowhere was looked for. `auto` uses the local folders for
// a table only when S3 is unreachable, its bucket is missing, or the table is absent there; S3
// refusing the credentials (or failing otherwise) is an error, not a reason to fall back.
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { AppError, isAppError } from '../../src/errors/app-error.js';
import { createLogger } from '../../src/logging/logger.js';
import type { Logger } from '../../src/logging/logger.js';
import { findLocalTable } from './local-discovery.js';
import { SOURCE_ERROR_CODES } from './errors.js';
import { normalisePrefix, tableEntryName } from './names.js';
import { createS3Client } from './s3-client.js';
import { findS3Table, probeS3 } from './s3-discovery.js';
import type { S3Target } from './s3-discovery.js';
import type { DiscoverOptions, DiscoveryResult, TableSource } from './types.js';

export const DEFAULT_S3_CONNECT_TIMEOUT_MS = 2_000;

export interface DiscoverExtraOptions {
  /** ListObjectsV2 page size (tests use a small one to exercise pagination). */
  readonly s3ListPageSize?: number;
  /** Parent logger (default: a new one at config.LOG_LEVEL). */
  readonly logger?: Logger;
}

export async function discoverTables(opts: DiscoverOptions & DiscoverExtraOptions): Promise<DiscoveryResult> {
  const { mode, config } = opts;
  const log = (opts.logger ?? createLogger({ level: config.LOG_LEVEL })).child({ module: 'publisher.sources' });
  const tables = new Map<string, TableSource>();
  const notes: string[] = [];
  const tried = new Map<string, string[]>(opts.tables.map((t) => [t, []]));
  const attempt = (table: string, where: string): void => void tried.get(table)?.push(where);
  let pending = [...opts.tables];

  if (mode === 'auto' || mode === 's3') {
    const connectTimeoutMs = opts.s3ConnectTimeoutMs ?? DEFAULT_S3_CONNECT_TIMEOUT_MS;
    const client = createS3Client(config, { connectTimeoutMs, maxAttempts: 2 });
    const target: S3Target = {
      client,
      endpoint: config.MINIO_ENDPOINT,
      bucket: config.GOLD_BUCKET,
      prefix: normalisePrefix(config.GOLD_PREFIX),
      ...(opts.s3ListPageSize ? { pageSize: opts.s3ListPageSize } : {}),
    };
    const s3Place = (table: string): string => `s3://${target.bucket}/${target.prefix}${tableEntryName(table)}[/part-*.parquet] at ${target.endpoint}`;
    try {
      // One bounded probe first, so an unreachable endpoint costs ~connectTimeoutMs once, not per table.
      await probeS3(target, connectTimeoutMs + 500);
      for (const table of pending) {
        const lookup = await findS3Table(target, table);
        if (lookup.note) notes.push(lookup.note);
        if (lookup.found) tables.set(table, lookup.found);
        else attempt(table, lookup.note ?? `${s3Place(table)} (not found)`);
      }
    } catch (error) {
      // GOLD_SPEC §1: local folders stand in for S3 only when it is unreachable or the table is
      // absent there (a missing bucket holds no table). Refused credentials or any other S3
      // failure are a misconfiguration: falling back could publish stale local data.
      if (mode === 's3' || !isAppError(error) || !FALLBACK_CODES.has(error.code)) throw refusedFallback(mode, error);
      const missingBucket = error.code === SOURCE_ERROR_CODES.S3_BUCKET_MISSING;
      notes.push(`${error.message}; using local folders`);
      for (const table of pending) if (!tables.has(table)) attempt(table, `${s3Place(table)} (not searched: ${error.message})`);
      if (missingBucket) {
        log.warn({ err: error.message, endpoint: target.endpoint, bucket: target.bucket }, `S3 bucket "${target.bucket}" not found at ${target.endpoint}; looking for the tables in local folders`);
      } else {
        log.warn({ err: error.message, endpoint: target.endpoint, bucket: target.bucket }, `S3 unreachable at ${target.endpoint}, falling back to local folders`);
      }
    }
    pending = pending.filter((t) => !tables.has(t));
    if (mode === 'auto' && pending.length > 0 && tables.size > 0) {
      notes.push(`not in s3://${target.bucket}/${target.prefix}: ${pending.join(', ')}; looking in local folders`);
    }
  }

  if (mode === 'auto' || mode === 'local') {
    const base = opts.cwd ?? process.cwd();
    for (const configured of config.LOCAL_GOLD_DIRS) {
      if (pending.length === 0) break;
      const dir = path.resolve(base, configured);
      const info = await stat(dir).catch(() => null);
      if (!info?.isDirectory()) {
        notes.push(`local folder ${dir} does not exist; skipped`);
        for (const table of pending) attempt(table, `${path.join(dir, tableEntryName(table))} (folder ${dir} does not exist)`);
        continue;
      }
      for (const table of pending) {
        const lookup = await findLocalTable(dir, table);
        if (lookup.note) notes.push(lookup.note);
        if (lookup.found) tables.set(table, lookup.found);
        else attempt(table, lookup.note ?? `${path.join(dir, tableEntryName(table))} (not found)`);
      }
      pending = pending.filter((t) => !tables.has(t));
    }
  }

  for (const source of tables.values()) {
    log.info({ table: source.table, origin: source.origin, location: source.location, layout: source.layout, files: source.files.length }, 'gold table found');
  }
  if (pending.length > 0) log.warn({ missing: pending }, 'gold tables found nowhere');
  // Keep the caller's table order in the map.
  const ordered = new Map(opts.tables.filter((t) => tables.has(t)).map((t) => [t, tables.get(t) as TableSource]));
  return { tables: ordered, missing: pending, notes, tried: Object.fromEntries(pending.map((t) => [t, tried.get(t) ?? []])) };
}

/** S3 failures after which `auto` may use the local folders (GOLD_SPEC §1). */
const FALLBACK_CODES: ReadonlySet<string> = new Set([SOURCE_ERROR_CODES.S3_UNREACHABLE, SOURCE_ERROR_CODES.S3_BUCKET_MISSING]);

/** In `auto`, says why the local folders were not used; `s3` and non-AppErrors pass through. */
function refusedFallback(mode: DiscoverOptions['mode'], error: unknown): unknown {
  if (mode !== 'auto' || !isAppError(error)) return error;
  return new AppError(
    error.code,
    `${error.message}; not falling back to local folders (they stand in for S3 only when it is unreachable or a table is absent there; fix the S3 settings or pass --source local)`,
    { status: error.status, details: error.details, cause: error },
  );
}
