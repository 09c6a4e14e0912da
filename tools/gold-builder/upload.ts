// `--upload`: puts the gold files in the MinIO/S3 gold bucket under GOLD_PREFIX, keyed exactly
// like the local layout (`<prefix><table>.parquet` or `<prefix><table>.parquet/part-…`).
import { CreateBucketCommand, HeadBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AppError } from '../../src/errors/app-error.js';
import { TOOL_ERROR_CODES } from '../shared/tool-errors.js';
import type { GoldFile } from './gold-writer.js';

export interface UploadTarget {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
}

/** Object key of a gold file: GOLD_PREFIX joined to the layout key with exactly one `/`. */
export function objectKey(prefix: string, key: string): string {
  const p = prefix.replace(/^\/+/, '');
  return p === '' ? key : `${p.replace(/\/+$/, '')}/${key}`;
}

async function ensureBucket(target: UploadTarget): Promise<void> {
  try {
    await target.client.send(new HeadBucketCommand({ Bucket: target.bucket }));
  } catch {
    // Absent (or not visible): try to create it; a real permission problem surfaces on the put.
    await target.client.send(new CreateBucketCommand({ Bucket: target.bucket })).catch(() => undefined);
  }
}

/** Uploads every file; returns the object keys written. */
export async function uploadGold(target: UploadTarget, files: readonly GoldFile[]): Promise<string[]> {
  await ensureBucket(target);
  const keys: string[] = [];
  for (const file of files) {
    const key = objectKey(target.prefix, file.key);
    try {
      await target.client.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: file.bytes, ContentLength: file.bytes.byteLength }));
    } catch (error) {
      throw new AppError(TOOL_ERROR_CODES.UPLOAD_FAILED, `upload gold table ${file.table} to s3://${target.bucket}/${key} failed: ${(error as Error).message}`, {
        status: 1,
        cause: error,
        details: { table: file.table, bucket: target.bucket, key },
      });
    }
    keys.push(key);
  }
  return keys;
}
