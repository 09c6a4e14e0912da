// Documents from a normalised batch: `_id` = the dataset's (single-column) unique key, so two
// publishes of the same input give identical collections, then every catalog column in
// catalog order (null when unknown), with dates as BSON Dates.
import type { NormColumn, NormalisedBatch, TablePlan } from '../normalise/normalise-batch.js';

export type GoldDocument = Record<string, unknown>;

/** Documents built and written at a time (see documentChunks). */
export const DOCUMENT_CHUNK = 4_096;

/** Index in plan.columns of the unique key column. */
export function keyColumnIndex(plan: TablePlan): number {
  const key = plan.dataset.uniqueKey[0];
  const index = plan.columns.findIndex((c) => c.spec.name === key);
  if (index < 0) throw new Error(`dataset ${plan.dataset.name}: unique key "${String(key)}" is not one of its columns`);
  return index;
}

/** Row indexes kept: those with skip[i] !== 1 (skip shorter than the batch = keep all). */
function keptRows(n: number, skip: Uint8Array): Int32Array | null {
  if (skip.length < n) return null;
  let kept = 0;
  for (let i = 0; i < n; i++) if (skip[i] !== 1) kept++;
  if (kept === n) return null;
  const rows = new Int32Array(kept);
  for (let i = 0, k = 0; i < n; i++) if (skip[i] !== 1) rows[k++] = i;
  return rows;
}

type BatchBuilder = (columns: readonly NormColumn[], rows: Int32Array | null, from: number, to: number) => GoldDocument[];
const builders = new Map<string, BatchBuilder>();

/**
 * A batch builder compiled for one column layout. Why code generation: an object literal with
 * fixed keys is created from a boilerplate with every property in-object (one allocation), while
 * adding ten properties one by one reallocates the property store several times per document —
 * document building was the largest cost of the pipeline after decoding. The keys come from the
 * catalog (never from the data) and are JSON-quoted.
 */
function compileBuilder(plan: TablePlan, kinds: readonly NormColumn['kind'][]): BatchBuilder {
  const key = keyColumnIndex(plan);
  const value = (c: number): string => {
    switch (kinds[c]) {
      case 'text':
        return `(c${c}[i] ?? null)`;
      case 'coded':
        return `d${c}[c${c}[i]]`;
      case 'number':
        return `((x = c${c}[i]) === x ? x : null)`;
      case 'date':
        return `((x = c${c}[i]) === x ? new Date(x) : null)`;
      default:
        return 'null';
    }
  };
  const fields = plan.columns.map((col, c) => `${JSON.stringify(col.spec.name)}: ${value(c)}`).join(', ');
  const locals = kinds
    .map((k, c) => (k === 'coded' ? `const c${c} = columns[${c}].codes, d${c} = columns[${c}].dict;` : k ? `const c${c} = columns[${c}].values;` : ''))
    .join('\n');
  const body = `${locals}
    const out = new Array(to - from);
    let x;
    for (let k = from; k < to; k++) {
      const i = rows === null ? k : rows[k];
      out[k - from] = { _id: ${value(key)}, ${fields} };
    }
    return out;`;
  return new Function('columns', 'rows', 'from', 'to', body) as BatchBuilder;
}

export function buildDocuments(plan: TablePlan, batch: NormalisedBatch, skip: Uint8Array): GoldDocument[] {
  return [...documentChunks(plan, batch, skip, Number.MAX_SAFE_INTEGER)].flat();
}

/**
 * The documents of the kept rows, `size` at a time. Writing each chunk before building the
 * next keeps few documents alive at once: they die young, which the garbage collector handles
 * far more cheaply than a whole batch promoted to the old generation.
 */
export function* documentChunks(plan: TablePlan, batch: NormalisedBatch, skip: Uint8Array, size: number): Generator<GoldDocument[]> {
  const rows = keptRows(batch.numRows, skip);
  const count = rows ? rows.length : batch.numRows;
  const kinds = plan.columns.map((_, c) => batch.columns[c]?.kind);
  const id = `${plan.dataset.name}|${kinds.join(',')}`;
  let build = builders.get(id);
  if (!build) {
    build = compileBuilder(plan, kinds as NormColumn['kind'][]);
    builders.set(id, build);
  }
  for (let from = 0; from < count; from += size) yield build(batch.columns, rows, from, Math.min(count, from + size));
}
