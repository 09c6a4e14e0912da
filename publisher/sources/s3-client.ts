// The project's one way to build an S3 client for MinIO/S3. Settings are those that are right
// against real MinIO (and any S3), never tuned to a test server's quirks:
//  - path-style addressing (MinIO serves buckets at http://host:port/bucket);
//  - checksums only WHEN_REQUIRED: the SDK's default (always) sends aws-chunked uploads with
//    trailing checksums, which older MinIO releases and other S3 look-alikes mis-store;
//  - bounded connection/request timeouts and few attempts, so an unreachable endpoint fails in
//    seconds instead of hanging in SDK retries.
// Callers always ask for explicit byte ranges (bytes=a-b), never suffix ranges (bytes=-n).
import { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../src/config/config.js';

export interface S3ClientOptions {
  /** TCP connect timeout (default 2000 ms). */
  readonly connectTimeoutMs?: number;
  /** Whole-request timeout, first byte to last (default 30000 ms). */
  readonly requestTimeoutMs?: number;
  /** Attempts per request including the first (default 3). */
  readonly maxAttempts?: number;
}

export type S3Settings = Pick<Config, 'MINIO_ENDPOINT' | 'MINIO_ACCESS_KEY' | 'MINIO_SECRET_KEY' | 'MINIO_SECURE' | 'MINIO_REGION'>;

/** 'localhost:9000' → 'http://localhost:9000' (or https when MINIO_SECURE); a full URL is kept. */
export function s3EndpointUrl(config: Pick<Config, 'MINIO_ENDPOINT' | 'MINIO_SECURE'>): string {
  const endpoint = config.MINIO_ENDPOINT.trim();
  if (/^https?:\/\//i.test(endpoint)) return endpoint.replace(/\/+$/, '');
  return `${config.MINIO_SECURE ? 'https' : 'http'}://${endpoint}`;
}

export function createS3Client(config: S3Settings, options: S3ClientOptions = {}): S3Client {
  return new S3Client({
    endpoint: s3EndpointUrl(config),
    region: config.MINIO_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: config.MINIO_ACCESS_KEY, secretAccessKey: config.MINIO_SECRET_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? 2_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true,
    },
  });
}
