// Test helpers to fill and empty buckets on the S3 test server (or a real MinIO), through the
// project's own client settings.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../publisher/sources/s3-client.js';
import type { S3TestServerInfo } from './s3-server.js';

export function clientFor(info: S3TestServerInfo): S3Client {
  return createS3Client({
    MINIO_ENDPOINT: info.endpoint,
    MINIO_ACCESS_KEY: info.accessKey,
    MINIO_SECRET_KEY: info.secretKey,
    MINIO_SECURE: info.secure,
    MINIO_REGION: info.region,
  });
}

export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
}

/** Creates the bucket if missing and uploads every file under localDir, keys relative to it under prefix. Returns the keys. */
export async function uploadDirectory(info: S3TestServerInfo, bucket: string, localDir: string, prefix = ''): Promise<string[]> {
  const client = clientFor(info);
  try {
    await ensureBucket(client, bucket);
    const keys: string[] = [];
    for (const file of await listFiles(localDir)) {
      const key = `${prefix}${path.relative(localDir, file).split(path.sep).join('/')}`;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(file) }));
      keys.push(key);
    }
    return keys;
  } finally {
    client.destroy();
  }
}

/** Deletes every object of the bucket (the bucket stays). */
export async function emptyBucket(info: S3TestServerInfo, bucket: string): Promise<void> {
  const client = clientFor(info);
  try {
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
      const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
      if (keys.length === 0) return;
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    }
  } finally {
    client.destroy();
  }
}
