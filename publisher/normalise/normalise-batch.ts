// Normalise one decoded batch to the catalog's storage types, column by column (the batches
// are columnar; typed arrays keep this allocation-light): int/double → Float64Array with NaN
// for null, date → Float64Array of epoch ms with NaN for null, string/day/month → string|null.
// Every catalog column is produced (all-null when the file lacks an optional one); fact_achats'
// `jour`/`annee` are derived from date_achat when absent or null. Cells that cannot be converted
// are reported to the ViolationLog and become null.
import type { ColumnSpec, DatasetSpec } from '../../src/catalog/gold-catalog.js';
import { CodedTexts } from '../parquet/coded-texts.js';
import { EpochMsArray, NumberArray } from '../parquet/flat-values.js';
import type { ColumnData, ParquetColumnInfo } from '../parquet/types.js';
import type { ViolationLog } from '../validate/violations.js';
import { calendarTexts, codedHasNull, normaliseCoded, normaliseTexts, textValues, type TextColumn } from './text-columns.js';
import { DATE_MAX_MS, DATE_MIN_MS, float32Decimal, toEpochMs, toNumber, type TimeUnit } from './values.js';

/** A normalised column; text columns may stay dictionary-coded (see text-columns.ts). */
export type NormColumn = { readonly kind: 'number'; readonly values: Float64Array } | { readonly kind: 'date'; readonly values: Float64Array } | TextColumn;

export interface ColumnPlan {
  readonly spec: ColumnSpec;
  /** The Parquet file has this column. */
  readonly present: boolean;
  /** Unit of raw integer timestamps (the reader normally yields Dates already). */
  readonly unit: TimeUnit;
  /** The file stores the column as FLOAT (32-bit): values are read as short decimals (float32Decimal). */
  readonly float32: boolean;
}

export interface TablePlan {
  readonly dataset: DatasetSpec;
  readonly columns: readonly ColumnPlan[];
  /** Catalog columns to decode (those present in the file). */
  readonly read: readonly string[];
  /** Required columns the file lacks (derivable ones excepted). */
  readonly missingRequired: readonly string[];
}

/** The rows of a column as one indexable array (coded texts are materialised). */
export function rowValues(column: NormColumn): Float64Array | (string | null)[] {
  return column.kind === 'coded' ? textValues(column) : column.values;
}

export interface NormalisedBatch {
  readonly numRows: number;
  /** Aligned with TablePlan.columns. */
  readonly columns: readonly NormColumn[];
}

/** The column holding the timestamp `jour`/`annee` are derived from. */
const DERIVE_SOURCE = 'date_achat';

/** Raw integer timestamp unit from the Parquet type annotation. */
export function timeUnitOf(info: ParquetColumnInfo | undefined): TimeUnit {
  if (!info) return 'ms';
  if (info.physicalType === 'INT96') return 'int96';
  const annotation = `${info.logicalType ?? ''} ${info.convertedType ?? ''}`.toUpperCase();
  if (annotation.includes('NANOS')) return 'ns';
  if (annotation.includes('MICROS')) return 'us';
  return 'ms';
}

export function planTable(dataset: DatasetSpec, fileColumns: readonly ParquetColumnInfo[]): TablePlan {
  const byName = new Map(fileColumns.map((c) => [c.name, c]));
  const columns = dataset.columns.map((spec) => {
    const info = byName.get(spec.name);
    return { spec, present: info !== undefined, unit: timeUnitOf(info), float32: info?.physicalType === 'FLOAT' };
  });
  return {
    dataset,
    columns,
    read: columns.filter((c) => c.present).map((c) => c.spec.name),
    missingRequired: columns.filter((c) => !c.present && c.spec.required && !c.spec.derivable).map((c) => c.spec.name),
  };
}

export function normaliseBatch(plan: TablePlan, numRows: number, raw: ReadonlyMap<string, ColumnData>, log: ViolationLog): NormalisedBatch {
  const out: NormColumn[] = [];
  for (const col of plan.columns) {
    const values = col.present ? raw.get(col.spec.name) : undefined;
    out.push(normaliseColumn(col, numRows, values, log));
  }
  deriveFromTimestamp(plan, out);
  return { numRows, columns: out };
}

function normaliseColumn(col: ColumnPlan, n: number, data: ColumnData | undefined, log: ViolationLog): NormColumn {
  const name = col.spec.name;
  if (data instanceof CodedTexts && data.length === n && col.spec.type !== 'date') {
    // Coded texts where numbers are expected: a type problem per non-null row, as for strings.
    if (col.spec.type === 'int' || col.spec.type === 'double') data = data.toArray();
    else return normaliseCoded(col.spec.type, data, name, log);
  }
  const values = data instanceof CodedTexts ? data.toArray() : data;
  switch (col.spec.type) {
    case 'int':
    case 'double': {
      // The flat decoder's arrays are ours: checked and cleaned in place, not copied.
      if (values instanceof NumberArray && values.length === n) {
        numbers(values, n, col.spec.type === 'int', values, name, log);
        if (col.float32) shortDecimals(values, n);
        return { kind: 'number', values };
      }
      const out = new Float64Array(n).fill(Number.NaN);
      if (values) numbers(values, n, col.spec.type === 'int', out, name, log);
      if (col.float32) shortDecimals(out, n);
      return { kind: 'number', values: out };
    }
    case 'date': {
      if (values instanceof EpochMsArray && values.length === n) {
        epochMs(values, n, values, name, log);
        return { kind: 'date', values };
      }
      const out = new Float64Array(n).fill(Number.NaN);
      if (values) {
        for (let i = 0; i < n; i++) {
          const v = values[i];
          const r = toEpochMs(v, col.unit);
          if (typeof r === 'number') out[i] = r;
          else if (r !== null) log.add(i, name, r.problem, v);
        }
      }
      return { kind: 'date', values: out };
    }
    case 'string':
    case 'day':
    case 'month': {
      if (values instanceof EpochMsArray && col.spec.type !== 'string') {
        // A DATE/TIMESTAMP column holding days or months (Spark writes `jour` as DATE).
        const out = new Array<string | null>(n).fill(null);
        const ms = new Float64Array(n).fill(Number.NaN);
        epochMs(values, n, ms, name, log);
        calendarTexts(ms, n, col.spec.type === 'day' ? 10 : 7, out);
        return { kind: 'text', values: out };
      }
      return normaliseTexts(col.spec.type, values, n, name, log);
    }
  }
}

function numbers(values: ArrayLike<unknown>, n: number, integer: boolean, out: Float64Array, name: string, log: ViolationLog): void {
  if (values instanceof EpochMsArray) {
    // A timestamp where a number is expected (hyparquet would give a Date: also a type problem).
    for (let i = 0; i < n; i++) if (!Number.isNaN(values[i] as number)) log.add(i, name, 'type', new Date(values[i] as number));
    return;
  }
  // Fast paths: typed arrays (REQUIRED columns from hyparquet, every numeric column from the
  // flat decoder, where NaN is null) need no per-cell type dispatch.
  if (values instanceof Float64Array || values instanceof Float32Array) {
    // `out` may be `values` itself: a rejected cell becomes NaN (null).
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (integer && !Number.isInteger(v) && !Number.isNaN(v)) {
        log.add(i, name, Number.isFinite(v) ? 'not_integer' : 'type', v);
        out[i] = Number.NaN;
      } else if (!integer && !Number.isFinite(v) && !Number.isNaN(v)) {
        log.add(i, name, 'type', v);
        out[i] = Number.NaN;
      } else out[i] = v;
    }
    return;
  }
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    // Number() then a safety check is much cheaper than BigInt comparisons per cell.
    for (let i = 0; i < n; i++) {
      const x = Number(values[i] as bigint);
      if (Number.isSafeInteger(x)) out[i] = x;
      else log.add(i, name, 'int64_range', values[i]);
    }
    return;
  }
  if (values instanceof Int32Array || values instanceof Uint32Array || values instanceof Int16Array || values instanceof Uint16Array || values instanceof Int8Array || values instanceof Uint8Array) {
    for (let i = 0; i < n; i++) out[i] = values[i] as number;
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'number' && (integer ? Number.isInteger(v) : Number.isFinite(v))) {
      out[i] = v;
      continue;
    }
    const r = toNumber(v, integer);
    if (typeof r === 'number') out[i] = r;
    else if (r !== null) log.add(i, name, r.problem, v);
  }
}

/** Range-checked epoch ms (NaN = null) into `out` (may be `values`); out-of-range instants are reported. */
function epochMs(values: EpochMsArray, n: number, out: Float64Array, name: string, log: ViolationLog): void {
  for (let i = 0; i < n; i++) {
    const ms = values[i] as number;
    if (ms >= DATE_MIN_MS && ms < DATE_MAX_MS) out[i] = ms;
    else {
      if (ms === ms) log.add(i, name, 'date_range', new Date(ms));
      out[i] = Number.NaN;
    }
  }
}

/**
 * A FLOAT column's values as the decimals they were written from: widened to doubles, 285.41
 * read as 285.4100036621094, and every stored amount and sum kept the noise (found by an audit).
 */
function shortDecimals(values: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) values[i] = float32Decimal(values[i] as number);
}

/** fact_achats: `jour` ('YYYY-MM-DD') and `annee` from date_achat where the file gives none. */
function deriveFromTimestamp(plan: TablePlan, out: NormColumn[]): void {
  const source = plan.columns.findIndex((c) => c.spec.name === DERIVE_SOURCE);
  const ts = out[source];
  if (source < 0 || ts?.kind !== 'date') return;
  plan.columns.forEach((col, index) => {
    if (!col.spec.derivable) return;
    let target = out[index];
    if (!target) return;
    if (target.kind === 'coded' && col.spec.type === 'day') {
      if (!codedHasNull(target)) return;
      target = out[index] = { kind: 'text', values: textValues(target) };
    }
    if (col.spec.type === 'day' && target.kind === 'text') calendarTexts(ts.values, target.values.length, 10, target.values);
    else if (col.spec.type === 'int' && target.kind === 'number') {
      const values = target.values;
      for (let i = 0; i < values.length; i++) {
        const ms = ts.values[i] as number;
        if (Number.isNaN(values[i] as number) && !Number.isNaN(ms)) values[i] = new Date(ms).getUTCFullYear();
      }
    }
  });
}
