// The data path of a publish, independent of where documents go: every discovered table is
// streamed through processTable into its sink, while fact_achats feeds the daily/weekly/
// distribution views and the KPIs, ca_monthly feeds monthly growth and client_scores the
// expected total. Then the derived collections are written. run.ts wraps this with the lock,
// staging, swap and meta; the benchmark drives it with a BSON-encoding sink.
import { DATASETS, KPI_DOCUMENT, TABLES, datasetByName, type DatasetSpec } from '../src/catalog/gold-catalog.js';
import { FactAggregator, type FactViews } from './derive/fact-aggregator.js';
import { kpiDocument } from './derive/kpis.js';
import { monthlyGrowth, type MonthlyCa } from './derive/monthly-growth.js';
import { neumaierSum } from './derive/sums.js';
import type { GoldDocument } from './load/documents.js';
import type { SinkFactory, WorkerSinkSpec } from './load/sink.js';
import type { NormalisedBatch, TablePlan } from './normalise/normalise-batch.js';
import { textValues } from './normalise/text-columns.js';
import { processTableParallel } from './parallel/parallel-table.js';
import { lazyPool } from './parallel/worker-pool.js';
import { processTable, type BatchObserver } from './process-table.js';
import type { DiscoveryResult, TableSource } from './sources/types.js';
import type { ParquetSchemaInfo } from './parquet/types.js';
import type { OnInvalid, ParquetReader, TableSummary } from './types.js';

export interface PipelineOptions {
  readonly onInvalid: OnInvalid;
  readonly batchRows?: number;
  readonly sampleLimit?: number;
  readonly onTable?: (table: string) => void;
  readonly onRows?: (rows: number) => void;
  /** Called before the derived views are computed and written. */
  readonly onDerive?: () => void;
  /**
   * Worker threads for big tables under `fail` (default 1: everything on this thread). Needs
   * the real Parquet reader: workers read with it whatever `reader` is.
   */
  readonly workers?: number;
  /** Tables whose files total less than this load on this thread (default PARALLEL_MIN_BYTES). */
  readonly parallelMinBytes?: number;
}

/** Tables whose files are smaller than this load on this thread: starting workers costs more. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

interface Observer {
  /** Normalised columns the observer reads (sent back by workers). */
  readonly columns: readonly string[];
  readonly fn: BatchObserver;
}

export interface PipelineResult {
  readonly tables: Record<string, TableSummary>;
  /** Documents written per collection. */
  readonly collections: Record<string, number>;
  /** Every table is publishable (no error; no violation unless skipping). */
  readonly ok: boolean;
  readonly timings_ms: Record<string, number>;
}

const columnIndex = (dataset: DatasetSpec, name: string): number => {
  const i = dataset.columns.findIndex((c) => c.name === name);
  if (i < 0) throw new Error(`catalog: ${dataset.name} has no column ${name}`);
  return i;
};

const FACT = datasetByName('fact_achats');
const MONTHLY = datasetByName('ca_monthly');
const SCORES = datasetByName('client_scores');
const view = (name: string): DatasetSpec => datasetByName(name);

function numberColumn(batch: NormalisedBatch, index: number): Float64Array {
  const c = batch.columns[index];
  if (!c || c.kind === 'text' || c.kind === 'coded') throw new Error(`pipeline: column ${index} is not numeric`);
  return c.values;
}

export async function runPipeline(discovery: DiscoveryResult, reader: ParquetReader, sinks: SinkFactory, options: PipelineOptions): Promise<PipelineResult> {
  const tables: Record<string, TableSummary> = {};
  const collections: Record<string, number> = {};
  const timings: Record<string, number> = {};
  let ok = true;

  const fact = new FactAggregator();
  const [iDate, iMontant, iClient] = [columnIndex(FACT, 'date_achat'), columnIndex(FACT, 'montant'), columnIndex(FACT, 'id_client')];
  const monthly: MonthlyCa[] = [];
  const [iMois, iCa] = [columnIndex(MONTHLY, 'mois'), columnIndex(MONTHLY, 'ca')];
  const expected: number[] = [];
  const iExpected = columnIndex(SCORES, 'expected_value_12m');

  const observers: Readonly<Record<string, Observer>> = {
    fact_achats: {
      columns: ['date_achat', 'montant', 'id_client'],
      fn: (_plan: TablePlan, b, skip) => fact.addBatch(b.numRows, numberColumn(b, iDate), numberColumn(b, iMontant), numberColumn(b, iClient), skip),
    },
    ca_monthly: {
      columns: ['mois', 'ca'],
      fn: (_plan, b, skip) => {
        const column = b.columns[iMois];
        if (column?.kind !== 'text' && column?.kind !== 'coded') throw new Error('pipeline: ca_monthly.mois is not a text column');
        const mois = textValues(column);
        const ca = numberColumn(b, iCa);
        for (let i = 0; i < b.numRows; i++) if (skip[i] !== 1) monthly.push({ mois: mois[i] as string, ca: ca[i] as number });
      },
    },
    client_scores: {
      columns: ['expected_value_12m'],
      fn: (_plan, b, skip) => {
        const ev = numberColumn(b, iExpected);
        for (let i = 0; i < b.numRows; i++) if (skip[i] !== 1) expected.push(ev[i] as number);
      },
    },
  };

  // Worker threads start on the first table that needs them and serve the following ones.
  const pool = lazyPool(options.workers ?? 1);
  try {
    for (const dataset of TABLES) {
      const source = discovery.tables.get(dataset.parquet ?? dataset.name);
      if (!source) continue;
      const started = performance.now();
      options.onTable?.(dataset.name);
      const observe = observers[dataset.name];
      const common = {
        dataset,
        source,
        ...(options.batchRows ? { batchRows: options.batchRows } : {}),
        ...(options.sampleLimit ? { sampleLimit: options.sampleLimit } : {}),
        ...(options.onRows ? { onRows: options.onRows } : {}),
      };
      const spec = parallelSpec(source, sinks, dataset.collection, options);
      const result = spec
        ? await processTableParallel({ ...common, sinks, spec, pool: pool.get(), ...(observe ? { observe } : {}) })
        : await processTable({ ...common, reader, sink: await sinks.open(dataset.collection), onInvalid: options.onInvalid, ...(observe ? { observe: observe.fn } : {}) });
      tables[dataset.name] = result.summary;
      collections[dataset.collection] = result.written;
      timings[dataset.name] = Math.round(performance.now() - started);
      ok &&= result.ok;
    }
  } finally {
    await pool.close();
  }
  if (!ok) return { tables, collections, ok, timings_ms: timings };

  const started = performance.now();
  options.onDerive?.();
  const views = tables.fact_achats ? fact.result() : null;
  const write = async (collection: string, docs: GoldDocument[]): Promise<void> => {
    const sink = await sinks.open(collection);
    await sink.write(docs);
    collections[collection] = await sink.close();
  };
  if (views) {
    for (const [name, docs] of Object.entries(viewDocuments(views))) await write(view(name).collection, docs);
    const expectedTotal = tables.client_scores ? neumaierSum(expected) : null;
    await write(KPI_DOCUMENT.collection, [{ ...kpiDocument(views.totals, expectedTotal) }]);
  }
  if (tables.ca_monthly) {
    await write(view('monthly_growth').collection, monthlyGrowth(monthly).map((r) => ({ _id: r.mois, ...r })));
  }
  timings.derive = Math.round(performance.now() - started);
  return { tables, collections, ok, timings_ms: timings };
}

/** How workers write this table, when it is to be loaded by workers at all. */
function parallelSpec(source: TableSource, sinks: SinkFactory, collection: string, options: PipelineOptions): WorkerSinkSpec | undefined {
  if ((options.workers ?? 1) < 2 || options.onInvalid !== 'fail') return undefined;
  if (source.files.reduce((n, f) => n + f.size, 0) < (options.parallelMinBytes ?? PARALLEL_MIN_BYTES)) return undefined;
  return sinks.workerSink?.(collection);
}

/** Documents of the fact-derived views, keyed by view name; `_id` = the view's unique key. */
export function viewDocuments(views: FactViews): Record<string, GoldDocument[]> {
  return {
    daily: views.daily.map((r) => ({ _id: r.key, jour: r.key, ca: r.ca, achats: r.achats })),
    weekly: views.weekly.map((r) => ({ _id: r.key, semaine: r.key, ca: r.ca, achats: r.achats })),
    distribution: views.distribution.map((b) => ({ _id: b.bucket_index, ...b })),
  };
}

/**
 * `reader` reading each file's footer once per run: footerRowCounts reads every footer before
 * anything is written and processing a table reads them again (a ranged GET per file on S3).
 */
export function readingFootersOnce(reader: ParquetReader): ParquetReader {
  const schemas = new Map<string, Promise<ParquetSchemaInfo>>();
  return {
    readSchema(file) {
      let schema = schemas.get(file.uri);
      if (!schema) schemas.set(file.uri, (schema = reader.readSchema(file)));
      return schema;
    },
    readBatches: (file, opts) => reader.readBatches(file, opts),
  };
}

/** Rows of a discovered table according to its Parquet footers. */
export interface FooterRows {
  /** Sum of the footers' row counts over the files that could be read. */
  readonly rows: number;
  /** Files whose footer could not be read (the pipeline reports them as invalid input). */
  readonly unreadable: number;
}

/**
 * Rows per discovered table from the footers alone (no page is read), so that an empty table is
 * known before anything is written. An unreadable footer is counted, not thrown: processing the
 * table reports it with the file's name.
 */
export async function footerRowCounts(discovery: DiscoveryResult, reader: ParquetReader): Promise<Map<string, FooterRows>> {
  const counts = new Map<string, FooterRows>();
  for (const [table, source] of discovery.tables) {
    let rows = 0;
    let unreadable = 0;
    for (const file of source.files) {
      const n = await reader.readSchema(file).then(
        (schema) => schema.numRows,
        () => null,
      );
      if (n === null) unreadable++;
      else rows += n;
    }
    counts.set(table, { rows, unreadable });
  }
  return counts;
}

/** Every view the pipeline derives must be in the catalog (checked by a unit test). */
export const DERIVED_VIEWS = Object.freeze(DATASETS.filter((d) => d.kind === 'view').map((d) => d.name));
