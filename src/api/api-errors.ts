// Error codes of the serving API. Every client-visible failure carries one of these; the
// error middleware renders them as `{ error, code, details }`.
import { AppError } from '../errors/app-error.js';

export const API_ERROR_CODES = Object.freeze({
  BAD_PARAMETER: 'BAD_PARAMETER',
  /** A request node:http could not parse (src/server/client-errors.ts). */
  BAD_REQUEST: 'BAD_REQUEST',
  UNKNOWN_PARAMETER: 'UNKNOWN_PARAMETER',
  DATA_EMPTY: 'DATA_EMPTY',
  DB_UNAVAILABLE: 'DB_UNAVAILABLE',
  QUERY_TIMEOUT: 'QUERY_TIMEOUT',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHORIZED: 'UNAUTHORIZED',
  RATE_LIMITED: 'RATE_LIMITED',
  /** The front thread could not hand a request to the API thread (src/server/front-thread). */
  INTERNAL: 'INTERNAL',
} as const);
export type ApiErrorCode = (typeof API_ERROR_CODES)[keyof typeof API_ERROR_CODES];

/** 400 naming the query parameter, the value received and what was expected. */
export function badParameter(parameter: string, value: unknown, expected: string): AppError {
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value) : String(value);
  return new AppError(API_ERROR_CODES.BAD_PARAMETER, `query parameter "${parameter}": got ${shown}, expected ${expected}`, {
    status: 400,
    details: { parameter, expected },
  });
}

/** 503 of the seed: `{ error: "<collection> vide" }`, retried by clients after a publish. */
export function dataEmpty(collection: string): AppError {
  return new AppError(API_ERROR_CODES.DATA_EMPTY, `${collection} vide`, {
    status: 503,
    details: { collection, reason: 'no published data; retry after the next publish' },
  });
}
