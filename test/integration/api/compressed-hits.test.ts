// Cache hits for clients that accept compression (every browser): the hot lanes serve a large
// body's br/gzip copy, made once, with the coding the compression middleware would choose, instead
// of sending each such request through Express to be compressed again. Real HTTP (node:http
// server, raw bytes decoded here); which lane answered is read from the access lines.
import http, { type IncomingHttpHeaders, type RequestListener } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, requestListenerOf } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/config.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { loopbackServers } from './support/api-harness.js';

let t: TestDb;
const servers = loopbackServers();
beforeAll(async () => {
  t = await connectTestDb('api_compressed_hits');
  await publishFixtures(t.db);
});
afterAll(async () => {
  await servers.closeAll();
  await t.cleanup();
});

interface Raw {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly bytes: Buffer;
}

async function listen(listener: RequestListener): Promise<(url: string, headers?: Record<string, string>) => Promise<Raw>> {
  const port = await servers.listen(listener);
  return (url, headers = {}) =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: url, headers, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
          res.on('error', reject);
        })
        .on('error', reject);
    });
}

function decode(res: Raw): string {
  const coding = res.headers['content-encoding'];
  const bytes = coding === 'br' ? brotliDecompressSync(res.bytes) : coding === 'gzip' ? gunzipSync(res.bytes) : coding === 'deflate' ? inflateSync(res.bytes) : res.bytes;
  return bytes.toString('utf8');
}

function setup(env: Record<string, string> = {}) {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  const app = createApp({ db: t.db, config: loadConfig({ CACHE_VERSION_CHECK_MS: '60000', ...env }), logger });
  const count = (msg: string) => lines.filter((l) => l.includes(`"msg":"${msg}"`)).length;
  return { app, front: requestListenerOf(app), frontServed: () => count('request completed (front cache)'), expressHotServed: () => count('request completed (hot cache)') };
}

// Headers that differ per response or per transfer (the middleware streams chunked; a copy has a length).
const PER_RESPONSE = new Set(['x-request-id', 'date', 'ratelimit', 'x-cache', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);
const stable = (headers: IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.has(name)));

/** Repeats `get` until `served()` moves past `before` (the copy is made in the background). */
async function untilServed(get: () => Promise<Raw>, served: () => number, before: number): Promise<Raw> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const res = await get();
    if (served() > before) return res;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the hot lane never served the compressed copy');
}

const LARGE = '/scores';
const BROWSER = 'gzip, deflate, br, zstd';

describe('compressed cache hits', () => {
  it('serves br and gzip clients of a large body from the front lane, as the compression middleware would', async () => {
    const { front, frontServed } = setup();
    const get = await listen(front);
    const identity = await get(LARGE, { 'Accept-Encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.bytes.length, 'the URL must have a body above the 1 KiB compression threshold').toBeGreaterThan(1024);
    for (const [acceptEncoding, coding] of [
      [BROWSER, 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      // Not served from the cache yet in this coding: Express and its compression middleware answer.
      const viaMiddleware = await get(LARGE, { 'Accept-Encoding': acceptEncoding });
      expect(viaMiddleware.headers['content-encoding'], acceptEncoding).toBe(coding);
      expect(viaMiddleware.headers['transfer-encoding']).toBe('chunked');
      const before = frontServed();
      const hit = await untilServed(() => get(LARGE, { 'Accept-Encoding': acceptEncoding }), frontServed, before);
      expect(hit.status).toBe(200);
      expect(hit.headers['content-encoding'], acceptEncoding).toBe(coding);
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(Number(hit.headers['content-length'])).toBe(hit.bytes.length);
      expect(hit.bytes.length).toBeLessThan(identity.bytes.length / 2);
      expect(decode(hit)).toBe(identity.bytes.toString('utf8'));
      expect(stable(hit.headers), acceptEncoding).toEqual(stable(viaMiddleware.headers));
      // Served from the copy from now on, and a matching ETag gets a 304 from the front lane too.
      const served = frontServed();
      await get(LARGE, { 'Accept-Encoding': acceptEncoding });
      const notModified = await get(LARGE, { 'Accept-Encoding': acceptEncoding, 'If-None-Match': hit.headers.etag! });
      expect(notModified.status).toBe(304);
      expect(notModified.bytes.length).toBe(0);
      expect(notModified.headers['content-encoding']).toBeUndefined();
      // /scores varies by Accept too (JSON or an export on the same URL).
      expect(notModified.headers.vary).toBe('Accept, Accept-Encoding');
      expect(frontServed()).toBe(served + 2);
    }
    // Another header value choosing a kept coding is answered from the copy at once.
    const served = frontServed();
    const preferGzip = await get(LARGE, { 'Accept-Encoding': 'gzip;q=1, br;q=0.5' });
    expect(frontServed()).toBe(served + 1);
    expect(preferGzip.headers['content-encoding']).toBe('gzip');
    expect(decode(preferGzip)).toBe(identity.bytes.toString('utf8'));
  });

  it('serves the copy from the in-Express hot lane too (front lane off: a list of CORS origins)', async () => {
    const { app, front, expressHotServed } = setup({ CORS_ORIGINS: 'https://a.example' });
    expect(front).toBe(app);
    const get = await listen(app);
    const identity = await get(LARGE, { 'Accept-Encoding': 'identity', Origin: 'https://a.example' });
    const before = expressHotServed();
    const hit = await untilServed(() => get(LARGE, { 'Accept-Encoding': BROWSER, Origin: 'https://a.example' }), expressHotServed, before);
    expect(hit.headers['content-encoding']).toBe('br');
    // CORS with a list of origins varies by Origin: a hit keeps that beside Accept (the route's)
    // and Accept-Encoding.
    expect(hit.headers.vary).toBe('Origin, Accept, Accept-Encoding');
    expect(identity.headers.vary).toBe('Origin, Accept, Accept-Encoding');
    expect(hit.headers['access-control-allow-origin']).toBe('https://a.example');
    expect(Number(hit.headers['content-length'])).toBe(hit.bytes.length);
    expect(decode(hit)).toBe(identity.bytes.toString('utf8'));
  });

  it('leaves a coding it does not keep (deflate) to the compression middleware', async () => {
    const { front, frontServed } = setup();
    const get = await listen(front);
    const identity = await get(LARGE, { 'Accept-Encoding': 'identity' });
    const before = frontServed();
    for (let i = 0; i < 5; i++) {
      const res = await get(LARGE, { 'Accept-Encoding': 'deflate' });
      expect(res.headers['content-encoding']).toBe('deflate');
      expect(decode(res)).toBe(identity.bytes.toString('utf8'));
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(frontServed()).toBe(before);
  });

  it('answers small bodies uncompressed from the front lane whatever the client accepts', async () => {
    const { front, frontServed } = setup();
    const get = await listen(front);
    await get('/kpis', { 'Accept-Encoding': BROWSER });
    const before = frontServed();
    const hit = await get('/kpis', { 'Accept-Encoding': BROWSER });
    expect(frontServed()).toBe(before + 1);
    expect(hit.headers['content-encoding']).toBeUndefined();
    expect(hit.bytes.length).toBeLessThan(1024);
  });
});
