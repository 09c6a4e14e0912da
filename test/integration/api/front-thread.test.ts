// The front thread (src/server/front-thread), the way main.ts serves by default: cache hits are
// answered in a thread of their own, everything else is forwarded to the app's thread over its
// private socket. Real HTTP, the real worker. Which thread answered is read from the request id:
// each thread's ids carry their own random prefix (newRequestId), and this test file shares the
// app thread's.
import http, { type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, requestListenerOf } from '../../../src/app.js';
import { newRequestId } from '../../../src/api/middleware/observability.js';
import { loadConfig } from '../../../src/config/config.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { bumpVersion, loopbackServers } from './support/api-harness.js';
import { launchThreaded, startThreaded, type Threaded } from './support/front-thread-server.js';

let t: TestDb;
const servers = loopbackServers();
const threads: Threaded[] = [];
beforeAll(async () => {
  t = await connectTestDb('api_front_thread');
  await publishFixtures(t.db);
});
afterEach(async () => {
  for (const thread of threads.splice(0)) await thread.close();
});
afterAll(async () => {
  await servers.closeAll();
  await t.cleanup();
});

const APP_THREAD_PREFIX = newRequestId().split('-')[0]!;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function send(base: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method: options.method ?? 'GET', headers: { 'accept-encoding': 'identity', ...options.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const threadOf = (answer: Answer): 'app' | 'front' => (String(answer.headers['x-request-id']).startsWith(`${APP_THREAD_PREFIX}-`) ? 'app' : 'front');

/** Headers that differ between any two responses (ids, dates, counts) or belong to the connection. */
const PER_RESPONSE = new Set(['x-request-id', 'date', 'ratelimit', 'connection', 'keep-alive']);
const stable = (headers: IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_RESPONSE.has(name)));

/** A JSON body without the time it took to render (each server rendered its own): the rest is compared byte for byte. */
function content(answer: Answer): { headers: Record<string, unknown>; body: string } {
  const text = answer.body.toString();
  if (!String(answer.headers['content-type']).startsWith('application/json')) return { headers: stable(answer.headers), body: text };
  expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
  const { 'content-length': _length, ...headers } = stable(answer.headers);
  return { headers, body: text.replace(/"(query_ms|total_ms)":[0-9.e+-]+/g, '"$1":0') };
}

/** The app alone, served with its same-thread front lane (FRONT_THREAD=false in main.ts). */
async function direct(env: Record<string, string>): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const app = createApp({ db: t.db, config, logger: pino({ level: 'silent' }) });
  return `http://127.0.0.1:${await servers.listen(requestListenerOf(app))}`;
}

async function threaded(env: Record<string, string>): Promise<string> {
  const thread = await startThreaded(t.db, env);
  threads.push(thread);
  return thread.base;
}

function parseRateLimit(value: unknown): number {
  const m = /^"[^"]+"; r=(\d+); t=\d+$/.exec(String(value));
  if (!m) throw new Error(`not a draft-8 RateLimit value: ${String(value)}`);
  return Number(m[1]);
}

describe('the front thread', () => {
  it('answers a repeated request itself and forwards everything else, with the responses of the app alone', async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '1000', CACHE_VERSION_CHECK_MS: '60000' };
    const [front, alone] = [await threaded(env), await direct(env)];
    const urls = ['/kpis', '/monthly?limit=5', '/scores?limit=3&format=csv', '/scores?limit=2&_=17', '/nope', '/scores?limit=abc', '/livez', '/openapi.json', '/'];
    for (const url of urls) {
      for (const round of ['first', 'second']) {
        const [viaFront, viaApp] = [await send(front, url), await send(alone, url)];
        const label = `${round} ${url}`;
        expect(viaFront.status, label).toBe(viaApp.status);
        expect(content(viaFront), label).toEqual(content(viaApp));
        expect(viaFront.headers['ratelimit-policy'], label).toBe(viaApp.headers['ratelimit-policy']);
        // A JSON data response the app rendered once is answered by the front thread after that.
        const replayed = round === 'second' && viaFront.status === 200 && !url.includes('csv') && url !== '/livez' && url !== '/openapi.json' && url !== '/';
        expect(threadOf(viaFront), label).toBe(replayed ? 'front' : 'app');
      }
    }
    const head = await send(front, '/kpis', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const etag = String((await send(front, '/kpis')).headers.etag);
    const notModified = await send(front, '/kpis', { headers: { 'if-none-match': etag } });
    expect(notModified.status).toBe(304);
    expect(threadOf(notModified)).toBe('front');
  });

  it('serves a large body compressed from its own copy once made, the same bytes as identity when decoded', async () => {
    const front = await threaded({ CACHE_VERSION_CHECK_MS: '60000' });
    const identity = await send(front, '/scores');
    expect(identity.body.length).toBeGreaterThan(1024);
    let gzip: Answer | undefined;
    for (let i = 0; i < 50 && (!gzip || threadOf(gzip) !== 'front'); i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      gzip = await send(front, '/scores', { headers: { 'accept-encoding': 'gzip' } });
    }
    expect(threadOf(gzip!)).toBe('front');
    expect(gzip!.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip!.body).equals(identity.body)).toBe(true);
  });

  it("counts every request once in one count, whichever thread answers it, and answers past the limit with the app's 429", async () => {
    const limit = 5;
    const env = { RATE_LIMIT_PER_MINUTE: String(limit), CACHE_VERSION_CHECK_MS: '60000' };
    const [front, alone] = [await threaded(env), await direct(env)];
    const answers: Answer[] = [];
    // /kpis is a hit from its second request on; each /monthly?limit=N is a new URL (forwarded).
    for (let i = 0; i < limit + 2; i++) answers.push(await send(front, i % 2 === 0 ? '/kpis' : `/monthly?limit=${i}`));
    // Probes are never counted, through either thread.
    expect((await send(front, '/livez')).headers.ratelimit).toBeUndefined();
    expect(answers.map(threadOf)).toEqual(['app', 'app', 'front', 'app', 'front', 'app', 'app']);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(answers.map((a) => parseRateLimit(a.headers.ratelimit))).toEqual([4, 3, 2, 1, 0, 0, 0]);
    const refused = answers.at(-1)!;
    let aloneRefused: Answer | undefined;
    for (let i = 0; i <= limit; i++) aloneRefused = await send(alone, '/kpis');
    expect(aloneRefused!.status).toBe(429);
    expect(refused.body.toString()).toBe(aloneRefused!.body.toString());
    expect(stable(refused.headers)).toEqual(stable(aloneRefused!.headers));
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('ignores a client-sent forwarding header: the client is counted under its own key, with or without the thread', async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '10', CACHE_VERSION_CHECK_MS: '60000' };
    for (const base of [await threaded(env), await direct(env)]) {
      const own = await send(base, '/monthly?limit=2');
      const forged = await send(base, '/monthly?limit=3', { headers: { 'x-gold-front': `someone-else;1;${Date.now() + 60_000}` } });
      expect(forged.status, base).toBe(200);
      expect(forged.headers['ratelimit-policy'], base).toBe(own.headers['ratelimit-policy']);
      expect(parseRateLimit(forged.headers.ratelimit), base).toBe(parseRateLimit(own.headers.ratelimit) - 1);
    }
  });

  it('stops replaying a version within the check interval of a new one', async () => {
    const t2 = await connectTestDb('api_front_thread_version');
    try {
      await publishFixtures(t2.db);
      const thread = await startThreaded(t2.db, { CACHE_VERSION_CHECK_MS: '200' });
      threads.push(thread);
      await send(thread.base, '/kpis');
      const before = await send(thread.base, '/kpis');
      expect(threadOf(before)).toBe('front');
      await bumpVersion(t2.db, 'front-thread-next');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await send(thread.base, '/kpis');
      expect(after.headers['x-data-version']).toBe('front-thread-next');
      expect(JSON.parse(after.body.toString()).meta.version).toBe('front-thread-next');
    } finally {
      await t2.cleanup();
    }
  });

  it("adds the front thread's requests to /metrics", async () => {
    const front = await threaded({ CACHE_VERSION_CHECK_MS: '60000' });
    const count = async (pattern: RegExp) => Number(pattern.exec((await send(front, '/metrics')).body.toString())?.[1] ?? 0);
    const hits = /^api_cache_requests_total\{route="\/cohort",result="hit"\} (\d+)$/m;
    const served = /^http_request_duration_seconds_count\{method="GET",route="\/cohort",status_code="200"\} (\d+)$/m;
    await send(front, '/cohort');
    const [hitsBefore, servedBefore] = [await count(hits), await count(served)];
    for (let i = 0; i < 5; i++) expect(threadOf(await send(front, '/cohort'))).toBe('front');
    expect(await count(hits)).toBe(hitsBefore + 5);
    expect(await count(served)).toBe(servedBefore + 5);
    expect(await count(/^api_hot_cache_entries (\d+)$/m)).toBeGreaterThanOrEqual(2);
  });

  it('shuts down: stops accepting, lets idle keep-alive connections go, and removes its private socket', async () => {
    const thread = await startThreaded(t.db, {});
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => http.get(`${thread.base}/livez`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject));
    await thread.close();
    agent.destroy();
    await expect(send(thread.base, '/livez')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('reports a public port it cannot listen on', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const front = await launchThreaded(t.db, { PORT: String(port) });
      await expect(front.listening).rejects.toMatchObject({ code: 'EADDRINUSE' });
      await new Promise<void>((resolve) => front.server.close(resolve));
    } finally {
      taken.close();
    }
  });

  it('says which directory it could not use for its private socket, and how to change it', async () => {
    // A file where the temporary directory should be.
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'front-thread-test-')), 'not-a-directory');
    writeFileSync(file, '');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = file;
    try {
      await expect(launchThreaded(t.db)).rejects.toThrow(
        `front thread: cannot create its private socket directory in ${file} (ENOTDIR); set TMPDIR to a writable directory, or FRONT_THREAD=false`,
      );
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it('forwards a body framed, so requests hidden in it never reach the app (request smuggling)', async () => {
    const lines: string[] = [];
    const thread = await startThreaded(t.db, { CACHE_VERSION_CHECK_MS: '60000' }, lines);
    threads.push(thread);
    const front = thread.base;
    const hidden = 'GET /monthly?limit=77 HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(3);
    const smuggling = `GET /livez HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${hidden.length.toString(16)}\r\n${hidden}\r\n0\r\n\r\n`;
    const answer = await rawExchange(front, smuggling);
    expect(answer.match(/^HTTP\/1\.1 /gm)).toHaveLength(1);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    // The app ran no /monthly, and the next client gets its own response.
    const kpis = await send(front, '/kpis?_=smuggle');
    expect(JSON.parse(kpis.body.toString())).toHaveProperty('total_ca');
    expect((await send(front, '/metrics')).body.toString()).not.toMatch(/route="\/monthly"/);
    // Not even refused there: the app's socket saw one request, the framed one.
    expect(lines.filter((l) => l.includes('private socket'))).toEqual([]);
  });

  it('answers an HTTP/1.0 request without a Host header, as node:http does', async () => {
    const front = await threaded({});
    const answer = await rawExchange(front, 'GET /livez HTTP/1.0\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"status":"ok"');
  });
});

/** Sends `request` as raw bytes on a new connection and returns all it gets back until the server closes. */
function rawExchange(base: string, request: string): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no end after 5 s; got: ${text.slice(0, 200)}`)));
  });
}
