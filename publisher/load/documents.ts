// Documents from a normalised batch: `_id` = the dataset's (single-column) unique key, so two
// publishes of the same input give identical collections, then every catalog column in
// catalog order (null when unknown), with dates as BSON Dates.
//
// Built column by column: every document of a batch goes through the same property sequence,
// so at each column's store site all documents share one hidden class (a monomorphic store),
// several times faster than a per-row loop over dynamic keys.
import type { NormalisedBatch, TablePlan } from '../normalise/normalise-batch.js';

export type GoldDocument = Record<string, unknown>;

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

export function buildDocuments(plan: TablePlan, batch: NormalisedBatch, skip: Uint8Array): GoldDocument[] {
  const rows = keptRows(batch.numRows, skip);
  const count = rows ? rows.length : batch.numRows;
  const row = (k: number): number => (rows ? (rows[k] as number) : k);
  const keyColumn = batch.columns[keyColumnIndex(plan)];
  const docs = new Array<GoldDocument>(count);
  for (let k = 0; k < count; k++) {
    const i = row(k);
    let id: unknown = null;
    if (keyColumn?.kind === 'text') id = keyColumn.values[i] ?? null;
    else if (keyColumn) {
      const x = keyColumn.values[i] as number;
      id = x === x ? x : null;
    }
    docs[k] = { _id: id };
  }
  plan.columns.forEach((col, c) => {
    const name = col.spec.name;
    const column = batch.columns[c];
    if (!column) {
      for (let k = 0; k < count; k++) (docs[k] as GoldDocument)[name] = null;
    } else if (column.kind === 'text') {
      const v = column.values;
      for (let k = 0; k < count; k++) (docs[k] as GoldDocument)[name] = v[row(k)] ?? null;
    } else if (column.kind === 'number') {
      const v = column.values;
      for (let k = 0; k < count; k++) {
        const x = v[row(k)] as number;
        (docs[k] as GoldDocument)[name] = x === x ? x : null;
      }
    } else {
      const v = column.values;
      for (let k = 0; k < count; k++) {
        const x = v[row(k)] as number;
        (docs[k] as GoldDocument)[name] = x === x ? new Date(x) : null;
      }
    }
  });
  return docs;
}
