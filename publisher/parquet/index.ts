// Public surface of the Parquet-reading edge.
export { readParquetBatches, readParquetSchema, DEFAULT_MAX_ROWS } from './read-batches.js';
export { PARQUET_ERROR_CODES, type ParquetErrorCode } from './errors.js';
export type { ParquetBatch, ParquetColumnInfo, ParquetSchemaInfo, ReadBatchesOptions } from './types.js';
