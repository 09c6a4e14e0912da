// GOLD_SPEC §2 value rules over normalised columns, plus "not null" for non-nullable columns
// the file carries, plus the unique key. Violations go to the ViolationLog (which marks rows).
import { MONTANT_MAX, SEGMENT_LABELS, VALUE_RULES, type ValueRule } from '../../src/catalog/gold-catalog.js';
import { rowValues, type NormalisedBatch, type TablePlan } from '../normalise/normalise-batch.js';
import { checkCalendar } from './calendar-consistency.js';
import { KeySet } from './key-set.js';
import type { ViolationLog } from './violations.js';

/** Rule names that are not value rules of the catalog. */
export const STRUCTURAL_RULES = Object.freeze({
  null: 'null', // a non-nullable column holds null
  unique: 'unique', // a repeated unique-key value (the first occurrence is kept)
} as const);

const SEGMENTS: ReadonlySet<string> = new Set(SEGMENT_LABELS);

/** Does `x` satisfy the numeric rule? */
export function numberSatisfies(rule: ValueRule, x: number): boolean {
  switch (rule) {
    case VALUE_RULES.montant:
      return x > 0 && x <= MONTANT_MAX;
    case VALUE_RULES.nonNegative:
      return x >= 0;
    case VALUE_RULES.probability:
      return x >= 0 && x <= 1;
    case VALUE_RULES.segment:
      return false;
  }
}

export function textSatisfies(rule: ValueRule, s: string): boolean {
  return rule === VALUE_RULES.segment ? SEGMENTS.has(s) : true;
}

/** Tracks unique-key values across the batches of one table. */
export class KeyTracker {
  private readonly numbers: KeySet;
  private readonly texts = new Set<string>();

  /** `expected`: the number of keys to come, when known (sizes a hash set if one is needed). */
  constructor(expected = 4096) {
    this.numbers = new KeySet(expected);
  }

  /** false when the key was seen before. */
  add(key: number | string): boolean {
    if (typeof key === 'number') return this.numbers.add(key);
    if (this.texts.has(key)) return false;
    this.texts.add(key);
    return true;
  }
}

/**
 * Checks one normalised batch. A non-nullable column is checked for null only when the file
 * carries it and it is not derivable (see below): an optional column the file lacks is
 * legitimately all null. A cell whose value could not be converted is reported once, under its
 * conversion rule, not again as null.
 */
export function validateBatch(plan: TablePlan, batch: NormalisedBatch, keys: KeyTracker | null, log: ViolationLog): void {
  const n = batch.numRows;
  plan.columns.forEach((col, c) => {
    const column = batch.columns[c];
    if (!column) return;
    const name = col.spec.name;
    // A derivable column (jour, annee) is null only where its source (date_achat, required) is
    // null or unreadable, which that column's own check reports: checking it too counted the
    // same bad cell two or three times.
    const checkNull = !col.spec.nullable && col.present && col.spec.derivable !== true;
    const rule = col.spec.rule;
    if (column.kind === 'coded') {
      // Checked once per dictionary entry; rows are visited only when some entry fails.
      const failing = column.dict.map((s) => (s === null ? (checkNull ? STRUCTURAL_RULES.null : null) : rule && !textSatisfies(rule, s) ? rule : null));
      if (failing.some((r) => r !== null)) {
        const { codes, dict } = column;
        for (let i = 0; i < n; i++) {
          const r = failing[codes[i] as number];
          if (r && !(r === STRUCTURAL_RULES.null && log.flagged(i, name))) log.add(i, name, r, dict[codes[i] as number] ?? null);
        }
      }
    } else if (column.kind === 'text') {
      const v = column.values;
      for (let i = 0; i < n; i++) {
        const s = v[i] ?? null;
        if (s === null) {
          if (checkNull && !log.flagged(i, name)) log.add(i, name, STRUCTURAL_RULES.null, null);
        } else if (rule && !textSatisfies(rule, s)) log.add(i, name, rule, s);
      }
    } else {
      const v = column.values;
      const numericRule = column.kind === 'number' ? rule : undefined;
      for (let i = 0; i < n; i++) {
        const x = v[i] as number;
        if (x !== x) {
          if (checkNull && !log.flagged(i, name)) log.add(i, name, STRUCTURAL_RULES.null, null);
        } else if (numericRule && !numberSatisfies(numericRule, x)) log.add(i, name, numericRule, x);
      }
    }
  });
  checkCalendar(plan, batch, log);
  // Without a tracker the caller checks keys itself (parallel loading does it in file order).
  if (keys) checkUnique(plan, batch, keys, log);
}

/** Registers the keys of rows that are otherwise valid, so a dropped row never shadows a good one. */
function checkUnique(plan: TablePlan, batch: NormalisedBatch, keys: KeyTracker, log: ViolationLog): void {
  const keyName = plan.dataset.uniqueKey[0];
  const c = plan.columns.findIndex((col) => col.spec.name === keyName);
  const column = batch.columns[c];
  if (!keyName || !column) return;
  checkKeys(keyName, rowValues(column), batch.numRows, log.mask, keys, log);
}

/** Registers `values[0…n)` in order, skipping rows marked in `mask`; repeats are violations. */
export function checkKeys(keyName: string, values: ArrayLike<unknown>, n: number, mask: Uint8Array, keys: KeyTracker, log: ViolationLog): void {
  for (let i = 0; i < n; i++) {
    if (mask[i] === 1) continue;
    const key = values[i];
    if (key === null || key === undefined || (typeof key === 'number' && key !== key)) continue; // reported as null
    if (!keys.add(key as number | string)) log.add(i, keyName, STRUCTURAL_RULES.unique, key);
  }
}
