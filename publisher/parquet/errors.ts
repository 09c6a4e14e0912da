// Error codes of the Parquet-reading edge. Every decode failure, whatever its cause inside
// hyparquet (RangeError, TypeError, thrift garbage...), surfaces as one of these AppErrors.
import { AppError } from '../../src/errors/app-error.js';

export const PARQUET_ERROR_CODES = Object.freeze({
  /** Not Parquet, truncated, empty, corrupt page/footer, absurd sizes: the file cannot be read. */
  PARQUET_INVALID: 'PARQUET_INVALID',
  /** A requested column is not in the file's schema. */
  PARQUET_COLUMN_MISSING: 'PARQUET_COLUMN_MISSING',
} as const);
export type ParquetErrorCode = (typeof PARQUET_ERROR_CODES)[keyof typeof PARQUET_ERROR_CODES];

/** A PARQUET_INVALID error (422: the input is bad, not the service) naming the file and the problem. */
export function parquetInvalid(uri: string, problem: string, cause?: unknown): AppError {
  return new AppError(PARQUET_ERROR_CODES.PARQUET_INVALID, `parquet read: ${uri} is not a readable Parquet file: ${problem}`, {
    status: 422,
    details: { file: uri, problem },
    cause,
  });
}

/** Wraps anything thrown while decoding into PARQUET_INVALID; AppErrors pass through unchanged. */
export function toParquetError(uri: string, stage: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return parquetInvalid(uri, `${stage}: ${message}`, error);
}
