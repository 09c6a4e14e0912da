// Requests the front thread (src/server/front-thread) forwards to the Express pipeline over its
// private socket carry what the front knows and the pipeline cannot see: the client's rate-limit
// key (the pipeline's socket is the front's, not the client's) and the window the front counted
// the request in (the front holds the one counter of every request, see rate-limit-store.ts).
// Both travel in one request header that the front sets on every forwarded request, replacing
// any a client sent, and that only the private socket's listener reads (`adoptForwarded`): a
// client of the public port cannot forge it.
import type { IncomingMessage } from 'node:http';

export const FORWARDED_HEADER = 'x-gold-front';

export interface Forwarded {
  /** The client's rate-limit key (clientKey of the client's own connection). */
  readonly key: string;
  /** The window the front counted this request in; absent when it did not count it. */
  readonly window?: { readonly totalHits: number; readonly resetMs: number };
}

const adopted = new WeakMap<IncomingMessage, Forwarded>();

/** The header value for `forwarded` (the key is URL-encoded: IPv6 keys hold colons and slashes). */
export function encodeForwarded(forwarded: Forwarded): string {
  const key = encodeURIComponent(forwarded.key);
  return forwarded.window ? `${key};${forwarded.window.totalHits};${forwarded.window.resetMs}` : key;
}

/** The header value's meaning, or undefined when it is not one encodeForwarded wrote. */
export function decodeForwarded(value: string): Forwarded | undefined {
  const [key, hits, reset, ...rest] = value.split(';');
  if (!key || rest.length > 0) return undefined;
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

/**
 * For the private socket's listener only: takes the front's header off `req` and remembers what
 * it says for this request. A request without a valid one is left as it is (its own socket's
 * address is then its key, as on a public port).
 */
export function adoptForwarded(req: IncomingMessage): void {
  const value = req.headers[FORWARDED_HEADER];
  if (value === undefined) return;
  delete req.headers[FORWARDED_HEADER];
  const forwarded = typeof value === 'string' ? decodeForwarded(value) : undefined;
  if (forwarded) adopted.set(req, forwarded);
}

/** What the front said about `req`, when it was forwarded by the front thread. */
export function forwardedOf(req: IncomingMessage): Forwarded | undefined {
  return adopted.get(req);
}
