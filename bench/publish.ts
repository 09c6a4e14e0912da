// Publisher benchmark: generates a fact_achats of N rows with DuckDB (Pandas-like types:
// INT64 ids, TIMESTAMP, DOUBLE, strings), then measures
//   1. the pipeline without a database: decode + normalise + validate + derive + BSON encode;
//   2. end to end into the in-memory MongoDB test server, started in-process;
// and prints rows/s and the peak RSS. Usage: npm run bench:publish -- [--rows 5000000] [--no-db]
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { startMongoTestServer } from '../mongo-test-server/src/index.js';
import { loadConfig } from '../src/config/config.js';
import { TABLES } from '../src/catalog/gold-catalog.js';
import { bsonSinkFactory } from '../publisher/load/sink.js';
import { runPipeline } from '../publisher/pipeline.js';
import { defaultReader, runPublish } from '../publisher/run.js';
import { discoverTables } from '../publisher/sources/discover.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, 'no-db': { type: 'boolean', default: false }, generate: { type: 'string' } },
});
const rows = Number(values.rows);
if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${values.rows}`);

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
/** Peak RSS of the process so far (kernel high-water mark). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;
const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} rows/s`;

async function generate(dir: string, n: number): Promise<void> {
  const file = path.join(dir, 'fact_achats.parquet');
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  // Dates spread over two years, sorted like the gold producer's output; amounts in cents.
  await conn.run(`COPY (
      SELECT i::BIGINT AS id_achat,
             (1 + (hash(i) % 150000))::BIGINT AS id_client,
             TIMESTAMP '2024-01-01' + to_seconds((i * 63072000 // ${n})::BIGINT) AS date_achat,
             round(0.01 + (hash(i * 7) % 999999) / 100.0, 2)::DOUBLE AS montant,
             (['Refrigerateur','Lave-Linge','Four','Micro-Ondes','Aspirateur','Television','Lave-Vaisselle'])[(1 + (i % 7))::BIGINT] AS produit,
             (['France','Belgique','Suisse','Allemagne','Espagne','Italie'])[(1 + (hash(i * 3) % 6))::BIGINT] AS pays,
             strftime(TIMESTAMP '2024-01-01' + to_seconds((i * 63072000 // ${n})::BIGINT), '%Y-%m-%d') AS jour,
             strftime(TIMESTAMP '2024-01-01' + to_seconds((i * 63072000 // ${n})::BIGINT), '%Y-%m') AS mois,
             year(TIMESTAMP '2024-01-01' + to_seconds((i * 63072000 // ${n})::BIGINT))::BIGINT AS annee
      FROM range(1, ${n + 1}) t(i)
    ) TO '${file}' (FORMAT parquet, COMPRESSION snappy)`);
  conn.closeSync();
  instance.closeSync();
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-publish-'));
  try {
    let t = performance.now();
    // DuckDB runs in a child process so its memory does not count in this process's peak RSS.
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1] ?? 'bench/publish.ts', '--generate', dir, '--rows', String(rows)], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`data generation failed (exit ${String(child.status)})`);
    const file = path.join(dir, 'fact_achats.parquet');
    console.log(`generated ${rows.toLocaleString('en-US')} rows of fact_achats with DuckDB in ${((performance.now() - t) / 1000).toFixed(1)} s (${mb((await stat(file)).size)})`);

    const config = loadConfig({ LOCAL_GOLD_DIRS: dir, LOG_LEVEL: 'silent', MONGO_DB: 'bench_publish' });
    const logger = pino({ level: 'silent' });
    const discovery = await discoverTables({ mode: 'local', config, tables: TABLES.map((x) => x.parquet ?? x.name), logger });

    const sink = bsonSinkFactory();
    const rssBefore = peakRss();
    t = performance.now();
    const cpu = process.cpuUsage();
    const result = await runPipeline(discovery, defaultReader, sink, { onInvalid: 'fail' });
    const ms = performance.now() - t;
    const cpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpu));
    if (!result.ok) throw new Error(`the generated data is invalid: ${JSON.stringify(result.tables.fact_achats?.violations.counts)}`);
    console.log(`without database (decode + normalise + validate + derive + BSON encode): ${rate(rows, ms)} (${(ms / 1000).toFixed(2)} s, ${mb(sink.stats.bytes)} of BSON)`);
    // On a shared machine wall time includes waiting for a core; CPU time does not.
    console.log(`  CPU time ${(cpuMs / 1000).toFixed(2)} s → ${rate(rows, cpuMs)} per CPU-second (load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores)`);
    console.log(`peak RSS: ${mb(peakRss())} (before the run: ${mb(rssBefore)})`);

    if (values['no-db']) return;
    const server = await startMongoTestServer({ port: 0 });
    const client = await MongoClient.connect(server.uri);
    try {
      t = performance.now();
      const cpuE2e = process.cpuUsage();
      const summary = await runPublish({ source: 'local', force: true }, { client, config, logger });
      const e2e = performance.now() - t;
      const e2eCpu = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpuE2e));
      console.log(`end to end into the in-process MongoDB test server: ${rate(rows, e2e)} (${(e2e / 1000).toFixed(2)} s; timings ms ${JSON.stringify(summary.timings_ms)})`);
      console.log(`  CPU time (publisher + in-process server) ${(e2eCpu / 1000).toFixed(2)} s → ${rate(rows, e2eCpu)} per CPU-second`);
      console.log(`peak RSS including the in-memory server holding the data: ${mb(peakRss())}`);
    } finally {
      await client.close();
      await server.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (values.generate) await generate(values.generate, rows);
else await main();
