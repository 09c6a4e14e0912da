// Requests the front thread (src/server/front-thread) forwards to the Express pipeline over its
// private socket carry what the front knows and the pipeline cannot see: the client's rate-limit
// key (the pipeline's socket is the front's, not the client's) and the window the front counted
// the request in (the front holds the one counter of every request, see rate-limit-store.ts).
// Both travel in one request header that the front sets on every forwarded request, replacing
// any a client sent, and that only the private socket's listener reads (`adoptForwarded`). The
// header opens with a secret made per process and known to the two threads only, so a request
// that reached the private socket any other way (smuggled inside a forwarded body, found by an
// audit) is refused rather than trusted.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const FORWARDED_HEADER = 'x-gold-front';

export interface Forwarded {
  /** The client's rate-limit key (clientKey of the client's own connection). */
  readonly key: string;
  /** The window the front counted this request in; absent when it did not count it. */
  readonly window?: { readonly totalHits: number; readonly resetMs: number };
}

const adopted = new WeakMap<IncomingMessage, Forwarded>();

/** A fresh secret for one process's two threads (hex, 32 digits). */
export function forwardingSecret(): string {
  return randomBytes(16).toString('hex');
}

/** The header value for `forwarded` (the key is URL-encoded: IPv6 keys hold colons and slashes). */
export function encodeForwarded(forwarded: Forwarded, secret: string): string {
  const key = encodeURIComponent(forwarded.key);
  return forwarded.window ? `${secret};${key};${forwarded.window.totalHits};${forwarded.window.resetMs}` : `${secret};${key}`;
}

/** The header value's meaning, or undefined when it is not one encodeForwarded wrote with `secret`. */
export function decodeForwarded(value: string, secret: string): Forwarded | undefined {
  const [given, key, hits, reset, ...rest] = value.split(';');
  if (given === undefined || !sameSecret(given, secret) || !key || rest.length > 0) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(key);
  } catch {
    return undefined;
  }
  if (hits === undefined && reset === undefined) return { key: decoded };
  const totalHits = Number(hits);
  const resetMs = Number(reset);
  if (!Number.isSafeInteger(totalHits) || totalHits < 1 || !Number.isSafeInteger(resetMs)) return undefined;
  return { key: decoded, window: { totalHits, resetMs } };
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * For the private socket's listener only: takes the front's header off `req` and remembers what
 * it says for this request. False when there is no valid one (the request did not come from the
 * front thread: the listener refuses it).
 */
export function adoptForwarded(req: IncomingMessage, secret: string): boolean {
  const value = req.headers[FORWARDED_HEADER];
  delete req.headers[FORWARDED_HEADER];
  const forwarded = typeof value === 'string' ? decodeForwarded(value, secret) : undefined;
  if (forwarded) adopted.set(req, forwarded);
  return forwarded !== undefined;
}

/** What the front said about `req`, when it was forwarded by the front thread. */
export function forwardedOf(req: IncomingMessage): Forwarded | undefined {
  return adopted.get(req);
}
