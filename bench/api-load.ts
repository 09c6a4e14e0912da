// HTTP helpers of the API benchmark: a keep-alive client for sequential rounds, the bare
// baseline server process, and autocannon runs in a child process (so the load generator never
// shares an event loop with the server it measures).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, createReadStream, existsSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
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

/** A response as the bare baseline server replays it (bench/api-bare-server.mjs reads a map of these). */
export interface CapturedResponse {
  readonly contentType: string;
  readonly headers: Record<string, string>;
  readonly bodyBase64: string;
}

// Set per connection or per transfer by node:http itself, in the bare server as in the API.
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** `res` with its headers (those node:http sets itself left out), for the bare baseline. */
export function capture(res: Fetched): CapturedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !PER_CONNECTION.has(name)) headers[name] = String(value);
  return { contentType: res.contentType, headers, bodyBase64: res.body.toString('base64') };
}

/** Each route's cached response as the API sends it: a first GET renders and caches it (a miss), the second is kept. */
export async function captureCached(base: string, routes: readonly string[]): Promise<Record<string, CapturedResponse>> {
  const captured: Record<string, CapturedResponse> = {};
  for (const route of routes) {
    await get(base, route);
    captured[route] = capture(await get(base, route));
  }
  return captured;
}

/**
 * What a production API process answers through Express besides cache hits: orchestrator probes,
 * Prometheus scrapes, a 404, a 400, queries not cached yet (`N` → 1…5). A process that has
 * answered a few dozen of these serves every later request, cache hits included, at a higher
 * CPU cost than one that has not (docs/api.md, "Express traffic and node:http's compiled code"),
 * so the benchmarks send them before measuring: the figures are those of the state a
 * production process is in minutes after start.
 */
export const EXPRESS_TRAFFIC = Object.freeze(['/livez', '/readyz', '/metrics', '/nope', '/kpis?limit=1', '/monthly?limit=N']);

/** BENCH_EXPRESS_WARMUP (default 50): rounds of EXPRESS_TRAFFIC sent before the throughput runs (0: none). */
export const EXPRESS_WARMUP_ROUNDS = Number(process.env.BENCH_EXPRESS_WARMUP ?? 50);

/** Sends `rounds` rounds of EXPRESS_TRAFFIC to `base`; returns the number of requests sent. */
export async function warmThroughExpress(base: string, rounds = EXPRESS_WARMUP_ROUNDS): Promise<number> {
  let sent = 0;
  for (let i = 0; i < rounds; i++) {
    for (const route of EXPRESS_TRAFFIC) {
      await get(base, route.replace('N', String(1 + (i % 5))));
      sent++;
    }
  }
  return sent;
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
  /** Responses received in the whole run. */
  readonly total: number;
}

const require = createRequire(import.meta.url);

/**
 * autocannon in a child process; `url` must answer 200. `rate`: fixed total requests/s (`-R`).
 * `cpu`: run it on that CPU only (`taskset`, Linux), for measurements with the server pinned.
 * `headers`: sent with every request (e.g. a browser's Accept-Encoding).
 */
export async function autocannon(url: string, seconds: number, connections: number, rate?: number, cpu?: number, headers: Record<string, string> = {}): Promise<LoadResult> {
  const cli = path.join(path.dirname(require.resolve('autocannon/package.json')), 'autocannon.js');
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}=${value}`]);
  const args = [cli, '-j', '-c', String(connections), '-d', String(seconds), ...(rate ? ['-R', String(rate)] : []), ...headerArgs, url];
  const child =
    cpu === undefined
      ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] })
      : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`autocannon exited with ${code} for ${url}`);
  const r = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number };
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, total: r.requests.total };
}

/**
 * The API under test runs with the service's default configuration (LOG_LEVEL info: an access
 * line per request, written to a file like a container's stdout; rate limiting on), except the
 * rate limit's value: the default 600/min per client would answer a one-client load test with
 * 429s, so it is set far above what the load reaches — every request is still counted and
 * carries the RateLimit headers, as in production; none is refused (checked: non-2xx counts).
 */
export const BENCH_API_ENV: Readonly<Record<string, string>> = { RATE_LIMIT_PER_MINUTE: '100000000', ...extraEnv(process.env.BENCH_API_EXTRA_ENV) };

/** BENCH_API_EXTRA_ENV=`NAME=value,NAME=value`: settings added for the API under test (comparisons, bisecting). */
function extraEnv(spec: string | undefined): Record<string, string> {
  const pairs = (spec ?? '').split(',').filter(Boolean);
  return Object.fromEntries(pairs.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

/** Node flags written space-separated, as in BENCH_API_NODE_ARGS, as a list. */
export function nodeArgsOf(spec: string | undefined): string[] {
  return (spec ?? '').split(' ').filter(Boolean);
}

/** BENCH_API_NODE_ARGS: node flags for the API processes (e.g. `--cpu-prof`, not allowed in NODE_OPTIONS). */
export const API_NODE_ARGS: readonly string[] = nodeArgsOf(process.env.BENCH_API_NODE_ARGS);

/**
 * The compiled API entry point `npm start` runs (`npm run build` first); BENCH_API_MAIN names
 * another build (e.g. a scratch copy with one piece disabled, to bisect the per-request cost).
 */
export const API_MAIN = path.resolve(process.env.BENCH_API_MAIN ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'src', 'main.js'));

export interface ServerProcess {
  readonly base: string;
  readonly pid: number;
}

/**
 * The API under test as deployed: the compiled entry point `npm start` runs (node
 * dist/src/main.js: its own MongoClient options, logger and front lane wiring) in its own
 * process, like the bare baselines, with the MongoDB test server in the bench process as its
 * database. `env` is added to the bench's own environment; its stdout (the pino log, access
 * lines included) is appended to `logFile`.
 */
export async function startApiProcess(
  env: Record<string, string>,
  logFile: string,
  main = API_MAIN,
  nodeArgs: readonly string[] = API_NODE_ARGS,
): Promise<ServerProcess & { stop: () => Promise<void> }> {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm run bench:api does)`);
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...nodeArgs, main], {
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
      if (res.status === 200) return { base, pid: child.pid!, stop };
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
 * Starts bench/api-bare-server.mjs (plain node, like the compiled API) in its own process;
 * resolves with its base URL and a stop(). `body`: the same body and content type only;
 * `full`: also every header the API sent.
 */
export async function startBareServer(responsesFile: string, mode: 'body' | 'full' = 'body'): Promise<ServerProcess & { stop: () => void }> {
  const script = path.join(path.dirname(new URL(import.meta.url).pathname), 'api-bare-server.mjs');
  const child = spawn(process.execPath, [script, responsesFile, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(chunk.toString('utf8').trim());
  return { base: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

/** CPU time (user + system) a process has used so far, in µs, from /proc/<pid>/stat (Linux). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

/** Moves every thread of process `pid` to CPU `cpu` (`taskset -a`, Linux). */
export function pinProcess(pid: number, cpu: number): void {
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`taskset could not pin process ${pid} to CPU ${cpu} (exit ${result.status})`);
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

/** Access lines of the log by lane (front lane, in-Express hot lane, full pipeline) and 429s. */
export async function accessLines(file: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = { front: 0, 'express hot': 0, express: 0, '429': 0 };
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (line.includes('"request completed (front cache)"')) counts.front!++;
    else if (line.includes('"request completed (hot cache)"')) counts['express hot']!++;
    else if (line.includes('"msg":"request completed"')) counts.express!++;
    if (line.includes('"RATE_LIMITED"')) counts['429']!++;
  }
  return counts;
}
