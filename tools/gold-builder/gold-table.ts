// A gold table held by columns, ready to be written as Parquet. Numbers and timestamps live in
// Float64Arrays (NaN = null); strings in arrays (null = null).

export const GOLD_COLUMN_TYPES = Object.freeze({
  int64: 'int64', // ids and counts (pandas int64)
  int32: 'int32', // calendar years (pandas `dt.year` is int32)
  double: 'double',
  string: 'string',
  timestamp: 'timestamp', // epoch ms in memory, TIMESTAMP(NANOS) naive in Parquet like pandas
} as const);
export type GoldColumnType = (typeof GOLD_COLUMN_TYPES)[keyof typeof GOLD_COLUMN_TYPES];

export type GoldColumn =
  | { readonly name: string; readonly type: 'int64' | 'int32' | 'double' | 'timestamp'; readonly values: Float64Array }
  | { readonly name: string; readonly type: 'string'; readonly values: readonly (string | null)[] };

export interface GoldTable {
  /** Parquet table name (catalog `parquet`). */
  readonly name: string;
  readonly rows: number;
  readonly columns: readonly GoldColumn[];
}

export const num = (name: string, type: 'int64' | 'int32' | 'double' | 'timestamp', values: Float64Array): GoldColumn => ({ name, type, values });
export const str = (name: string, values: readonly (string | null)[]): GoldColumn => ({ name, type: 'string', values });

/** Reorders every column by `order` (row indexes). */
export function takeRows(table: GoldTable, order: ArrayLike<number>): GoldTable {
  const columns = table.columns.map((c): GoldColumn => {
    if (c.type === 'string') return str(c.name, Array.from(order, (i) => c.values[i] ?? null));
    const out = new Float64Array(order.length);
    for (let k = 0; k < order.length; k += 1) out[k] = c.values[order[k] as number] as number;
    return num(c.name, c.type, out);
  });
  return { name: table.name, rows: order.length, columns };
}
