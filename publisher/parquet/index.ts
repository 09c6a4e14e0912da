// Public surface of the Parquet-reading edge.
export { readParquetBatches, readParquetSchema, DEFAULT_MAX_ROWS } from './read-batches.js';
export { PARQUET_ERROR_CODES, type ParquetErrorCode } from './errors.js';
export type { ColumnData, ParquetBatch, ParquetColumnInfo, ParquetSchemaInfo, ReadBatchesOptions } from './types.js';
export { CodedTexts, plainValues } from './coded-texts.js';
