// The rate limiter's counter shared by the Express pipeline and the front cache lane: fixed
// windows per client key, counting once per request, draft-8 header values, the client key.
import { describe, expect, it } from 'vitest';
import { clientKey, FixedWindowCounter, partitionKey } from '../../../src/api/middleware/rate-limit-store.js';

const T0 = 1_700_000_000_000;
const counter = (limit = 3) => new FixedWindowCounter({ limit, windowMs: 60_000 });

describe('FixedWindowCounter', () => {
  it('counts each key in its own window and starts over once the window has passed', () => {
    const c = counter();
    expect(c.hit('a', T0).totalHits).toBe(1);
    expect(c.hit('a', T0 + 1_000).totalHits).toBe(2);
    expect(c.hit('b', T0 + 1_000).totalHits).toBe(1);
    // The window is fixed from the first hit: reset at T0 + 60 s, not 60 s after the last hit.
    expect(c.hit('a', T0 + 59_999).totalHits).toBe(3);
    const next = c.hit('a', T0 + 60_000);
    expect(next.totalHits).toBe(1);
    expect(next.resetTime.getTime()).toBe(T0 + 120_000);
    expect(c.hit('b', T0 + 60_500).totalHits).toBe(2);
  });

  it('tryHit counts up to the limit and then nothing; hit (the Express lane) keeps counting past it', () => {
    const c = counter(2);
    expect(c.tryHit('a', T0)?.totalHits).toBe(1);
    expect(c.tryHit('a', T0)?.totalHits).toBe(2);
    expect(c.tryHit('a', T0)).toBeUndefined();
    expect(c.tryHit('a', T0)).toBeUndefined();
    // The request handed over is counted once, by the Express limiter.
    expect(c.hit('a', T0).totalHits).toBe(3);
    expect(c.tryHit('a', T0 + 60_000)?.totalHits).toBe(1);
  });

  it('implements the store calls express-rate-limit makes (increment, get, decrement, resetKey)', () => {
    const c = counter();
    expect(c.increment('k').totalHits).toBe(1);
    expect(c.increment('k').totalHits).toBe(2);
    c.decrement('k');
    expect(c.get('k')?.totalHits).toBe(1);
    c.resetKey('k');
    expect(c.get('k')).toBeUndefined();
    expect(c.size).toBe(0);
    expect(c.increment('k').totalHits).toBe(1);
  });

  it('keeps clients hit within the window across generations and forgets idle ones', () => {
    const c = counter(100);
    c.hit('active', T0);
    c.hit('idle', T0);
    expect(c.size).toBe(2);
    for (let t = T0 + 30_000; t < T0 + 200_000; t += 30_000) c.hit('active', t);
    expect(c.size).toBe(1);
    expect(c.get('idle', T0 + 200_000)).toBeUndefined();
    expect(c.get('active', T0 + 200_000)?.totalHits).toBe(1);
    expect(c.hit('idle', T0 + 200_000).totalHits).toBe(1);
    // active: windows [T0, T0+60s), [T0+60s, …), … — the last hit at T0+180s opened a window at T0+180s.
    expect(c.hit('active', T0 + 200_000).totalHits).toBe(2);
  });

  it('formats the draft-8 header values: remaining and seconds to reset, and a per-key policy', () => {
    const c = counter(3);
    expect(c.name).toBe('3-in-1min');
    const w = c.hit('198.51.100.7', T0);
    expect(c.rateLimitHeader(w, T0)).toBe('"3-in-1min"; r=2; t=60');
    expect(c.rateLimitHeader(c.hit('198.51.100.7', T0 + 500), T0 + 500)).toBe('"3-in-1min"; r=1; t=60');
    c.hit('198.51.100.7', T0 + 1_000);
    expect(c.rateLimitHeader(c.hit('198.51.100.7', T0 + 59_001), T0 + 59_001)).toBe('"3-in-1min"; r=0; t=1');
    expect(c.policyHeader('198.51.100.7', w)).toBe(`"3-in-1min"; q=3; w=60; pk=:${partitionKey('198.51.100.7')}:`);
    expect(partitionKey('198.51.100.7')).toMatch(/^[A-Za-z0-9+/]{16}$/);
    expect(partitionKey('198.51.100.8')).not.toBe(partitionKey('198.51.100.7'));
  });
});

describe('clientKey', () => {
  const req = (remoteAddress: string | undefined) => ({ socket: { remoteAddress } }) as never;

  it('is the connection address, IPv4-mapped IPv6 as IPv4, other IPv6 grouped by /56', () => {
    expect(clientKey(req('203.0.113.9'))).toBe('203.0.113.9');
    expect(clientKey(req('::ffff:127.0.0.1'))).toBe('127.0.0.1');
    expect(clientKey(req('2001:db8:aa:bb01::1'))).toBe(clientKey(req('2001:db8:aa:bbff::2')));
    expect(clientKey(req('2001:db8:aa:bb01::1'))).not.toBe(clientKey(req('2001:db8:aa:cc01::1')));
  });
});
