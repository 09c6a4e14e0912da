// The one error renderer: `{ error, code, details }` with the AppError's status. Unknown errors
// become a generic 500; stacks and driver messages go to the log, never to the client.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, ERROR_CODES, isAppError } from '../../errors/app-error.js';
import { API_ERROR_CODES } from '../api-errors.js';

const RETRY_AFTER_S = '5';

/** Errors raised by Express/body-parser/etc. carry a 4xx `status` and a safe message. */
function fromHttpError(error: unknown): AppError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, statusCode, expose, message } = error as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : 0;
  if (code < 400 || code > 499) return null;
  const text = expose === true && typeof message === 'string' ? message : 'bad request';
  return new AppError(API_ERROR_CODES.BAD_PARAMETER, text, { status: code, cause: error });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const appError = isAppError(error)
      ? error
      : (fromHttpError(error) ?? new AppError(ERROR_CODES.INTERNAL, 'internal error', { status: 500, cause: error }));
    const log = (req as { log?: Logger }).log ?? logger;
    if (appError.status >= 500) log.error({ err: error, code: appError.code }, appError.message);
    // Rejected callers are refused before the access logger runs: keep a trail of them.
    else if (appError.status === 401 || appError.status === 429) log.warn({ code: appError.code, requestId: (req as { id?: unknown }).id, path: req.path }, appError.message);
    else log.debug({ code: appError.code, details: appError.details }, appError.message);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (appError.status === 503) res.set('Retry-After', RETRY_AFTER_S);
    res.set('Cache-Control', 'no-store');
    // Set by the cache path before rendering failed: they describe a response that was not sent.
    res.removeHeader('ETag');
    res.removeHeader('X-Data-Version');
    res.status(appError.status).json({ error: appError.message, code: appError.code, details: appError.details ?? null });
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  const path = req.path.slice(0, 200);
  next(new AppError(API_ERROR_CODES.NOT_FOUND, `no endpoint ${req.method} ${path}`, { status: 404, details: { method: req.method, path } }));
};
