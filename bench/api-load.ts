// HTTP helpers of the API benchmark: a keep-alive client for sequential rounds, the bare
// baseline server process, and autocannon runs in a child process (so the load generator never
// shares an event loop with the server it measures).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, closeSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from '../tools/demo/embedded-mongo.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export interface Fetched {
  readonly status: number;
  readonly contentType: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

export function get(base: string, route: string, headers: Record<string, string> = {}): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${route}`, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Sequential GETs of `routes`; returns the wall time of the whole round and of each request. */
export async function round(base: string, routes: readonly string[]): Promise<{ total: number; each: Record<string, number> }> {
  const each: Record<string, number> = {};
  const started = performance.now();
  for (const route of routes) {
    const t = performance.now();
    const res = await get(base, route);
    if (res.status !== 200) throw new Error(`${route}: HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`);
    each[route] = performance.now() - t;
  }
  return { total: performance.now() - started, each };
}

export const median = (xs: readonly number[]) => quantile(xs, 0.5);
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
}

const require = createRequire(import.meta.url);

/** autocannon in a child process; `url` must answer 200. */
export async function autocannon(url: string, seconds: number, connections: number): Promise<LoadResult> {
  const cli = path.join(path.dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
  const child = spawn(process.execPath, [cli, '-j', '-c', String(connections), '-d', String(seconds), url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`autocannon exited with ${code} for ${url}`);
  const r = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number };
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
}

/**
 * The API under test as deployed: src/main.ts (the production entry point: its own MongoClient
 * options, logger and front lane wiring) in its own process, like the bare baselines, with the
 * MongoDB test server in the bench process as its database. `env` is added to the bench's own
 * environment; its stdout (the pino log, access lines included) is appended to `logFile`.
 */
export async function startApiProcess(env: Record<string, string>, logFile: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'main.ts')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API process exited with ${child.exitCode} (see ${logFile})`);
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) return { base, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`API process not ready within 60 s (see ${logFile})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts bench/api-bare-server.ts in its own process; resolves with its base URL and a stop().
 * `body`: the same body and content type only; `full`: also every header the API sent.
 */
export async function startBareServer(responsesFile: string, mode: 'body' | 'full' = 'body'): Promise<{ base: string; stop: () => void }> {
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'api-bare-server.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, responsesFile, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(chunk.toString('utf8').trim());
  return { base: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}
