// helmet (one set for API responses, helmet's defaults for HTML pages), CORS (default `*` for
// GET, like the seed's flask-cors) and rate limiting.
import cors from 'cors';
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet, { type HelmetOptions } from 'helmet';
import { AppError } from '../../errors/app-error.js';
import { API_ERROR_CODES } from '../api-errors.js';
import { forwardedOf } from './forwarded.js';
import { clientKey, FixedWindowCounter, type WindowCount } from './rate-limit-store.js';

/**
 * helmet for API responses (JSON, CSV, NDJSON, /metrics text, errors): the headers OWASP's REST
 * Security Cheat Sheet names for every API response — a CSP that forbids loading anything and
 * framing (`default-src 'none'; frame-ancestors 'none'`), HSTS, `nosniff`, `X-Frame-Options: DENY`
 * — plus helmet's Cross-Origin-Resource-Policy (no cross-origin no-cors reads of the data).
 * helmet's other defaults govern how a browser treats an HTML document (its referrer, prefetching,
 * the legacy XSS filter, Flash and IE download policies, its browsing-context group) and say
 * nothing about a JSON body; they were ~600 of the ~1,000 header bytes of a small response
 * (/kpis: 273 bytes of body) and about half of what its headers cost node:http per request
 * (figures in docs/api.md, Operations and security).
 */
const API_HELMET: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  xFrameOptions: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  referrerPolicy: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/**
 * Security headers: API_HELMET on the paths `isApiPath` names, helmet's defaults (made for HTML
 * documents: the dashboard at /, the /docs page, their assets) on every other path, unknown ones
 * included, so anything not known to be an API response gets the fuller set.
 */
export function securityHeaders(isApiPath: (path: string) => boolean): RequestHandler {
  const api = helmet(API_HELMET);
  const documents = helmet();
  return (req, res, next) => (isApiPath(req.path) ? api : documents)(req, res, next);
}

export function corsPolicy(origins: readonly string[]): RequestHandler {
  return cors({
    origin: origins.length === 0 || origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'OPTIONS'],
    exposedHeaders: ['ETag', 'X-Request-Id', 'X-Data-Version', 'Retry-After'],
    maxAge: 600,
  });
}

export interface RateLimiting {
  /** express-rate-limit over `counter`: counts, sets the draft-8 headers, answers 429. */
  readonly middleware: RequestHandler;
  /** The counts, shared with the front cache lane (src/api/http/hot-front.ts). */
  readonly counter: FixedWindowCounter;
  /** Paths that are never counted (probes, metrics). */
  readonly exempt: (path: string) => boolean;
}

const WINDOW_MS = 60_000;

/** Paths never rate limited: probes and scrapes must not be turned away by a busy client's count. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/health', '/livez', '/readyz', '/metrics']);

/** The counter of `perMinute` requests per client per minute (both lanes and the front thread use this one form). */
export function rateLimitCounter(perMinute: number): FixedWindowCounter {
  return new FixedWindowCounter({ limit: perMinute, windowMs: WINDOW_MS });
}

/** null when disabled (0 requests per minute). Requests for which `exempt` holds are not counted. */
export function rateLimiter(perMinute: number, exempt: (path: string) => boolean): RateLimiting | null {
  if (perMinute <= 0) return null;
  const counter = rateLimitCounter(perMinute);
  const limited = (status: number) =>
    new AppError(API_ERROR_CODES.RATE_LIMITED, `more than ${perMinute} requests per minute from this client`, {
      status,
      details: { limit_per_minute: perMinute },
    });
  const counting = rateLimit({
    windowMs: WINDOW_MS,
    skip: (req) => exempt(req.path),
    limit: perMinute,
    // The counter and key of both lanes; the policy name the front lane writes too.
    store: counter,
    keyGenerator: (req) => clientKey(req),
    identifier: counter.name,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) => next(limited(options.statusCode)),
  });
  // A request the front thread forwards was counted there (forwarded.ts): its window gets the
  // headers and the verdict express-rate-limit would give it, without counting it again.
  const middleware: RequestHandler = (req, res, next) => {
    const window = forwardedOf(req)?.window;
    if (!window || exempt(req.path)) {
      void counting(req, res, next);
      return;
    }
    const now = Date.now();
    const client: WindowCount = { totalHits: window.totalHits, resetMs: window.resetMs, resetTime: new Date(window.resetMs), policy: undefined };
    res.append('RateLimit', counter.rateLimitHeader(client, now));
    res.append('RateLimit-Policy', counter.policyHeader(clientKey(req), client));
    if (window.totalHits <= perMinute) {
      next();
      return;
    }
    res.setHeader('Retry-After', String(Math.max(0, Math.ceil((window.resetMs - now) / 1000))));
    next(limited(429));
  };
  return { middleware, counter, exempt };
}
