// helmet, CORS (default `*` for GET, like the seed's flask-cors) and rate limiting.
import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { AppError } from '../../errors/app-error.js';
import { API_ERROR_CODES } from '../api-errors.js';

export function securityHeaders(): RequestHandler {
  return helmet();
}

export function corsPolicy(origins: readonly string[]): RequestHandler {
  return cors({
    origin: origins.length === 0 || origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'OPTIONS'],
    exposedHeaders: ['ETag', 'X-Request-Id', 'X-Data-Version', 'Retry-After'],
    maxAge: 600,
  });
}

/** null when disabled (0 requests per minute). Requests for which `exempt` holds are not counted. */
export function rateLimiter(perMinute: number, exempt: (path: string) => boolean): RequestHandler | null {
  if (perMinute <= 0) return null;
  return rateLimit({
    windowMs: 60_000,
    skip: (req) => exempt(req.path),
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) => {
      next(
        new AppError(API_ERROR_CODES.RATE_LIMITED, `more than ${perMinute} requests per minute from this client`, {
          status: options.statusCode,
          details: { limit_per_minute: perMinute },
        }),
      );
    },
  });
}
