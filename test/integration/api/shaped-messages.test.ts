// The shaped request/response classes main.ts serves the API with (src/server/shaped-messages.ts):
// the same responses as node:http's own classes on every lane, and no property added by the
// pipeline that their constructors did not declare — the test that fails when an upgrade of
// Express, the router, pino-http, compression or the rate limiter starts adding a new one.
// Real HTTP servers on loopback, the real driver against the test MongoDB.
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestListenerOf } from '../../../src/app.js';
import { shapedMessages, UNDECLARED_SYMBOLS, type ShapedMessages } from '../../../src/server/shaped-messages.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp, loopbackServers } from './support/api-harness.js';

let t: TestDb;
const servers = loopbackServers();
beforeAll(async () => {
  t = await connectTestDb('api_shaped_messages');
  await publishFixtures(t.db);
});
afterAll(async () => {
  await servers.closeAll();
  await t.cleanup();
});

// Every lane: front-lane hits (second request of a URL), Express misses, an export streamed from
// the cursor, probes, metrics, errors (400, 404), the OpenAPI document, HTML pages.
const URLS = ['/kpis', '/monthly?limit=5', '/scores?limit=3&format=csv', '/daily?limit=2', '/livez', '/readyz', '/health', '/nope', '/kpis?limit=1', '/openapi.json', '/docs', '/'];

interface Fetched {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

function get(base: string, url: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${url}`, { agent: false, headers: { 'accept-encoding': 'identity' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

async function listen(classes: ShapedMessages | undefined, listener: RequestListener): Promise<string> {
  return `http://127.0.0.1:${await servers.listen(listener, classes)}`;
}

// As deployed: rate limiting on (its default, 600/min; the limiter adds `req.rateLimit`), the
// version read once a minute so second requests are front-lane hits.
const newApp = () => buildApp(t.db, { RATE_LIMIT_PER_MINUTE: '600', CACHE_VERSION_CHECK_MS: '60000' });

// Per response, or following the body's timing fields (compared without them below).
const PER_RESPONSE = new Set(['x-request-id', 'date', 'ratelimit', 'content-length']);
const withoutTimings = (body: string) => body.replace(/"(query_ms|total_ms)":[0-9.e-]+/g, '"$1":0');
const stable = (headers: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.has(name)));

const ownKeys = (o: object) => Reflect.ownKeys(o).map(String);

describe('shaped request and response classes', () => {
  it('serve every lane with the same statuses, headers and bodies as node:http’s own classes', async () => {
    const plainApp = newApp();
    const shapedApp = newApp();
    const plain = await listen(undefined, requestListenerOf(plainApp));
    const shaped = await listen(shapedMessages(shapedApp), requestListenerOf(shapedApp));
    for (const url of URLS) {
      for (const attempt of ['first', 'second']) {
        const [a, b] = [await get(plain, url), await get(shaped, url)];
        expect(b.status, `${url} (${attempt})`).toBe(a.status);
        expect(withoutTimings(b.body), `${url} (${attempt})`).toBe(withoutTimings(a.body));
        expect(stable(b.headers), `${url} (${attempt})`).toEqual(stable(a.headers));
      }
    }
    // The second /kpis came from the front lane in both (its x-cache), and the export streamed.
    expect((await get(shaped, '/kpis')).headers['x-cache']).toBe('HIT');
    expect((await get(shaped, '/scores?limit=3&format=csv')).headers['content-type']).toMatch(/^text\/csv/);
  });

  it('leave the pipeline no own property to add that the constructors did not declare', async () => {
    const app = newApp();
    const classes = shapedMessages(app);
    const inner = requestListenerOf(app);
    const added = new Map<string, Set<string>>();
    const listener: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
      const before = new Set([...ownKeys(req).map((k) => `req.${k}`), ...ownKeys(res).map((k) => `res.${k}`)]);
      res.once('finish', () => {
        const after = [...ownKeys(req).map((k) => `req.${k}`), ...ownKeys(res).map((k) => `res.${k}`)];
        const set = added.get(req.url ?? '') ?? new Set<string>();
        for (const k of after) if (!before.has(k)) set.add(k);
        added.set(req.url ?? '', set);
      });
      inner(req, res);
    };
    const base = await listen(classes, listener);
    for (const url of URLS) for (let i = 0; i < 2; i++) await get(base, url);
    const allowed = new Set(UNDECLARED_SYMBOLS.flatMap((s) => [`req.${s}`, `res.${s}`]));
    const unexpected: Record<string, string[]> = {};
    for (const [url, keys] of added) {
      const extra = [...keys].filter((k) => !allowed.has(k));
      if (extra.length > 0) unexpected[url] = extra;
    }
    expect(unexpected).toEqual({});
    // The listener saw every URL, and at least one Express response got a private symbol.
    expect([...added.keys()].sort()).toEqual([...new Set(URLS)].sort());
    expect([...added.values()].some((keys) => keys.size > 0)).toBe(true);
  });
});
