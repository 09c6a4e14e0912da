// MongoDB server error codes the test server answers with, and the error type that carries
// them to the dispatcher, which renders `{ ok: 0, errmsg, code, codeName }` like mongod.
import type { Document } from 'bson';

export const MONGO_ERROR_CODES = Object.freeze({
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  MaxTimeMSExpired: 50,
  NamespaceExists: 48,
  Unauthorized: 13,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CannotCreateIndex: 67,
  CommandNotSupported: 115,
  InvalidPipelineOperator: 168,
  QueryPlanKilled: 175,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  Location15975: 15975,
  Location28747: 28747,
  Location40323: 40323,
  Location40324: 40324,
} as const);

export type MongoErrorName = keyof typeof MONGO_ERROR_CODES;

export class MongoCommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  /** Extra reply fields (e.g. keyPattern/keyValue for E11000). */
  readonly extra: Document;

  constructor(codeName: MongoErrorName, message: string, extra: Document = {}) {
    super(message);
    this.name = 'MongoCommandError';
    this.code = MONGO_ERROR_CODES[codeName];
    // mongod reports numbered "LocationNNNNN" codes without a codeName-like alias; keep its spelling.
    this.codeName = codeName;
    this.extra = extra;
  }
}

export function isMongoCommandError(error: unknown): error is MongoCommandError {
  return error instanceof MongoCommandError;
}

/** Renders any thrown value as a mongod error reply. Unknown errors become BadValue. */
export function errorReply(error: unknown): Document {
  if (isMongoCommandError(error)) {
    return { ok: 0, errmsg: error.message, code: error.code, codeName: error.codeName, ...error.extra };
  }
  const translated = translateEngineError(error);
  return { ok: 0, errmsg: translated.message, code: translated.code, codeName: translated.codeName };
}

/**
 * mingo throws plain `MingoError`s for unknown operators and malformed specs. Map the
 * recognisable ones to the code mongod would use so clients see a normal MongoServerError.
 */
export function translateEngineError(error: unknown): MongoCommandError {
  const message = error instanceof Error ? error.message : String(error);
  if (/unknown query operator|unknown top level operator/i.test(message)) {
    return new MongoCommandError('BadValue', `unknown operator: ${message.replace(/^.*operator:?\s*/i, '')}`);
  }
  if (/unregistered pipeline operator/i.test(message)) {
    return new MongoCommandError('Location40324', `Unrecognized pipeline stage name: ${message.replace(/^.*operator\s*/i, '').replace(/\.$/, '')}`);
  }
  if (/is not registered|unknown expression|unregistered/i.test(message)) {
    return new MongoCommandError('InvalidPipelineOperator', `Unrecognized expression or accumulator: ${message}`);
  }
  if (/immutable field/i.test(message)) return new MongoCommandError('ImmutableField', message);
  if (/unknown update operator/i.test(message)) {
    return new MongoCommandError('FailedToParse', message);
  }
  return new MongoCommandError('BadValue', `mongo-test-server could not evaluate the request: ${message}`);
}
