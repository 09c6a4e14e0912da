// One error type for the product. Codes live in frozen `as const` objects (no enums);
// each component may own its own codes object, all rendered the same way.

export const ERROR_CODES = Object.freeze({
  CONFIG_INVALID: 'CONFIG_INVALID',
  INTERNAL: 'INTERNAL',
} as const);

export interface AppErrorOptions {
  /** HTTP status when the error reaches a client (API), or informs the exit code (CLI). */
  status?: number;
  /** Structured, client-safe details: parameter names, expected values, counts. */
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? 500;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
