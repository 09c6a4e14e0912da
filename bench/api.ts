// `npm run bench:api`: (1) the seed dashboard's refresh round (8 endpoints in sequence) at the
// seed's data size, median of many rounds; (2) autocannon throughput and p99 per endpoint next
// to a bare node:http server returning the same bytes from its own process; (3) /kpis latency at
// 23,663 vs 1M purchases. Writes data/metrics/refresh_benchmark.json (api vs parquet).
// Data: synthetic gold (bench/api-gold-data.ts) in an in-process MongoDB test server.
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { pino } from 'pino';
import { startMongoTestServer } from '../mongo-test-server/src/index.js';
import { createApp, requestListenerOf } from '../src/app.js';
import { dataEndpoints, datasetByName } from '../src/catalog/gold-catalog.js';
import { loadConfig } from '../src/config/config.js';
import { documentId, generateGold, insertGold } from './api-gold-data.js';
import { accessLines, API_MAIN, BENCH_API_ENV, autocannon, capture, EXPRESS_TRAFFIC, EXPRESS_WARMUP_ROUNDS, warmThroughExpress, captureCached, type CapturedResponse, get, median, quantile, round, startApiProcess, startBareServer } from './api-load.js';
import { compareRoute, comparisonMethod, pinContenders, ratioSummary, type Contender, type RouteComparison } from './api-compare.js';
import { parquetRound, writeGoldParquet } from './api-parquet.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SEED = { clients: 1500, purchases: 23_663 };
const BIG = { clients: env('BENCH_BIG_CLIENTS', 50_000), purchases: env('BENCH_BIG_PURCHASES', 1_000_000) };
const ROUNDS = env('BENCH_ROUNDS', 300);
const SECONDS = env('BENCH_SECONDS', 3);
const CONNECTIONS = env('BENCH_CONNECTIONS', 10);
/** The seed dashboard's refresh round, in its order. */
const DASHBOARD_ROUND = ['/kpis', '/monthly', '/by_country', '/by_product', '/segments', '/scores', '/distribution', '/cohort'];
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

const fmt = (ms: number) => ms.toFixed(2).padStart(8);
/** Table cells of (2)/(2b): a ratio, and CPU µs per response in a column `width` wide. */
const ratioCell = (ratio: number | undefined) => (ratio ?? Number.NaN).toFixed(2).padStart(6);
const cpuCell = (us: number, width: number) => us.toFixed(1).padStart(width);
const log = (line = '') => process.stdout.write(`${line}\n`);

/** The API's configuration under test: the defaults, rate limit high, BENCH_API_EXTRA_ENV (see BENCH_API_ENV). */
const API_ENV = BENCH_API_ENV;
const ACCESS_LOG = path.join(os.tmpdir(), `bench-api-access-${process.pid}.log`);

type Served = { base: string; stop: () => Promise<void> };

/** (2): the compiled dist/src/main.js (`npm start`) in its own process, like the bare baselines (see startApiProcess). */
async function serveProcess(uri: string, db: Db, extraEnv: Record<string, string> = {}): Promise<Served & { pid: number }> {
  return startApiProcess({ MONGO_URI: uri, MONGO_DB: db.databaseName, ...API_ENV, ...extraEnv }, ACCESS_LOG);
}

/** (1) and (3), sequential latency: the app in the bench process, as since the first version. */
async function serve(db: Db, extraEnv: Record<string, string> = {}): Promise<Served> {
  const config = loadConfig({ ...process.env, ...API_ENV, ...extraEnv });
  const logger = pino({ name: 'gold-serving', level: config.LOG_LEVEL }, pino.destination({ dest: ACCESS_LOG, append: true, sync: true }));
  const app = createApp({ db, config, logger });
  const server = http.createServer(requestListenerOf(app)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop };
}

async function sequentialLatency(base: string, route: string, n: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await get(base, route);
    times.push(performance.now() - t);
  }
  return { p50: median(times), p99: quantile(times, 0.99) };
}

/** A browser's Accept-Encoding (Chrome, Firefox): the API answers bodies ≥ 1 KiB with brotli. */
const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br, zstd' };

/**
 * (2b): each compressed endpoint requested with BROWSER_HEADERS, API next to a bare node:http
 * server sending the same compressed bytes and headers (what the API sent for that request).
 */
async function browserRound(uri: string, db: Db, endpoints: readonly string[]): Promise<void> {
  const api = await serveProcess(uri, db);
  const tmp = path.join(os.tmpdir(), `bench-api-browser-${process.pid}.json`);
  const captured: Record<string, CapturedResponse> = {};
  try {
    for (const route of endpoints) {
      // The first rendering, then the compressed copy made in the background (see content-coding.ts).
      for (let i = 0; i < 3; i++) {
        await get(api.base, route, BROWSER_HEADERS);
        await new Promise((r) => setTimeout(r, 100));
      }
      const res = await get(api.base, route, BROWSER_HEADERS);
      if (!res.headers['content-encoding']) continue;
      captured[route] = capture(res);
    }
    writeFileSync(tmp, JSON.stringify(captured));
    await warmThroughExpress(api.base);
    const full = await startBareServer(tmp, 'full');
    const contenders: Contender[] = [{ name: 'API', base: api.base, pid: api.pid, headers: BROWSER_HEADERS }, { name: 'bare+h', ...full }];
    pinContenders(contenders);
    log(`\n(2b) as a browser asks (Accept-Encoding: ${BROWSER_HEADERS['accept-encoding']}): endpoints the API compresses, API vs bare+h sending the same compressed bytes and headers; the API warmed through Express as in (2)`);
    log(`    ${comparisonMethod()}`);
    log(
      `    ${'endpoint'.padEnd(16)} ${'coding'.padStart(6)} ${'bytes'.padStart(9)} ${'API req/s'.padStart(10)} ${'bare+h req/s'.padStart(13)} ${'ratio'.padStart(6)} │ ${'CPU µs/resp: API'.padStart(16)} ${'bare+h'.padStart(7)} ${'ratio'.padStart(6)} │ ${'API p99'.padStart(8)}`,
    );
    const comparisons: RouteComparison[] = [];
    try {
      for (const [route, c] of Object.entries(captured)) {
        const comparison = await compareRoute(route, contenders);
        comparisons.push(comparison);
        const [ours, same] = [comparison.runs[0]!, comparison.runs[1]!];
        const size = Buffer.from(c.bodyBase64, 'base64').length;
        log(
          `    ${route.padEnd(16)} ${String(c.headers['content-encoding']).padStart(6)} ${String(size).padStart(9)} ${ours.rps.toFixed(0).padStart(10)} ${same.rps.toFixed(0).padStart(13)} ${ratioCell(comparison.ratios[0])} │ ${cpuCell(ours.cpuUs, 16)} ${cpuCell(same.cpuUs, 7)} ${ratioCell(comparison.cpuRatios[0])} │ ${`${ours.p99} ms`.padStart(8)}${ours.non2xx ? `  (${ours.non2xx} non-2xx!)` : ''}`,
        );
      }
    } finally {
      full.stop();
    }
    if (comparisons.length) {
      log(`    API/bare+h (same compressed bytes): req/s ratio ${ratioSummary(comparisons.map((c) => c.ratios[0]!))}; CPU ratio ${ratioSummary(comparisons.map((c) => c.cpuRatios[0]!))}`);
    }
  } finally {
    await api.stop();
    rmSync(tmp, { force: true });
  }
}

async function main(): Promise<void> {
  log(`node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const mongo = await startMongoTestServer({ port: 0, logLevel: 'warn' });
  const client = await MongoClient.connect(mongo.uri);
  const servers: Array<{ stop: () => Promise<void> }> = [];
  const effective = loadConfig({ ...process.env, ...API_ENV });
  log(
    `API under test: (1)/(3) createApp in this process, (2) ${path.relative(ROOT, API_MAIN)} (compiled, as \`npm start\` runs it) in its own process; LOG_LEVEL=${effective.LOG_LEVEL} (log → ${ACCESS_LOG}), RATE_LIMIT_PER_MINUTE=${effective.RATE_LIMIT_PER_MINUTE} (limiting on, never reached), CORS_ORIGINS=${effective.CORS_ORIGINS.join(',')}, API_KEYS ${effective.API_KEYS.length ? 'set' : 'none'}, CACHE_MAX_ENTRIES=${effective.CACHE_MAX_ENTRIES}, other settings default`,
  );
  try {
    let t = performance.now();
    const seedData = generateGold(SEED.clients, SEED.purchases);
    const seedDb = client.db('bench_api_seed');
    await insertGold(seedDb, seedData, 'bench-seed');
    log(`seed-size gold (${SEED.purchases} purchases, ${SEED.clients} clients) generated and inserted in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const seedApi = await serve(seedDb);
    const seedNoCache = await serve(seedDb, { CACHE_MAX_ENTRIES: '0' });
    servers.push(seedApi, seedNoCache);

    // (1) refresh round
    const cold = await round(seedApi.base, DASHBOARD_ROUND);
    const warm: Array<Awaited<ReturnType<typeof round>>> = [];
    for (let i = 0; i < ROUNDS; i++) warm.push(await round(seedApi.base, DASHBOARD_ROUND));
    const uncached: number[] = [];
    for (let i = 0; i < Math.max(10, ROUNDS / 10); i++) uncached.push((await round(seedNoCache.base, DASHBOARD_ROUND)).total);
    const totals = warm.map((r) => r.total);
    const breakdown = Object.fromEntries(DASHBOARD_ROUND.map((r) => [r, median(warm.map((w) => w.each[r]!))]));
    log('\n(1) dashboard refresh round at seed size (8 endpoints in sequence; seed Flask+pymongo: 116–326 ms)');
    log(`    cached:   median ${fmt(median(totals))} ms   p95 ${fmt(quantile(totals, 0.95))} ms   over ${ROUNDS} rounds (target ≤ 5 ms)`);
    log(`    uncached: median ${fmt(median(uncached))} ms   (CACHE_MAX_ENTRIES=0: every request reads MongoDB)   first cold round ${fmt(cold.total)} ms`);
    log(`    per endpoint (cached median, ms): ${DASHBOARD_ROUND.map((r) => `${r} ${breakdown[r]!.toFixed(2)}`).join(' · ')}`);

    // (2) throughput vs a bare node:http server returning the same bytes
    // BENCH_API_ROUTES=/kpis,/monthly: (2)/(2b) on those endpoints only (bisecting).
    const only = process.env.BENCH_API_ROUTES?.split(',');
    const cached = dataEndpoints();
    const endpoints = only ? cached.filter((p) => only.includes(p)) : cached;
    const unknown = only?.filter((p) => !cached.includes(p)) ?? [];
    if (unknown.length > 0) throw new Error(`BENCH_API_ROUTES: ${unknown.join(', ')} not a cached data endpoint (expected some of ${cached.join(', ')})`);
    // Two baselines: the same body only (2 headers), and the same response bytes (every header the
    // API sends: helmet's, CORS, ETag, caching). Headers alone halve node:http's rate here.
    const api = await serveProcess(mongo.uri, seedDb);
    servers.push(api);
    const captured = await captureCached(api.base, endpoints);
    const warmedWith = await warmThroughExpress(api.base);
    const tmp = path.join(os.tmpdir(), `bench-api-responses-${process.pid}.json`);
    writeFileSync(tmp, JSON.stringify(captured));
    const bare = await startBareServer(tmp, 'body');
    const full = await startBareServer(tmp, 'full');
    const contenders: Contender[] = [
      { name: 'API', base: api.base, pid: api.pid },
      { name: 'bare', ...bare },
      { name: 'bare+h', ...full },
    ];
    pinContenders(contenders);
    log(`\n(2) autocannon (child process), cached responses (target: API ≥ 0.7× bare)`);
    log(`    ${comparisonMethod()}`);
    log(`    bare = node:http sending the same body; bare+h = node:http sending the same body AND the API's ${Object.keys(captured[endpoints[0]!]!.headers).length} headers`);
    log('    all three are plain `node` processes running JavaScript (API: dist/src/main.js; bare: bench/api-bare-server.mjs), no tsx loader');
    log(`    before the runs the API answered ${warmedWith} requests through Express as production traffic does (${EXPRESS_TRAFFIC.join(', ')}; BENCH_EXPRESS_WARMUP=${EXPRESS_WARMUP_ROUNDS} rounds, 0: none)`);
    log(
      `    ${'endpoint'.padEnd(16)} ${'bytes'.padStart(9)} ${'API req/s'.padStart(10)} ${'bare req/s'.padStart(11)} ${'ratio'.padStart(6)} ${'bare+h req/s'.padStart(13)} ${'ratio'.padStart(6)} │ ${'CPU µs/resp: API'.padStart(16)} ${'bare'.padStart(6)} ${'ratio'.padStart(6)} ${'bare+h'.padStart(7)} ${'ratio'.padStart(6)} │ ${'API p99'.padStart(8)} ${'bare p99'.padStart(9)}`,
    );
    const comparisons: RouteComparison[] = [];
    try {
      for (const route of endpoints) {
        const comparison = await compareRoute(route, contenders);
        comparisons.push(comparison);
        const { ratios: [ratio, fullRatio], cpuRatios: [cpuRatio, cpuFullRatio] } = comparison;
        const [ours, base, same] = [comparison.runs[0]!, comparison.runs[1]!, comparison.runs[2]!];
        const size = Buffer.from(captured[route]!.bodyBase64, 'base64').length;
        log(
          `    ${route.padEnd(16)} ${String(size).padStart(9)} ${ours.rps.toFixed(0).padStart(10)} ${base.rps.toFixed(0).padStart(11)} ${ratioCell(ratio)} ${same.rps.toFixed(0).padStart(13)} ${ratioCell(fullRatio)} │ ${cpuCell(ours.cpuUs, 16)} ${cpuCell(base.cpuUs, 6)} ${ratioCell(cpuRatio)} ${cpuCell(same.cpuUs, 7)} ${ratioCell(cpuFullRatio)} │ ${`${ours.p99} ms`.padStart(8)} ${`${base.p99} ms`.padStart(9)}${ours.non2xx ? `  (${ours.non2xx} non-2xx!)` : ''}`,
        );
      }
    } finally {
      bare.stop();
      full.stop();
      await api.stop();
      rmSync(tmp, { force: true });
    }
    // Per endpoint, contender k's ratio (0: bare, 1: bare+h) in req/s or CPU.
    const across = (pick: (c: RouteComparison) => readonly number[], k: number) => ratioSummary(comparisons.map((c) => pick(c)[k]!));
    log(`    req/s ratio API/bare (same body): ${across((c) => c.ratios, 0)}; API/bare+h (same response bytes): ${across((c) => c.ratios, 1)}`);
    log(`    CPU ratio (baseline's CPU per response ÷ the API's): bare ${across((c) => c.cpuRatios, 0)}; bare+h ${across((c) => c.cpuRatios, 1)}`);

    // (2b) the same, as a browser asks: it accepts compression, and bodies ≥ 1 KiB come compressed.
    await browserRound(mongo.uri, seedDb, endpoints);

    // (3) /kpis at 1M purchases
    let bigSummary = 'skipped (BENCH_BIG_PURCHASES=0)';
    if (BIG.purchases > 0) {
      t = performance.now();
      const bigData = generateGold(BIG.clients, BIG.purchases, 7);
      const bigDb = client.db('bench_api_big');
      await insertGold(bigDb, bigData, 'bench-big', ['fact_achats']);
      // 1M facts through the wire protocol take minutes in the test server; they are loaded into
      // its store directly. /kpis never reads them (it reads the one KPI document).
      const fact = datasetByName('fact_achats');
      const { collection } = mongo.store.getOrCreate(bigDb.databaseName, fact.collection);
      for (const row of bigData.fact_achats ?? []) collection.insert({ _id: documentId(fact, row), ...row }, `${bigDb.databaseName}.${fact.collection}`);
      log(`\n(3) /kpis at ${BIG.purchases.toLocaleString('en')} purchases (${BIG.clients.toLocaleString('en')} clients; built in ${((performance.now() - t) / 1000).toFixed(1)} s; facts in MongoDB: ${await bigDb.collection(fact.collection).estimatedDocumentCount()})`);
      const bigApi = await serve(bigDb);
      const bigNoCache = await serve(bigDb, { CACHE_MAX_ENTRIES: '0' });
      servers.push(bigApi, bigNoCache);
      const rows: Array<[string, string, string]> = [
        ['23,663 cached', seedApi.base, '/kpis'],
        ['1M cached', bigApi.base, '/kpis'],
        ['23,663 uncached', seedNoCache.base, '/kpis'],
        ['1M uncached', bigNoCache.base, '/kpis'],
      ];
      const results: string[] = [];
      for (const [label, base, route] of rows) {
        const lat = await sequentialLatency(base, route, 500);
        const load = label.endsWith('uncached') ? null : await autocannon(`${base}${route}`, SECONDS, CONNECTIONS);
        results.push(`${label}: p50 ${lat.p50.toFixed(2)} ms, p99 ${lat.p99.toFixed(2)} ms${load ? `, ${load.rps.toFixed(0)} req/s under load (p99 ${load.p99} ms)` : ''}`);
        log(`    ${results.at(-1)}`);
      }
      bigSummary = results.join('; ');
    }

    // refresh_benchmark.json: API round vs the same round read from Parquet files directly
    const parquetDir = path.join(ROOT, 'data', 'bench', 'parquet-seed');
    writeGoldParquet(seedData, parquetDir);
    const parquetRounds: Array<Record<string, number>> = [];
    for (let i = 0; i < 20; i++) parquetRounds.push(await parquetRound(parquetDir));
    const parquetTotals = parquetRounds.map((r) => Object.values(r).reduce((a, b) => a + b, 0));
    const parquetBreakdown = Object.fromEntries(DASHBOARD_ROUND.map((r) => [r, median(parquetRounds.map((p) => p[r]!))]));
    const timestamp = new Date().toISOString();
    const round3 = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/^\//, ''), Math.round(v * 1000) / 1000]));
    const report = [
      { timestamp, source: 'api', total_ms: Math.round(median(totals) * 1000) / 1000, breakdown_ms: round3(breakdown), dataset_size: SEED.purchases, rounds: ROUNDS, uncached_total_ms: Math.round(median(uncached) * 1000) / 1000 },
      { timestamp, source: 'parquet', total_ms: Math.round(median(parquetTotals) * 1000) / 1000, breakdown_ms: round3(parquetBreakdown), dataset_size: SEED.purchases, rounds: parquetRounds.length },
    ];
    const out = path.join(ROOT, 'data', 'metrics', 'refresh_benchmark.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    log(`\nrefresh round: api ${report[0]!.total_ms} ms vs parquet (hyparquet, ${parquetDir}) ${report[1]!.total_ms} ms → ${path.relative(ROOT, out)}`);
    log(`/kpis: ${bigSummary}`);
  } finally {
    for (const s of servers) await s.stop();
    try {
      const lanes = await accessLines(ACCESS_LOG);
      log(`access log written by the API processes: ${(statSync(ACCESS_LOG).size / 1e6).toFixed(0)} MB (deleted); access lines: ${Object.entries(lanes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      rmSync(ACCESS_LOG);
    } catch {
      // no log written
    }
    await client.close();
    await mongo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
