// The publisher's view of where gold Parquet lives (GOLD_SPEC §1): one TableSource per table,
// each a single file (Pandas) or a folder of part files (Spark), on S3/MinIO or a local disk.
// Readers get random access through hyparquet's AsyncBuffer, so nothing is downloaded whole.
import type { AsyncBuffer } from 'hyparquet';
import type { Config } from '../../src/config/config.js';

export type SourceMode = 'auto' | 's3' | 'local';

export interface ParquetFile {
  /** 's3://bucket/key' or an absolute local path. */
  readonly uri: string;
  /** Size in bytes. */
  readonly size: number;
  /** S3 ETag, or the local mtime as an ISO string: changes when the file changes. */
  readonly version: string;
  /**
   * Random access for hyparquet. S3: explicit byte-range GETs (never suffix ranges) with a small
   * read-ahead/footer cache; local: positional reads on an fs handle. Each call opens afresh.
   */
  open(): Promise<AsyncBuffer>;
}

export interface TableSource {
  /** Parquet table name, e.g. 'fact_achats'. */
  readonly table: string;
  readonly origin: 's3' | 'local';
  /** 's3://gold/spark/fact_achats.parquet/' or '/abs/data/gold/fact_achats.parquet'. */
  readonly location: string;
  /** Pandas single file | Spark folder of part files. */
  readonly layout: 'file' | 'folder';
  /** Sorted by name; for a folder, only the part files. Never empty. */
  readonly files: readonly ParquetFile[];
}

export interface DiscoveryResult {
  readonly tables: ReadonlyMap<string, TableSource>;
  /** Tables found nowhere. */
  readonly missing: readonly string[];
  /** Human lines, e.g. 'S3 unreachable at localhost:9000 (ECONNREFUSED after 2004 ms); using local folders'. */
  readonly notes: readonly string[];
  /**
   * Per table found nowhere, every place it was looked for, with why it was not there, e.g.
   * 's3://gold/fact_achats.parquet[/part-*.parquet] at localhost:9000 (not found)',
   * '/app/data/gold/fact_achats.parquet (folder /app/data/gold does not exist)'.
   */
  readonly tried?: Readonly<Record<string, readonly string[]>>;
}

export interface DiscoverOptions {
  readonly mode: SourceMode;
  /** MINIO_*, GOLD_BUCKET, GOLD_PREFIX, LOCAL_GOLD_DIRS are read. */
  readonly config: Config;
  /** The catalog's TABLES names (their `parquet` names). */
  readonly tables: readonly string[];
  /** Default 2000. */
  readonly s3ConnectTimeoutMs?: number;
  /** Base for relative LOCAL_GOLD_DIRS (default process.cwd()). */
  readonly cwd?: string;
}
