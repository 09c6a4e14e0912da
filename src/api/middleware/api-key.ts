// Optional API keys (API_KEYS): when configured, data endpoints need a matching X-API-Key.
// Keys are compared as SHA-256 digests with timingSafeEqual, against every key, so neither the
// length nor the position of a match shows in the response time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../../errors/app-error.js';
import { API_ERROR_CODES } from '../api-errors.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function keyDigests(keys: readonly string[]): Buffer[] {
  return keys.map(digest);
}

export function keyMatches(candidate: string, keyDigests: readonly Buffer[]): boolean {
  const given = digest(candidate);
  let match = false;
  for (const key of keyDigests) match = timingSafeEqual(given, key) || match;
  return match;
}

/** Guards the paths for which `guarded` holds (the data endpoints); others pass. */
export function apiKeyGuard(keys: readonly string[], guarded: (path: string) => boolean): RequestHandler {
  const digests = keyDigests(keys);
  return (req, _res, next) => {
    if (digests.length === 0 || !guarded(req.path)) return next();
    const header = req.headers['x-api-key'];
    if (typeof header === 'string' && keyMatches(header, digests)) return next();
    next(
      new AppError(API_ERROR_CODES.UNAUTHORIZED, header === undefined ? 'missing X-API-Key header' : 'invalid X-API-Key header', {
        status: 401,
        details: { header: 'X-API-Key' },
      }),
    );
  };
}
