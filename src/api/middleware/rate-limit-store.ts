// The rate limiter's hit counter, shared by both lanes: express-rate-limit uses it as its Store
// (the Express pipeline: counting, draft-8 headers, the 429), and the front cache lane
// (src/api/http/hot-front.ts) calls it synchronously, so a client has ONE count per window
// whichever lane serves it. Fixed window per client key, like express-rate-limit's MemoryStore;
// counting is synchronous (no await between reading and writing a count).
//
// Every request is counted exactly once: the Express lane counts every request it limits (also
// those over the limit, as MemoryStore does); the front lane counts only requests it serves
// itself (`tryHit`) and hands a request that would exceed the limit to Express uncounted, where
// the limiter counts it and renders the 429 as it always did.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { ipKeyGenerator, type ClientRateLimitInfo, type Store } from 'express-rate-limit';
import { forwardedOf } from './forwarded.js';

/** One client's window. `resetTime` is what express-rate-limit reads; `resetMs` the same as a number. */
export interface WindowCount extends ClientRateLimitInfo {
  totalHits: number;
  resetTime: Date;
  resetMs: number;
  /** The client's RateLimit-Policy value (constant per key), formatted on first use. */
  policy: string | undefined;
}

const keys = new WeakMap<Socket, string>();

/**
 * The client key of a request, for both lanes: the connection's address through
 * express-rate-limit's `ipKeyGenerator` (IPv6 grouped by /56), i.e. what its default key
 * generator computes from `req.ip` while Express's `trust proxy` is off (it is never set here).
 * Remembered per connection: parsing an IPv6 address costs microseconds, and it cannot change.
 * A request the front thread forwarded carries its client's key (forwarded.ts): the connection
 * it arrived on is the front's.
 */
export function clientKey(req: IncomingMessage): string {
  const forwarded = forwardedOf(req);
  if (forwarded) return forwarded.key;
  const socket = req.socket;
  let key = keys.get(socket);
  if (key === undefined) {
    key = ipKeyGenerator(socket.remoteAddress ?? 'unknown');
    keys.set(socket, key);
  }
  return key;
}

/** express-rate-limit's draft-8 partition key: base64 of the first 12 hex digits of SHA-256(key). */
export function partitionKey(key: string): string {
  return Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64');
}

export interface FixedWindowOptions {
  readonly limit: number;
  readonly windowMs: number;
}

export class FixedWindowCounter implements Store {
  /** Counts live in this process only (express-rate-limit's double-count check relies on it). */
  readonly localKeys = true;
  readonly limit: number;
  readonly windowMs: number;
  /** The policy name of the draft-8 headers, e.g. `600-in-1min` (express-rate-limit's default form). */
  readonly name: string;
  // Two generations, as in MemoryStore: a client hit in this generation is in `current`; at each
  // rotation (lazily, on the first hit one window after the last) `previous`, whose clients were
  // not hit for a whole window and so have all expired, is dropped. No timer needed.
  private current = new Map<string, WindowCount>();
  private previous = new Map<string, WindowCount>();
  private rotateAt = 0;

  constructor(options: FixedWindowOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.name = `${options.limit}-in-${policyDuration(options.windowMs)}`;
  }

  /** Counts one request of `key` and returns its window (the limiter decides on `totalHits`). */
  hit(key: string, now = Date.now()): WindowCount {
    const client = this.client(key, now);
    client.totalHits++;
    return client;
  }

  /**
   * Counts one request of `key` only if it stays within the limit, and returns its window;
   * undefined (nothing counted) when it would exceed it — the caller then hands the request to
   * the Express pipeline, which counts it and answers 429.
   */
  tryHit(key: string, now = Date.now()): WindowCount | undefined {
    const client = this.client(key, now);
    if (client.totalHits >= this.limit) return undefined;
    client.totalHits++;
    return client;
  }

  /** `RateLimit` value after a hit, exactly as express-rate-limit's draft-8 headers write it. */
  rateLimitHeader(client: WindowCount, now = Date.now()): string {
    const remaining = Math.max(this.limit - client.totalHits, 0);
    const resetSeconds = Math.max(0, Math.ceil((client.resetMs - now) / 1000));
    return `"${this.name}"; r=${remaining}; t=${resetSeconds}`;
  }

  /** `RateLimit-Policy` value of `key` (see rateLimitHeader). */
  policyHeader(key: string, client: WindowCount): string {
    client.policy ??= `"${this.name}"; q=${this.limit}; w=${Math.ceil(this.windowMs / 1000)}; pk=:${partitionKey(key)}:`;
    return client.policy;
  }

  // Store interface (express-rate-limit).

  increment(key: string): WindowCount {
    return this.hit(key);
  }

  get(key: string, now = Date.now()): ClientRateLimitInfo | undefined {
    const client = this.current.get(key) ?? this.previous.get(key);
    return client && client.resetMs > now ? client : undefined;
  }

  /** Clients held (for tests: idle ones are dropped after at most two windows). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  decrement(key: string): void {
    const client = this.current.get(key) ?? this.previous.get(key);
    if (client && client.totalHits > 0) client.totalHits--;
  }

  resetKey(key: string): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  resetAll(): void {
    this.current.clear();
    this.previous.clear();
  }

  private client(key: string, now: number): WindowCount {
    if (now >= this.rotateAt) this.rotate(now);
    let client = this.current.get(key);
    if (!client) {
      client = this.previous.get(key);
      if (client) this.previous.delete(key);
      else client = { totalHits: 0, resetTime: new Date(0), resetMs: 0, policy: undefined };
      this.current.set(key, client);
    }
    if (client.resetMs <= now) {
      client.totalHits = 0;
      client.resetMs = now + this.windowMs;
      client.resetTime = new Date(client.resetMs);
    }
    return client;
  }

  private rotate(now: number): void {
    // More than a window since the last rotation: nobody in `current` was hit for a window either.
    this.previous = now < this.rotateAt + this.windowMs ? this.current : new Map();
    this.current = new Map();
    this.rotateAt = now + this.windowMs;
  }
}

/** express-rate-limit's default policy name suffix for a window (`1min`, `30sec`, `2hrs`, `1day`). */
function policyDuration(windowMs: number): string {
  const seconds = windowMs / 1000;
  const minutes = seconds / 60;
  const hours = minutes / 60;
  const days = hours / 24;
  if (seconds < 60) return `${seconds}sec`;
  if (minutes < 60) return `${minutes}min`;
  if (hours < 24) return `${hours}hr${hours > 1 ? 's' : ''}`;
  return `${days}day${days > 1 ? 's' : ''}`;
}
