// The front cache lane under rate limiting (the default configuration): it shares the Express
// limiter's counter, writes the same RateLimit headers, counts every request once whichever lane
// serves it, and leaves 429s (and 401s) to Express. Real HTTP through supertest; which lane
// answered is read from the access lines (`request completed (front cache)` is the front lane's).
import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, requestListenerOf } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/config.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';

let t: TestDb;
beforeAll(async () => {
  t = await connectTestDb('api_front_rate_limit');
  await publishFixtures(t.db);
});
afterAll(async () => {
  await t.cleanup();
});

interface Lanes {
  readonly app: Express;
  readonly front: RequestListener;
  /** Requests answered by the front lane so far. */
  frontServed(): number;
}

function lanes(env: Record<string, string>): Lanes {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const config = loadConfig({ CACHE_VERSION_CHECK_MS: '60000', ...env });
  const app = createApp({ db: t.db, config, logger });
  const front = requestListenerOf(app);
  return { app, front, frontServed: () => lines.filter((l) => l.includes('"msg":"request completed (front cache)"')).length };
}

// Bodies of every size are served by the hot lanes to a client without gzip.
const get = (listener: RequestListener | Express, url: string) => request(listener).get(url).set('Accept-Encoding', 'identity');

/** `"<name>"; r=<remaining>; t=<seconds>` → its parts. */
function parseRateLimit(value: unknown): { name: string; remaining: number; reset: number } {
  const m = /^"([^"]+)"; r=(\d+); t=(\d+)$/.exec(String(value));
  if (!m) throw new Error(`not a draft-8 RateLimit value: ${String(value)}`);
  return { name: m[1]!, remaining: Number(m[2]), reset: Number(m[3]) };
}

const PER_RESPONSE = new Set(['x-request-id', 'date', 'ratelimit']);
const stable = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.has(name)));

describe('front lane with rate limiting on (the default configuration)', () => {
  it('is used with the default RATE_LIMIT_PER_MINUTE, and not with a list of CORS origins', () => {
    const defaults = createApp({ db: t.db, config: loadConfig({}), logger: pino({ level: 'silent' }) });
    expect(loadConfig({}).RATE_LIMIT_PER_MINUTE).toBeGreaterThan(0);
    expect(requestListenerOf(defaults)).not.toBe(defaults);
    const origins = createApp({ db: t.db, config: loadConfig({ CORS_ORIGINS: 'https://a.example' }), logger: pino({ level: 'silent' }) });
    expect(requestListenerOf(origins)).toBe(origins);
  });

  it('answers with the same headers as the Express lane for the same URL, rate limit headers included', async () => {
    const { app, front, frontServed } = lanes({ RATE_LIMIT_PER_MINUTE: '1000' });
    for (const url of ['/kpis', '/monthly?limit=5', '/scores', '/segments?_=1']) {
      await get(app, url).expect(200); // renders (MISS)
      const served = frontServed();
      const viaExpress = await get(app, url).expect(200);
      const viaFront = await get(front, url).expect(200);
      expect(frontServed(), url).toBe(served + 1);
      expect(viaFront.headers['x-cache'], url).toBe('HIT');
      expect(viaFront.text, url).toBe(viaExpress.text);
      expect(stable(viaFront.headers), url).toEqual(stable(viaExpress.headers));
      expect(viaFront.headers['ratelimit-policy'], url).toMatch(/^"1000-in-1min"; q=1000; w=60; pk=:[A-Za-z0-9+/=]+:$/);
      const express = parseRateLimit(viaExpress.headers.ratelimit);
      const fronted = parseRateLimit(viaFront.headers.ratelimit);
      expect(fronted.name).toBe(express.name);
      expect(fronted.remaining, url).toBe(express.remaining - 1);
      expect(fronted.reset).toBeGreaterThanOrEqual(0);
      expect(fronted.reset).toBeLessThanOrEqual(60);

      const etag = viaExpress.headers.etag as string;
      const express304 = await get(app, url).set('If-None-Match', etag).expect(304);
      const front304 = await get(front, url).set('If-None-Match', etag).expect(304);
      expect(frontServed(), url).toBe(served + 2);
      expect(stable(front304.headers), url).toEqual(stable(express304.headers));
      expect(parseRateLimit(front304.headers.ratelimit).remaining).toBe(parseRateLimit(express304.headers.ratelimit).remaining - 1);
    }
  });

  it('gives a client past the limit the same 429 after the same number of requests, from either lane', async () => {
    const limit = 4;
    const responses: Record<string, request.Response[]> = {};
    for (const lane of ['express', 'front'] as const) {
      const { app, front, frontServed } = lanes({ RATE_LIMIT_PER_MINUTE: String(limit) });
      const listener = lane === 'front' ? front : app;
      responses[lane] = [];
      for (let i = 0; i < limit + 3; i++) responses[lane].push(await get(listener, '/kpis'));
      // The first request renders (Express); the front lane served the others within the limit.
      expect(frontServed(), lane).toBe(lane === 'front' ? limit - 1 : 0);
    }
    const expected = [...Array<number>(limit).fill(200), 429, 429, 429];
    for (const lane of ['express', 'front']) {
      expect(responses[lane]!.map((r) => r.status), lane).toEqual(expected);
      expect(responses[lane]!.map((r) => parseRateLimit(r.headers.ratelimit).remaining), lane).toEqual([3, 2, 1, 0, 0, 0, 0]);
    }
    const [viaExpress, viaFront] = [responses.express!.at(-1)!, responses.front!.at(-1)!];
    expect(viaFront.body).toEqual(viaExpress.body);
    expect(viaFront.body.code).toBe('RATE_LIMITED');
    expect(stable(viaFront.headers)).toEqual(stable(viaExpress.headers));
    expect(Number(viaFront.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('shares one count between the lanes: requests alternating lanes reach the limit at the same count', async () => {
    const limit = 6;
    const { app, front, frontServed } = lanes({ RATE_LIMIT_PER_MINUTE: String(limit) });
    const statuses: number[] = [];
    const remaining: number[] = [];
    for (let i = 0; i < limit + 3; i++) {
      const res = await get(i % 2 === 0 ? app : front, '/monthly?limit=3');
      statuses.push(res.status);
      remaining.push(parseRateLimit(res.headers.ratelimit).remaining);
      // Exempt probes, through either lane, are never counted.
      await get(i % 2 === 0 ? front : app, '/livez').expect(200);
    }
    expect(frontServed()).toBe(3);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429]);
    expect(remaining).toEqual([5, 4, 3, 2, 1, 0, 0, 0, 0]);
  });

  it('counts a request the front lane hands to Express (a wrong API key) once', async () => {
    const { app, front, frontServed } = lanes({ RATE_LIMIT_PER_MINUTE: '10', API_KEYS: 'k' });
    const first = await get(app, '/by_country?limit=2').set('X-API-Key', 'k').expect(200);
    expect(parseRateLimit(first.headers.ratelimit).remaining).toBe(9);
    const refused = await get(front, '/by_country?limit=2').set('X-API-Key', 'wrong').expect(401);
    expect(parseRateLimit(refused.headers.ratelimit).remaining).toBe(8);
    const served = await get(front, '/by_country?limit=2').set('X-API-Key', 'k').expect(200);
    expect(frontServed()).toBe(1);
    expect(parseRateLimit(served.headers.ratelimit).remaining).toBe(7);
  });
});
