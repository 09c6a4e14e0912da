// `npm run bench:api-cpu`: CPU time per request of the API process at a FIXED request rate, next
// to the bare node:http baselines of bench:api (same body; same body and headers). Throughput
// runs (bench:api) saturate the machine, so the client, the server and the rest of the host fight
// for 2 cores and the ratio swings from run to run; CPU µs per request at a rate the server
// sustains is a steadier measure of what a request costs, and the one to bisect with.
// Each target: warm-up, then utime+stime of its process (/proc/<pid>/stat) around an autocannon
// run at BENCH_CPU_RATE req/s (0: as fast as it goes, i.e. saturation); runs interleaved.
// BENCH_CPU_PIN=1 puts every server thread on CPU 0 and autocannon on CPU 1 (taskset), so the
// client and the server stop fighting over the same core; at saturation the req/s ratio of
// each run is then printed as well. The API is dist/src/main.js (or BENCH_API_MAIN)
// with bench:api's configuration (BENCH_API_ENV, BENCH_API_EXTRA_ENV: see api-load.ts), warmed
// through Express as bench:api does (BENCH_EXPRESS_WARMUP, see api-load.ts).
// BENCH_CPU_SIMULTANEOUS=1 (needs a rate): the targets' runs go at the same time, each with its own
// autocannon, instead of one after the other. Every server then meets the same machine (the
// neighbours of this shared VM slow all of them alike), and the per-run ratio of their CPU per
// request stays within a few percent from run to run where sequential runs swing by 20%: the
// mode to decide whether a change helps (docs/api.md). BENCH_CPU_COMPARE_MAIN=<another compiled
// main.js>[,<another>…] (e.g. a build of the previous commit) adds each as a target, same
// configuration; BENCH_CPU_COMPARE_NODE_ARGS gives those targets their own node flags (default:
// BENCH_API_NODE_ARGS), e.g. the same build compared with and without a V8 flag.
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startMongoTestServer } from '../mongo-test-server/src/index.js';
import { generateGold, insertGold } from './api-gold-data.js';
import { accessLines, API_MAIN, API_NODE_ARGS, BENCH_API_ENV, autocannon, warmThroughExpress, captureCached, cpuMicros, median, nodeArgsOf, pinProcess, startApiProcess, startBareServer, type ServerProcess } from './api-load.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RATE = env('BENCH_CPU_RATE', 5000);
const SECONDS = env('BENCH_CPU_SECONDS', 10);
const RUNS = env('BENCH_CPU_RUNS', 3);
const CONNECTIONS = env('BENCH_CONNECTIONS', 10);
const ROUTES = (process.env.BENCH_CPU_ROUTES ?? '/kpis').split(',');
const PIN = process.env.BENCH_CPU_PIN === '1';
const SIMULTANEOUS = process.env.BENCH_CPU_SIMULTANEOUS === '1';
const COMPARE_MAINS = (process.env.BENCH_CPU_COMPARE_MAIN ?? '')
  .split(',')
  .filter((main) => main !== '')
  .map((main) => path.resolve(main));
const COMPARE_NODE_ARGS = process.env.BENCH_CPU_COMPARE_NODE_ARGS === undefined ? API_NODE_ARGS : nodeArgsOf(process.env.BENCH_CPU_COMPARE_NODE_ARGS);
const CLIENT_CPU = PIN ? 1 : undefined;
const log = (line = '') => process.stdout.write(`${line}\n`);

/** One run of one target: CPU µs per response, achieved req/s, non-2xx responses. */
interface Run {
  readonly us: number;
  readonly rps: number;
  readonly non2xx: number;
}

/** CPU µs per response of `target` over one fixed-rate run of `url`. */
async function cpuPerRequest(target: ServerProcess, url: string): Promise<Run> {
  const before = cpuMicros(target.pid);
  const run = await autocannon(url, SECONDS, CONNECTIONS, RATE, CLIENT_CPU);
  const used = cpuMicros(target.pid) - before;
  return { us: used / run.total, rps: run.rps, non2xx: run.non2xx };
}

async function main(): Promise<void> {
  const apiEnv = BENCH_API_ENV;
  log(`node ${process.version}, ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  log(`API: node ${path.relative(process.cwd(), API_MAIN)} with ${Object.entries(apiEnv).map(([k, v]) => `${k}=${v}`).join(' ')} (other settings default; log to a file)`);
  if (SIMULTANEOUS && RATE === 0) throw new Error('BENCH_CPU_SIMULTANEOUS=1 needs a fixed rate (BENCH_CPU_RATE > 0): at saturation the targets would only share the CPU');
  log(`rate ${RATE || 'unbounded (saturation)'} req/s, ${CONNECTIONS} connections, ${SECONDS} s per run, ${RUNS} ${SIMULTANEOUS ? 'runs, the targets at the same time' : 'interleaved runs per target'}${PIN ? '; servers pinned to CPU 0, autocannon to CPU 1' : ''}`);
  const mongo = await startMongoTestServer({ port: 0, logLevel: 'warn' });
  const client = await MongoClient.connect(mongo.uri);
  const accessLog = path.join(os.tmpdir(), `bench-api-cpu-${process.pid}.log`);
  const responses = path.join(os.tmpdir(), `bench-api-cpu-${process.pid}.json`);
  const stops: Array<() => unknown> = [];
  try {
    const db = client.db('bench_api_cpu');
    await insertGold(db, generateGold(1500, 23_663), 'bench-cpu');
    // An API process with ROUTES cached, warmed through Express as bench:api's (see api-load.ts).
    const startWarmedApi = async (label: string, main: string, nodeArgs: readonly string[]) => {
      const api = await startApiProcess({ MONGO_URI: mongo.uri, MONGO_DB: db.databaseName, ...apiEnv }, accessLog, main, nodeArgs);
      stops.push(api.stop);
      const captured = await captureCached(api.base, ROUTES);
      log(`${label} (${[...nodeArgs, path.relative(process.cwd(), main)].join(' ')}) warmed with ${await warmThroughExpress(api.base)} requests through Express (probes, scrapes, errors, uncached queries)`);
      return { api, captured };
    };
    const { api, captured } = await startWarmedApi('API', API_MAIN, API_NODE_ARGS);
    writeFileSync(responses, JSON.stringify(captured));
    const targets: Array<[string, ServerProcess]> = [
      ['API', api],
      ['bare (same body)', await startBareServer(responses, 'body')],
      ['bare+h (same bytes)', await startBareServer(responses, 'full')],
    ];
    for (const [, t] of targets.slice(1)) stops.push((t as ServerProcess & { stop: () => void }).stop);
    for (const [i, main] of COMPARE_MAINS.entries()) {
      const label = COMPARE_MAINS.length === 1 ? 'API (compare)' : `API (compare ${i + 1})`;
      targets.push([label, (await startWarmedApi(label, main, COMPARE_NODE_ARGS)).api]);
    }
    if (PIN) for (const [, t] of targets) pinProcess(t.pid, 0);
    for (const route of ROUTES) {
      const results = new Map<string, Run[]>(targets.map(([name]) => [name, []]));
      for (const [, t] of targets) await autocannon(`${t.base}${route}`, 2, CONNECTIONS, RATE, CLIENT_CPU); // warm-up (JIT)
      for (let i = 0; i < RUNS; i++) {
        if (SIMULTANEOUS) {
          const runs = await Promise.all(targets.map(([, t]) => cpuPerRequest(t, `${t.base}${route}`)));
          targets.forEach(([name], k) => results.get(name)!.push(runs[k]!));
        } else for (const [name, t] of targets) results.get(name)!.push(await cpuPerRequest(t, `${t.base}${route}`));
      }
      log(`\n${route} (${Buffer.from(captured[route]!.bodyBase64, 'base64').length} bytes, ${Object.keys(captured[route]!.headers).length} headers)`);
      for (const [name, runs] of results) {
        const us = runs.map((r) => r.us);
        const non2xx = runs.reduce((a, r) => a + r.non2xx, 0);
        log(`    ${name.padEnd(20)} CPU per request: median ${median(us).toFixed(1).padStart(6)} µs  (runs: ${us.map((u) => u.toFixed(1)).join(', ')}; achieved ${runs.map((r) => r.rps.toFixed(0)).join(', ')} req/s)${non2xx ? `  ${non2xx} non-2xx!` : ''}`);
      }
      // Ratios within each run (same-time runs, or the back-to-back runs of one round), then
      // their median: every other target against the API.
      const perRun = (title: (name: string) => string, ratio: (target: Run, api: Run) => number) => {
        const apiRuns = results.get('API')!;
        for (const [name, runs] of [...results].slice(1)) {
          const ratios = runs.map((r, i) => ratio(r, apiRuns[i]!));
          log(`    ${title(name)}: median ${median(ratios).toFixed(2)} (runs: ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
        }
      };
      if (SIMULTANEOUS) perRun((name) => `${name} CPU per request ÷ the API's`, (r, api) => r.us / api.us);
      if (RATE === 0) perRun((name) => `API/${name} req/s`, (r, api) => api.rps / r.rps);
    }
    log(`\naccess lines by lane: ${Object.entries(await accessLines(accessLog)).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    for (const stop of stops.reverse()) await stop();
    rmSync(accessLog, { force: true });
    rmSync(responses, { force: true });
    await client.close();
    await mongo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
