// S3/MinIO side of discovery (GOLD_SPEC §1): under GOLD_PREFIX, `<table>.parquet` as one object
// (Pandas) or `<table>.parquet/part-*.parquet` (Spark), found by a paginated listing.
import { HeadBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AppError } from '../../src/errors/app-error.js';
import { classifyS3Error, SOURCE_ERROR_CODES, sourceError } from './errors.js';
import { isPartFileName, sortByName, tableEntryName } from './names.js';
import { makeS3ParquetFile } from './s3-file.js';
import type { TableSource } from './types.js';

export interface S3Target {
  readonly client: S3Client;
  /** 'host:port' as configured, for messages. */
  readonly endpoint: string;
  readonly bucket: string;
  /** Normalised: '' or 'path/'. */
  readonly prefix: string;
  /** ListObjectsV2 MaxKeys (default 1000, the S3 maximum). */
  readonly pageSize?: number;
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

/**
 * Checks that the endpoint answers and the bucket exists, within `timeoutMs` overall (retries
 * included). Throws an AppError naming endpoint, bucket and cause.
 */
export async function probeS3(target: S3Target, timeoutMs: number): Promise<void> {
  const started = Date.now();
  try {
    await target.client.send(new HeadBucketCommand({ Bucket: target.bucket }), { abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    // HeadBucket has no body, so a missing bucket is a bare 404 ('NotFound'), not 'NoSuchBucket'.
    const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
    if (status === 404) {
      throw sourceError(SOURCE_ERROR_CODES.S3_BUCKET_MISSING, `S3 bucket "${target.bucket}" does not exist at ${target.endpoint}`, { endpoint: target.endpoint, bucket: target.bucket, stage: 'probe' }, error);
    }
    // A bare 403 does not say why (wrong key id, wrong secret, missing permission): one listing,
    // which has an error body, names the S3 error code for the message.
    if (status === 403) {
      const remaining = Math.max(500, timeoutMs - (Date.now() - started));
      const listed = await target.client
        .send(new ListObjectsV2Command({ Bucket: target.bucket, MaxKeys: 1 }), { abortSignal: AbortSignal.timeout(remaining) })
        .then(() => null, (e: unknown) => e);
      if (listed === null) return;
      throw s3Failure(target, 'probe', listed, Date.now() - started);
    }
    throw s3Failure(target, 'probe', error, Date.now() - started);
  }
}

/** All objects under a prefix, following continuation tokens. */
export async function listObjects(target: S3Target, prefix: string): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const started = Date.now();
    let page;
    try {
      page = await target.client.send(
        new ListObjectsV2Command({ Bucket: target.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: target.pageSize ?? 1000 }),
      );
    } catch (error) {
      throw s3Failure(target, `listing of "${prefix}"`, error, Date.now() - started);
    }
    for (const item of page.Contents ?? []) {
      if (item.Key === undefined) continue;
      out.push({ key: item.Key, size: Number(item.Size ?? 0), etag: (item.ETag ?? '').replace(/"/g, '') });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
    if (page.IsTruncated && !token) throw sourceError(SOURCE_ERROR_CODES.S3_FAILED, `S3 listing of s3://${target.bucket}/${prefix} at ${target.endpoint} is truncated but has no continuation token`, { endpoint: target.endpoint, bucket: target.bucket, prefix });
  } while (token);
  return out;
}

export type S3Lookup = { found: TableSource; note?: string } | { found: null; note?: string };

/** Pure: picks the table's single object or its part files out of a listing under `<prefix><table>.parquet`. */
export function pickTableObjects(prefix: string, table: string, objects: readonly ListedObject[]): { layout: 'file' | 'folder'; key: string; objects: ListedObject[] } | { layout: null; emptyFolder: boolean } {
  const fileKey = `${prefix}${tableEntryName(table)}`;
  const folder = `${fileKey}/`;
  const single = objects.find((o) => o.key === fileKey);
  if (single) return { layout: 'file', key: fileKey, objects: [single] };
  const inFolder = objects.filter((o) => o.key.startsWith(folder));
  // Only direct children named part-*.parquet; Spark's _SUCCESS, .crc and markers are skipped.
  const parts = inFolder
    .map((o) => ({ ...o, name: o.key.slice(folder.length) }))
    .filter((o) => !o.name.includes('/') && isPartFileName(o.name));
  if (parts.length > 0) return { layout: 'folder', key: folder, objects: sortByName(parts) };
  return { layout: null, emptyFolder: inFolder.length > 0 };
}

export async function findS3Table(target: S3Target, table: string): Promise<S3Lookup> {
  const fileKey = `${target.prefix}${tableEntryName(table)}`;
  const picked = pickTableObjects(target.prefix, table, await listObjects(target, fileKey));
  if (picked.layout === null) {
    return picked.emptyFolder
      ? { found: null, note: `s3://${target.bucket}/${fileKey}/ holds no part-*.parquet files; treated as absent` }
      : { found: null };
  }
  const files = picked.objects.map((o) => makeS3ParquetFile(target.client, target.endpoint, { bucket: target.bucket, key: o.key, size: o.size, etag: o.etag }));
  return {
    found: { table, origin: 's3', location: `s3://${target.bucket}/${picked.key}`, layout: picked.layout, files },
  };
}

function s3Failure(target: S3Target, what: string, error: unknown, elapsedMs: number): AppError {
  const failure = classifyS3Error(error);
  const where = `${target.endpoint}, bucket "${target.bucket}"`;
  const message =
    failure.code === SOURCE_ERROR_CODES.S3_UNREACHABLE
      ? `S3 unreachable at ${target.endpoint} (${failure.cause} after ${elapsedMs} ms)`
      : failure.code === SOURCE_ERROR_CODES.S3_BUCKET_MISSING
        ? `S3 bucket "${target.bucket}" does not exist at ${target.endpoint}`
        : failure.code === SOURCE_ERROR_CODES.S3_ACCESS_DENIED
          ? `S3 access denied at ${where} (${failure.cause}): check MINIO_ACCESS_KEY/MINIO_SECRET_KEY`
          : `S3 ${what} failed at ${where}: ${failure.cause}`;
  return sourceError(failure.code, message, { endpoint: target.endpoint, bucket: target.bucket, stage: what, cause: failure.cause, elapsedMs }, error);
}
