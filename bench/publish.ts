// Publisher benchmark: generates a fact_achats of N rows with DuckDB (Pandas-like types:
// INT64 ids, TIMESTAMP, DOUBLE, strings), then measures
//   1. the pipeline without a database: decode + normalise + validate + derive + BSON encode,
//      with the default worker threads and with one thread, each in a fresh child process so
//      its peak RSS is its own, running the compiled publisher (dist/, as shipped);
//   2. end to end into the in-memory MongoDB test server, started in-process;
// and prints rows/s and the peak RSS. Usage: npm run bench:publish -- [--rows 5000000] [--no-db]
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { startMongoTestServer } from '../mongo-test-server/src/index.js';
import { loadConfig } from '../src/config/config.js';
import { runPublish } from '../publisher/run.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    'no-db': { type: 'boolean', default: false },
    generate: { type: 'string' },
  },
});
const rows = Number(values.rows);
if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${values.rows}`);

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
/** Peak RSS of the process so far (kernel high-water mark). */
const peakRss = (): number => process.resourceUsage().maxRSS * 1024;
const rate = (n: number, ms: number): string => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} rows/s`;

async function generate(dir: string, n: number): Promise<void> {
  const file = path.join(dir, 'fact_achats.parquet');
  const { DuckDBInstance } = await import('@duckdb/node-api');
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

/** Runs the compiled pipeline in a plain node process (see the script's header). */
const MEASURE_SCRIPT = fileURLToPath(new URL('./publish-measure.mjs', import.meta.url));

/** What publish-measure.mjs prints. */
interface Measure {
  readonly ms: number;
  readonly cpuMs: number;
  readonly bsonBytes: number;
  readonly docs: number;
  readonly peakRss: number;
  readonly rssBefore: number;
  readonly load: number;
}

/** This script again (tsx) with `args`, or another script with plain node; returns its stdout. */
function runChild(args: readonly string[], script?: string): string {
  const argv = script ? [script, ...args] : [...process.execArgv, process.argv[1] ?? 'bench/publish.ts', ...args];
  const child = spawnSync(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`bench child ${args.join(' ')} failed (exit ${String(child.status)})`);
  return child.stdout;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-publish-'));
  try {
    let t = performance.now();
    // DuckDB and each measured run get a process of their own, so peak RSS figures are separate.
    runChild(['--generate', dir, '--rows', String(rows)]);
    const file = path.join(dir, 'fact_achats.parquet');
    console.log(`generated ${rows.toLocaleString('en-US')} rows of fact_achats with DuckDB in ${((performance.now() - t) / 1000).toFixed(1)} s (${mb((await stat(file)).size)})`);

    // The publisher's default (one worker thread per core) and one thread, one after the other.
    const modes = [availableParallelism(), 1];
    for (const workers of modes) {
      const m = JSON.parse(runChild([dir, String(workers)], MEASURE_SCRIPT)) as Measure;
      const how = workers > 1 ? `${workers} worker threads` : 'one thread';
      console.log(`without database (decode + normalise + validate + derive + BSON encode), ${how}: ${rate(rows, m.ms)} (${(m.ms / 1000).toFixed(2)} s, ${mb(m.bsonBytes)} of BSON in ${m.docs.toLocaleString('en-US')} documents)`);
      // On a shared machine wall time includes waiting for a core; CPU time does not.
      console.log(`  CPU time ${(m.cpuMs / 1000).toFixed(2)} s → ${rate(rows, m.cpuMs)} per CPU-second (load average ${m.load.toFixed(1)} on ${cpus().length} cores)`);
      console.log(`  peak RSS ${mb(m.peakRss)} (${mb(m.rssBefore)} before the run)`);
    }

    if (values['no-db']) return;
    const config = loadConfig({ LOCAL_GOLD_DIRS: dir, LOG_LEVEL: 'silent', MONGO_DB: 'bench_publish' });
    const logger = pino({ level: 'silent' });
    const server = await startMongoTestServer({ port: 0 });
    const client = await MongoClient.connect(server.uri);
    try {
      t = performance.now();
      const cpuE2e = process.cpuUsage();
      const summary = await runPublish({ source: 'local', force: true }, { client, mongoUri: server.uri, config, logger });
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
