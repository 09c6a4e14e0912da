// Error codes of source discovery and S3 access, and the classification of SDK/network errors
// into them (pure: unit-tested with fake error objects).
import { AppError } from '../../src/errors/app-error.js';

export const SOURCE_ERROR_CODES = Object.freeze({
  /** Connection refused, DNS failure, timeout: nothing answered at the endpoint. */
  S3_UNREACHABLE: 'S3_UNREACHABLE',
  /** 401/403: wrong access key, secret or permissions. */
  S3_ACCESS_DENIED: 'S3_ACCESS_DENIED',
  /** The GOLD_BUCKET does not exist at the endpoint. */
  S3_BUCKET_MISSING: 'S3_BUCKET_MISSING',
  /** Any other S3 failure (5xx, malformed response...). */
  S3_FAILED: 'S3_FAILED',
  /** An object or file vanished or could not be read during a read. */
  SOURCE_READ_FAILED: 'SOURCE_READ_FAILED',
} as const);
export type SourceErrorCode = (typeof SOURCE_ERROR_CODES)[keyof typeof SOURCE_ERROR_CODES];

export interface S3Failure {
  readonly code: SourceErrorCode;
  /** Short human cause, e.g. 'ECONNREFUSED', 'timeout', 'HTTP 403 InvalidAccessKeyId'. */
  readonly cause: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);
const DENIED_NAMES = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'Unauthorized', 'InvalidToken', 'ExpiredToken']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** Finds a Node network error code anywhere in the cause chain (or an AggregateError). */
function networkCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as ErrorLike;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const found = networkCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return networkCode(e.cause, depth + 1);
}

export function classifyS3Error(error: unknown): S3Failure {
  const e = (error && typeof error === 'object' ? error : {}) as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const net = networkCode(error);
  if (net) return { code: SOURCE_ERROR_CODES.S3_UNREACHABLE, cause: net };
  if (name === 'TimeoutError' || name === 'AbortError' || name === 'RequestTimeout') return { code: SOURCE_ERROR_CODES.S3_UNREACHABLE, cause: 'timeout' };
  if (name === 'NoSuchBucket') return { code: SOURCE_ERROR_CODES.S3_BUCKET_MISSING, cause: 'NoSuchBucket' };
  if (status === 401 || status === 403 || DENIED_NAMES.has(name)) {
    return { code: SOURCE_ERROR_CODES.S3_ACCESS_DENIED, cause: `HTTP ${status ?? '403'}${name && name !== 'Unknown' ? ` ${name}` : ''}` };
  }
  const message = typeof e.message === 'string' ? e.message : String(error);
  return { code: SOURCE_ERROR_CODES.S3_FAILED, cause: `${status ? `HTTP ${status} ` : ''}${name || 'error'}: ${message}`.slice(0, 300) };
}

const STATUS: Record<SourceErrorCode, number> = {
  S3_UNREACHABLE: 503,
  S3_ACCESS_DENIED: 502,
  S3_BUCKET_MISSING: 502,
  S3_FAILED: 502,
  SOURCE_READ_FAILED: 502,
};

export function sourceError(code: SourceErrorCode, message: string, details: Record<string, unknown>, cause?: unknown): AppError {
  return new AppError(code, message, { status: STATUS[code], details, cause });
}
