// Options, dependencies and the summary of a publish (the `--report` JSON).
import type { Db, MongoClient } from 'mongodb';
import type { Logger } from 'pino';
import type { Config } from '../src/config/config.js';
import type { ParquetBatch, ParquetSchemaInfo, ReadBatchesOptions } from './parquet/types.js';
import type { DiscoverOptions, DiscoveryResult, ParquetFile, SourceMode } from './sources/types.js';
import type { ViolationReport } from './validate/violations.js';

export type OnInvalid = 'fail' | 'skip';

export interface PublishOptions {
  /** Where to look for gold (default 'auto': S3 first, then the local folders). */
  readonly source?: SourceMode;
  /** Republish even when the input fingerprint equals the served one. */
  readonly force?: boolean;
  /** 'fail' (default): any violation fails the publish; 'skip': bad rows are dropped and counted. */
  readonly onInvalid?: OnInvalid;
  /** Validate every source and report, without writing anything. */
  readonly check?: boolean;
  /** Lock expiry (renewed every third of it while running). Default 120 s. */
  readonly lockTtlMs?: number;
  /** Rows per decoded batch (default the reader's, 65,536). */
  readonly batchRows?: number;
  /** insertMany calls in flight per collection (default 3). */
  readonly insertInFlight?: number;
  readonly s3ConnectTimeoutMs?: number;
  /** Base of relative LOCAL_GOLD_DIRS. */
  readonly cwd?: string;
  /** Violation samples kept per table (default 20). */
  readonly sampleLimit?: number;
  /** Worker threads for big tables (default PUBLISH_WORKERS, 0 there = one per core up to 4; 1 = this thread only). */
  readonly workers?: number;
  /** Smallest table (bytes of Parquet) loaded by workers; default 4 MiB. Tests use 0. */
  readonly parallelMinBytes?: number;
  /**
   * Publish a mandatory table (fact_achats) that has 0 rows — or none left after
   * `--on-invalid skip` — emptying its collection and views and setting the KPIs to 0
   * (GOLD_SPEC §3 defines them for zero purchases). Default false: such a publish fails with
   * TABLE_EMPTY (exit 2) and the previous publish stays served.
   */
  readonly allowEmpty?: boolean;
}

/** The Parquet edge, injectable so the pipeline can be driven by fakes in tests. */
export interface ParquetReader {
  readSchema(file: ParquetFile): Promise<ParquetSchemaInfo>;
  readBatches(file: ParquetFile, opts?: ReadBatchesOptions): AsyncIterable<ParquetBatch>;
}

export interface ProgressEvent {
  readonly phase: 'discover' | 'load' | 'derive' | 'index' | 'swap' | 'done';
  readonly table?: string;
  /** Rows processed so far over all tables / rows in all discovered files. */
  readonly rows: number;
  readonly totalRows: number;
}

export interface PublishDeps {
  readonly config: Config;
  readonly logger: Logger;
  /** The database to publish into; or a client, then config.MONGO_DB is used. */
  readonly db?: Db;
  readonly client?: MongoClient;
  /**
   * The connection string `db`/`client` was opened with. When given, big tables are loaded by
   * worker threads, each with its own connection (see parallel/); otherwise on this thread.
   */
  readonly mongoUri?: string;
  readonly discover?: (opts: DiscoverOptions) => Promise<DiscoveryResult>;
  readonly reader?: ParquetReader;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly now?: () => Date;
}

export interface TableSummary {
  readonly origin: 's3' | 'local';
  readonly location: string;
  readonly layout: 'file' | 'folder';
  readonly files: ReadonlyArray<{ readonly uri: string; readonly size: number; readonly version: string }>;
  /** Rows read from the files. */
  readonly rows: number;
  /** Worker threads that loaded the table (0: the main thread did). */
  readonly workers: number;
  /** Rows dropped (skip) or found invalid (fail / check). */
  readonly rejected: number;
  readonly violations: ViolationReport;
  /** An unreadable file or a missing column. */
  readonly error?: { readonly code: string; readonly message: string; readonly details?: unknown };
}

export interface PublishSummary {
  /** published: collections swapped in; unchanged: same fingerprint, nothing written; checked: --check. */
  readonly status: 'published' | 'unchanged' | 'checked';
  /** --check: every source is valid. Otherwise true (a failed publish throws). */
  readonly valid: boolean;
  /** The served version after this run (null when nothing was ever published). */
  readonly version: string | null;
  readonly published_at: Date | null;
  readonly fingerprint: string;
  readonly tables: Readonly<Record<string, TableSummary>>;
  /** Documents per collection written by this run. */
  readonly collections: Readonly<Record<string, number>>;
  readonly missing: readonly string[];
  readonly notes: readonly string[];
  readonly timings_ms: Readonly<Record<string, number>>;
}
