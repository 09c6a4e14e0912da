// The builder's I/O shell: read `<sources>/clients.csv` and `achats.csv`, compute gold,
// write the 9 tables in the chosen layout, optionally upload them.
import { isAscii } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../src/errors/app-error.js';
import { TOOL_ERROR_CODES } from '../shared/tool-errors.js';
import { computeGold } from './compute-gold.js';
import { type GoldFile, type GoldLayout, layoutFiles, writeTableFiles } from './gold-writer.js';
import { type Encoded, encodeInWorker } from './parallel-encode.js';
import { type ParquetCodec, encodeParquet } from './parquet-encode.js';
import type { InputQuality } from './quality-report.js';
import { type UploadTarget, uploadGold } from './upload.js';

export interface BuildGoldOptions {
  readonly sourcesDir: string;
  readonly outDir: string;
  readonly layout?: GoldLayout;
  readonly codec?: ParquetCodec;
  /** Upper bound of valid dates (default: now). */
  readonly nowMs?: number;
  readonly upload?: UploadTarget;
  /**
   * Encode a fact table of at least this many rows on a worker thread, in parallel with the
   * client tables (default 200,000; Infinity disables it).
   */
  readonly parallelFromRows?: number;
}

export interface BuildGoldReport {
  readonly outDir: string;
  readonly layout: GoldLayout;
  readonly tables: ReadonlyArray<{ readonly name: string; readonly rows: number; readonly bytes: number }>;
  readonly quality: readonly InputQuality[];
  readonly referenceDate: string;
  readonly uploadedKeys: readonly string[];
  readonly timings: Readonly<Record<string, number>>;
  /** Where fact_achats was encoded (a worker thread for large tables). */
  readonly factEncodedOn: 'worker' | 'main';
}

async function readSource(dir: string, file: string): Promise<string> {
  const path = join(dir, file);
  try {
    const bytes = await readFile(path);
    // Pure ASCII (the usual case) decodes as latin1 in one copy; anything else as UTF-8.
    return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  } catch (error) {
    throw new AppError(TOOL_ERROR_CODES.SOURCE_MISSING, `build gold: cannot read source ${path}: ${(error as Error).message}`, {
      status: 2,
      cause: error,
      details: { file: path },
    });
  }
}

export async function buildGold(options: BuildGoldOptions): Promise<BuildGoldReport> {
  const layout = options.layout ?? 'pandas';
  const started = performance.now();
  const [clientsCsv, achatsCsv] = await Promise.all([readSource(options.sourcesDir, 'clients.csv'), readSource(options.sourcesDir, 'achats.csv')]);
  const readMs = performance.now() - started;
  const parallelFrom = options.parallelFromRows ?? 200_000;
  let factBytes: Promise<Encoded> | undefined;
  let factEncodedOn: 'worker' | 'main' = 'main';
  const gold = computeGold(
    { clientsCsv, achatsCsv, clientsName: join(options.sourcesDir, 'clients.csv'), achatsName: join(options.sourcesDir, 'achats.csv') },
    options.nowMs ?? Date.now(),
    { onFact: (fact) => (factBytes = fact.rows >= parallelFrom ? encodeInWorker(fact, options.codec ?? 'SNAPPY') : undefined) },
  );
  factBytes?.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
  const writeStart = performance.now();
  const files: GoldFile[] = [];
  const tables: Array<{ name: string; rows: number; bytes: number }> = [];
  // The fact table (if on a worker) is written last, so the other tables are encoded meanwhile.
  const ordered = factBytes ? [...gold.tables.slice(1), gold.tables[0]] : gold.tables;
  for (const table of ordered) {
    if (!table) continue;
    let parquet: ArrayBuffer;
    if (table.name === 'fact_achats' && factBytes) {
      const encoded = await factBytes;
      factEncodedOn = encoded.where;
      parquet = encoded.buffer;
    } else parquet = encodeParquet(table, options.codec);
    const tableFiles = layoutFiles(table.name, parquet, layout);
    await writeTableFiles(options.outDir, table.name, tableFiles, layout);
    if (options.upload) files.push(...tableFiles); // kept in memory only when needed
    tables.push({ name: table.name, rows: table.rows, bytes: tableFiles.reduce((n, f) => n + f.bytes.byteLength, 0) });
  }
  tables.sort((a, b) => gold.tables.findIndex((t) => t.name === a.name) - gold.tables.findIndex((t) => t.name === b.name));
  const writeMs = performance.now() - writeStart;
  const uploadedKeys = options.upload ? await uploadGold(options.upload, files) : [];
  return {
    outDir: options.outDir,
    layout,
    tables,
    quality: gold.quality,
    referenceDate: new Date(gold.referenceMs).toISOString(),
    uploadedKeys,
    factEncodedOn,
    timings: { read: readMs, ...gold.timings, encodeAndWrite: writeMs, total: performance.now() - started },
  };
}
