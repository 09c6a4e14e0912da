// A GoldTable in a form that crosses a worker boundary cheaply: numeric columns as typed
// arrays, repetitive string columns as dictionary codes (cloning 1M short strings costs far
// more than cloning an Int32Array and a few distinct values).
import type { GoldColumn, GoldTable } from './gold-table.js';
import type { ParquetCodec } from './parquet-encode.js';

type PackedColumn =
  | { readonly kind: 'number'; readonly name: string; readonly type: 'int64' | 'int32' | 'double' | 'timestamp'; readonly values: Float64Array }
  | { readonly kind: 'codes'; readonly name: string; readonly dictionary: readonly (string | null)[]; readonly codes: Int32Array }
  | { readonly kind: 'strings'; readonly name: string; readonly values: readonly (string | null)[] };

export interface PackedTable {
  readonly name: string;
  readonly rows: number;
  readonly columns: readonly PackedColumn[];
}

export interface EncodeRequest {
  readonly table: PackedTable;
  readonly codec: ParquetCodec;
}

/** Above this many distinct values a string column is sent as is. */
const MAX_DICTIONARY = 65_536;

function packStrings(column: Extract<GoldColumn, { type: 'string' }>): PackedColumn {
  const index = new Map<string | null, number>();
  const codes = new Int32Array(column.values.length);
  for (let i = 0; i < column.values.length; i += 1) {
    const v = column.values[i] ?? null;
    let code = index.get(v);
    if (code === undefined) {
      if (index.size >= MAX_DICTIONARY) return { kind: 'strings', name: column.name, values: column.values };
      code = index.size;
      index.set(v, code);
    }
    codes[i] = code;
  }
  return { kind: 'codes', name: column.name, dictionary: [...index.keys()], codes };
}

export function packTable(table: GoldTable): PackedTable {
  const columns = table.columns.map((c): PackedColumn => (c.type === 'string' ? packStrings(c) : { kind: 'number', name: c.name, type: c.type, values: c.values }));
  return { name: table.name, rows: table.rows, columns };
}

export function unpackTable(packed: PackedTable): GoldTable {
  const columns = packed.columns.map((c): GoldColumn => {
    if (c.kind === 'number') return { name: c.name, type: c.type, values: c.values };
    if (c.kind === 'strings') return { name: c.name, type: 'string', values: c.values };
    return { name: c.name, type: 'string', values: Array.from(c.codes, (code) => c.dictionary[code] ?? null) };
  });
  return { name: packed.name, rows: packed.rows, columns };
}
