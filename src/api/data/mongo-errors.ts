// Maps MongoDB driver failures to client-safe AppErrors (pure: looks only at name/code, so it
// is testable without a server and never leaks driver messages or hostnames).
import { AppError, isAppError } from '../../errors/app-error.js';
import { API_ERROR_CODES } from '../api-errors.js';

/** Server error codes of an exceeded maxTimeMS (MaxTimeMSExpired) and time limit (ExceededTimeLimit). */
const TIME_LIMIT_CODES = new Set<unknown>([50, 262]);
const TIME_LIMIT_CODE_NAMES = new Set<unknown>(['MaxTimeMSExpired', 'ExceededTimeLimit']);

const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoPoolClearedError',
  // The pool was cleared because the server monitor timed out (MongoDB stopped answering).
  'PoolClearedOnNetworkError',
]);

export function isMongoUnavailable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && UNAVAILABLE_NAMES.has((error as { name?: string }).name ?? '');
}

export function isMongoTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, codeName, name } = error as { code?: unknown; codeName?: unknown; name?: unknown };
  // The driver's operation deadline (`timeoutMS`; a no-op in driver 7.9, mapped for when it is not).
  if (name === 'MongoOperationTimeoutError') return true;
  return TIME_LIMIT_CODES.has(code) || TIME_LIMIT_CODE_NAMES.has(codeName);
}

/** `stage` names what was being read, e.g. "read gold_monthly". */
export function toApiError(error: unknown, stage: string): unknown {
  if (isAppError(error)) return error;
  if (isMongoTimeout(error)) {
    return new AppError(API_ERROR_CODES.QUERY_TIMEOUT, `${stage}: the query exceeded its time limit`, {
      status: 504,
      details: { stage },
      cause: error,
    });
  }
  if (isMongoUnavailable(error)) return dbUnavailable(stage, error);
  return error;
}

export function dbUnavailable(stage: string, cause?: unknown): AppError {
  return new AppError(API_ERROR_CODES.DB_UNAVAILABLE, `${stage}: MongoDB is unreachable`, {
    status: 503,
    details: { stage },
    ...(cause === undefined ? {} : { cause }),
  });
}
