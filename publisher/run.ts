// A publish, in order:
//   discover sources → fingerprint → lock → (unchanged? stop) → drop leftover staging →
//   stream every table into staging (normalise, validate, derive) → index staging →
//   swap (renameCollection, dropTarget) → write the meta document last → unlock.
// `--check` stops after validation and writes nothing.
import { availableParallelism } from 'node:os';
import type { Db } from 'mongodb';
import { DATASETS, KPI_DOCUMENT, TABLES, publishedCollections, type IndexSpec } from '../src/catalog/gold-catalog.js';
import { AppError } from '../src/errors/app-error.js';
import { INVALID_INPUT_STATUS, PUBLISH_ERRORS } from './errors.js';
import { acquireLock } from './load/lock.js';
import { PUBLISHER_VERSION, fingerprint, readMeta, versionOf, writeMeta, type MetaDocument } from './load/meta.js';
import { mongoSinkFactory, nullSinkFactory, type CollectionSink, type SinkFactory } from './load/sink.js';
import { dropServedExcept, dropServedTag, isServedByApi, newServedTag, referencedTags, servedName } from './load/served.js';
import { createStaging, dropStaging, indexStaging, stagingName } from './load/staging.js';
import { swapIn } from './load/swap.js';
import { readParquetBatches, readParquetSchema } from './parquet/index.js';
import { footerRowCounts, readingFootersOnce, runPipeline, type PipelineResult } from './pipeline.js';
import { discoverTables } from './sources/discover.js';
import { assertMandatoryFound, assertRowsKept, emptyTableNotes } from './table-presence.js';
import type { DiscoveryResult } from './sources/types.js';
import type { ParquetReader, PublishDeps, PublishOptions, PublishSummary } from './types.js';
import { describeReport } from './validate/violations.js';

export const defaultReader: ParquetReader = { readSchema: readParquetSchema, readBatches: readParquetBatches };

export async function runPublish(options: PublishOptions, deps: PublishDeps): Promise<PublishSummary> {
  const log = deps.logger.child({ module: 'publisher' });
  const reader = readingFootersOnce(deps.reader ?? defaultReader);
  const onInvalid = options.onInvalid ?? 'fail';
  const now = deps.now ?? (() => new Date());
  const timings: Record<string, number> = {};
  const started = performance.now();
  const lap = (name: string, since: number): number => (timings[name] = Math.round(performance.now() - since));

  const found = await (deps.discover ?? discoverTables)({
    mode: options.source ?? 'auto',
    config: deps.config,
    tables: TABLES.map((t) => t.parquet ?? t.name),
    ...(options.s3ConnectTimeoutMs === undefined ? {} : { s3ConnectTimeoutMs: options.s3ConnectTimeoutMs }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  lap('discover', started);
  for (const note of found.notes) log.info({ note }, note);
  for (const [table, s] of found.tables) log.info({ table, origin: s.origin, location: s.location, files: s.files.length }, `source: ${table} from ${s.origin} ${s.location}`);
  if (found.missing.length > 0) log.warn({ missing: found.missing }, `source: not found anywhere: ${found.missing.join(', ')}`);
  assertMandatoryFound(found);

  // Row counts from the footers, before the lock and before anything is written: an empty
  // mandatory table would otherwise replace a good publish with empty collections and zero KPIs.
  const counts = await footerRowCounts(found, reader);
  const emptyNotes = emptyTableNotes(found, counts, options.allowEmpty === true);
  for (const note of emptyNotes) log.warn({ note }, note);
  const discovery: DiscoveryResult = emptyNotes.length > 0 ? { ...found, notes: [...found.notes, ...emptyNotes] } : found;

  const print = fingerprint(discovery.tables.values(), onInvalid);
  const totalRows = [...counts.values()].reduce((n, c) => n + c.rows, 0);
  let doneRows = 0;
  const progress = (phase: 'load' | 'derive' | 'index' | 'swap' | 'done', table?: string): void =>
    deps.onProgress?.({ phase, rows: doneRows, totalRows, ...(table ? { table } : {}) });
  const pipelineOptions = {
    onInvalid,
    // Workers read with the real Parquet reader: an injected one (tests' fakes) keeps one thread.
    workers: deps.reader ? 1 : (options.workers ?? (deps.config.PUBLISH_WORKERS || defaultWorkers())),
    ...(options.parallelMinBytes === undefined ? {} : { parallelMinBytes: options.parallelMinBytes }),
    ...(options.batchRows ? { batchRows: options.batchRows } : {}),
    ...(options.sampleLimit ? { sampleLimit: options.sampleLimit } : {}),
    onTable: (table: string) => progress('load', table),
    onRows: (rows: number) => {
      doneRows += rows;
      progress('load');
    },
    onDerive: () => progress('derive'),
  };

  if (options.check) {
    const result = await runPipeline(discovery, reader, nullSinkFactory(), pipelineOptions);
    if (result.ok) assertRowsKept(result, discovery, options.allowEmpty === true);
    lap('validate', started);
    lap('total', started);
    progress('done');
    return summary('checked', result.ok, null, null, print, discovery, result, timings);
  }

  const db = databaseOf(deps);
  const lock = await acquireLock(db, options.lockTtlMs === undefined ? {} : { ttlMs: options.lockTtlMs });
  let tag = '';
  try {
    const current = await readMeta(db);
    if (!options.force && current?.fingerprint === print) {
      log.info({ version: current.version }, 'publish: inputs unchanged since the served publish; nothing to do (--force republishes)');
      lap('total', started);
      const empty: PipelineResult = { tables: {}, collections: {}, ok: true, timings_ms: {} };
      return summary('unchanged', true, current.version, current.published_at, print, discovery, empty, timings);
    }
    const leftovers = await dropStaging(db);
    if (leftovers.length > 0) log.warn({ dropped: leftovers }, `staging: dropped ${leftovers.length} collection(s) left by a crashed run`);
    // Keep the served copies of the publish being served and of the one before it: an API
    // process reads through the meta document it last checked (every CACHE_VERSION_CHECK_MS,
    // configurable up to an hour), so one may still read the copies the current publish replaced
    // when this run starts. Older ones and a crashed run's go.
    await dropServedExcept(db, [...referencedTags(current?.served), ...(current?.previous_served_tags ?? [])]);
    tag = newServedTag();

    let t = performance.now();
    const staged: string[] = [];
    const sinks = stagingSinks(db, staged, tag, options.insertInFlight, deps.mongoUri);
    const result = await runPipeline(discovery, reader, sinks, pipelineOptions);
    lap('load', t);
    if (!result.ok) throw invalidInput(result);
    assertRowsKept(result, discovery, options.allowEmpty === true);

    t = performance.now();
    progress('index');
    for (const collection of staged) {
      await indexStaging(db, stagingName(collection), indexesOf(collection));
      if (isServedByApi(collection)) await indexStaging(db, servedName(tag, collection), indexesOf(collection));
    }
    lap('index', t);

    lock.assertHeld();
    t = performance.now();
    progress('swap');
    const order = publishedCollections().filter((c) => staged.includes(c));
    await swapIn(db, order, (c) => log.debug({ collection: c }, `swap: ${stagingName(c)} → ${c}`));
    lap('swap', t);

    const publishedAt = now();
    const version = versionOf(publishedAt, print);
    lap('total', started);
    const meta: MetaDocument = {
      _id: 'current',
      version,
      published_at: publishedAt,
      fingerprint: print,
      tables: Object.fromEntries(
        Object.entries(result.tables).map(([table, s]) => [table, { origin: s.origin, location: s.location, layout: s.layout, files: s.files, rows: s.rows, rejected: s.rejected }]),
      ),
      collections: result.collections,
      missing: [...discovery.missing],
      timings_ms: { ...result.timings_ms, ...timings },
      publisher_version: PUBLISHER_VERSION,
      served_tag: tag,
      // A table absent from this publish keeps its previous collection, and so its served copy.
      served: { ...current?.served, ...Object.fromEntries(staged.filter(isServedByApi).map((c) => [c, servedName(tag, c)])) },
      previous_served_tags: referencedTags(current?.served),
    };
    await writeMeta(db, meta);
    progress('done');
    log.info({ version, collections: result.collections }, `publish: version ${version} is served`);
    return summary('published', true, version, publishedAt, print, discovery, result, meta.timings_ms);
  } catch (error) {
    await dropStaging(db).catch(() => undefined);
    if (tag) await dropServedTag(db, tag).catch(() => undefined);
    throw error;
  } finally {
    await lock.release().catch((e: unknown) => log.warn({ err: e }, 'lock: release failed; it will expire'));
  }
}

/**
 * One worker per core, at most 4: in a container limited by a CPU quota, availableParallelism()
 * still reports the host's cores, and each worker costs ~50–80 MB. PUBLISH_WORKERS overrides.
 */
export const DEFAULT_MAX_WORKERS = 4;
const defaultWorkers = (): number => Math.min(availableParallelism(), DEFAULT_MAX_WORKERS);

function databaseOf(deps: PublishDeps): Db {
  if (deps.db) return deps.db;
  if (deps.client) return deps.client.db(deps.config.MONGO_DB);
  throw new Error('runPublish: deps.db or deps.client is required unless options.check is set');
}

/**
 * Sinks writing to staging collections (created fresh), recording which were staged; the
 * collections the API reads are written to their served copy as well, in the same pass.
 */
function stagingSinks(db: Db, staged: string[], tag: string, inFlight?: number, workerUri?: string): SinkFactory {
  const flight = { ...(inFlight ? { inFlight } : {}), ...(workerUri ? { workerUri } : {}) };
  const staging = mongoSinkFactory(db, { target: stagingName, ...flight });
  const served = mongoSinkFactory(db, { target: (c) => servedName(tag, c), ...flight });
  return {
    workerSink(collection) {
      const spec = staging.workerSink?.(collection);
      if (spec?.kind !== 'mongo' || !isServedByApi(collection)) return spec;
      return { ...spec, targets: [...spec.targets, servedName(tag, collection)] };
    },
    async open(collection) {
      await createStaging(db, stagingName(collection));
      if (!staged.includes(collection)) staged.push(collection);
      if (!isServedByApi(collection)) return staging.open(collection);
      await createStaging(db, servedName(tag, collection));
      return teeSink(await staging.open(collection), await served.open(collection));
    },
  };
}

function teeSink(a: CollectionSink, b: CollectionSink): CollectionSink {
  return {
    write: async (docs) => {
      await Promise.all([a.write(docs), b.write(docs)]);
    },
    close: async () => {
      const [written] = await Promise.all([a.close(), b.close()]);
      return written;
    },
  };
}

function indexesOf(collection: string): readonly IndexSpec[] {
  if (collection === KPI_DOCUMENT.collection) return [];
  return DATASETS.find((d) => d.collection === collection)?.indexes ?? [];
}






function invalidInput(result: PipelineResult): AppError {
  const lines: string[] = [];
  for (const [table, s] of Object.entries(result.tables)) {
    if (s.error) lines.push(`${table}: ${s.error.message}`);
    lines.push(...describeReport(s.violations));
  }
  const shown = lines.slice(0, 5).join('; ');
  const more = lines.length > 5 ? `; … ${lines.length - 5} more` : '';
  return new AppError(PUBLISH_ERRORS.VALIDATION_FAILED, `validate: gold is invalid, nothing was swapped: ${shown}${more}`, {
    status: INVALID_INPUT_STATUS,
    details: { tables: result.tables },
  });
}

function summary(
  status: PublishSummary['status'],
  valid: boolean,
  version: string | null,
  publishedAt: Date | null,
  print: string,
  discovery: DiscoveryResult,
  result: PipelineResult,
  timings: Record<string, number>,
): PublishSummary {
  return {
    status,
    valid,
    version,
    published_at: publishedAt,
    fingerprint: print,
    tables: result.tables,
    collections: result.collections,
    missing: [...discovery.missing],
    notes: [...discovery.notes],
    timings_ms: { ...result.timings_ms, ...timings },
  };
}
