// One measured run of the publisher's pipeline without a database (decode + normalise +
// validate + derive + BSON encode) over the gold folder given, in a plain `node` process that
// loads only the compiled publisher (dist/, as shipped; `npm run build` first): its peak RSS is
// the publisher's own, not the benchmark harness's (tsx, DuckDB). Prints one JSON line.
// Usage: node bench/publish-measure.mjs <gold dir> <worker threads>
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [dir, workersArg] = process.argv.slice(2);
const workers = Number(workersArg ?? '1');
if (!dir || !Number.isSafeInteger(workers) || workers < 1) throw new Error('usage: node bench/publish-measure.mjs <gold dir> <worker threads ≥ 1>');

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const load = async (file) => {
  const full = path.join(dist, file);
  if (!existsSync(full)) throw new Error(`${full} is missing: run \`npm run build\` first (npm run bench:publish does)`);
  return import(pathToFileURL(full).href);
};
const { runPipeline } = await load('publisher/pipeline.js');
const { defaultReader } = await load('publisher/run.js');
const { bsonSinkFactory } = await load('publisher/load/sink.js');
const { discoverTables } = await load('publisher/sources/discover.js');
const { loadConfig } = await load('src/config/config.js');
const { TABLES } = await load('src/catalog/gold-catalog.js');

const peakRss = () => process.resourceUsage().maxRSS * 1024;
const config = loadConfig({ LOCAL_GOLD_DIRS: dir, LOG_LEVEL: 'silent', MONGO_DB: 'bench_publish' });
const discovery = await discoverTables({ mode: 'local', config, tables: TABLES.map((t) => t.parquet ?? t.name) });
const sink = bsonSinkFactory();
const rssBefore = peakRss();
const started = performance.now();
const cpu = process.cpuUsage();
const result = await runPipeline(discovery, defaultReader, sink, { onInvalid: 'fail', workers });
const ms = performance.now() - started;
// process.cpuUsage() covers every thread of the process, worker threads included.
const used = process.cpuUsage(cpu);
if (!result.ok) throw new Error(`the generated data is invalid: ${JSON.stringify(result.tables.fact_achats?.violations.counts)}`);
process.stdout.write(
  JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, bsonBytes: sink.stats.bytes, docs: sink.stats.docs, peakRss: peakRss(), rssBefore, load: loadavg()[0] ?? 0 }),
);
