// Error codes of the publisher. The CLI maps them to exit codes: status 422 (the input is
// invalid: a missing mandatory table, a missing column, a rule violation, an unreadable
// Parquet file, an empty mandatory table) exits 2; anything else (lock held, MongoDB down, S3
// refusing the credentials, a bug) exits 1.

export const PUBLISH_ERRORS = Object.freeze({
  /** A mandatory table (fact_achats) was found in no source. */
  TABLE_MISSING: 'TABLE_MISSING',
  /**
   * A mandatory table (fact_achats) has 0 rows (or none left after --on-invalid skip) and
   * --allow-empty was not given: publishing it would empty its collection, the fact-derived views
   * and the KPIs.
   */
  TABLE_EMPTY: 'TABLE_EMPTY',
  /** A gold file lacks a required column (GOLD_SPEC §2 "minimum columns"). */
  COLUMN_MISSING: 'COLUMN_MISSING',
  /** Value rules or unique keys were violated and --on-invalid is `fail`. */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** Another publisher holds the lock. */
  LOCK_HELD: 'LOCK_HELD',
  /** The lock was lost while publishing (it expired and another publisher took it). */
  LOCK_LOST: 'LOCK_LOST',
  /** MongoDB did not answer at start-up. */
  MONGO_UNREACHABLE: 'MONGO_UNREACHABLE',
  /** Writing to MongoDB failed. */
  LOAD_FAILED: 'LOAD_FAILED',
  /** Bad command-line arguments. */
  USAGE: 'USAGE',
  /** The --report file cannot be written (its folder is missing or not writable). */
  REPORT_UNWRITABLE: 'REPORT_UNWRITABLE',
} as const);

export type PublishErrorCode = (typeof PUBLISH_ERRORS)[keyof typeof PUBLISH_ERRORS];

/** HTTP-like status used for "the input is invalid" (exit code 2). */
export const INVALID_INPUT_STATUS = 422;
