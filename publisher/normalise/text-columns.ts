// Normalisation of the text-stored catalog types — string, day ('YYYY-MM-DD'), month ('YYYY-MM')
// — from whatever the reader gave: strings, dictionary-coded strings (CodedTexts), or instants
// (a DATE/TIMESTAMP column holding days or months, as Spark writes `jour`).
import type { ColumnSpec } from '../../src/catalog/gold-catalog.js';
import { CodedTexts } from '../parquet/coded-texts.js';
import type { ViolationLog } from '../validate/violations.js';
import { DAY_MS, isoDay, isProblem, toDay, toMonth, toText, type Problem } from './values.js';

export type TextType = Extract<ColumnSpec['type'], 'string' | 'day' | 'month'>;

/** A text column: plain, or coded (row i is dict[codes[i]]; null entries are nulls). */
export type TextColumn =
  | { readonly kind: 'text'; readonly values: (string | null)[] }
  | { readonly kind: 'coded'; readonly codes: Int32Array; readonly dict: readonly (string | null)[] };

const converterOf = (type: TextType): ((v: unknown) => string | null | Problem) => (type === 'string' ? toText : type === 'day' ? toDay : toMonth);

/** Plain string cells; bad cells are reported and become null. */
export function normaliseTexts(type: TextType, values: ArrayLike<unknown> | undefined, n: number, name: string, log: ViolationLog): TextColumn {
  const out = new Array<string | null>(n).fill(null);
  if (!values) return { kind: 'text', values: out };
  const convert = converterOf(type);
  const plain = type === 'string';
  // Sorted facts repeat the same day/month string: reuse the last validated one.
  let lastIn: unknown = undefined;
  let lastOut: string | null = null;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string' && (plain || v === lastIn)) {
      out[i] = plain ? v : lastOut;
      continue;
    }
    if (typeof v === 'number' && v !== v) continue; // NaN = null in the fast reader's arrays
    const r = convert(v);
    if (isProblem(r)) log.add(i, name, r.problem, v);
    else {
      out[i] = r;
      lastIn = v;
      lastOut = r;
    }
  }
  return { kind: 'text', values: out };
}

/**
 * Coded cells: each dictionary entry is converted once; the rows holding a bad entry are
 * reported (and read as null). The codes are shared with the reader's batch, never written.
 */
export function normaliseCoded(type: TextType, values: CodedTexts, name: string, log: ViolationLog): TextColumn {
  const convert = converterOf(type);
  const dict = new Array<string | null>(values.dict.length);
  let problems: (Problem | undefined)[] | null = null;
  values.dict.forEach((v, e) => {
    const r = v === null ? null : convert(v);
    if (isProblem(r)) {
      (problems ??= [])[e] = r;
      dict[e] = null;
    } else dict[e] = r;
  });
  if (problems) {
    const bad: (Problem | undefined)[] = problems;
    const { codes } = values;
    for (let i = 0; i < codes.length; i++) {
      const p = bad[codes[i] as number];
      if (p) log.add(i, name, p.problem, values.dict[codes[i] as number]);
    }
  }
  return { kind: 'coded', codes: values.codes, dict };
}

/** The rows of a text column as a plain array (a copy when coded). */
export function textValues(column: TextColumn): (string | null)[] {
  return column.kind === 'text' ? column.values : new CodedTexts(column.codes, column.dict).toArray();
}

/** Some row of a coded column reads null. */
export function codedHasNull(column: Extract<TextColumn, { kind: 'coded' }>): boolean {
  const nulls = column.dict.map((v) => v === null);
  if (!nulls.includes(true)) return false;
  const { codes } = column;
  for (let i = 0; i < codes.length; i++) if (nulls[codes[i] as number]) return true;
  return false;
}

/**
 * Fills the null slots of `out` with the 'YYYY-MM-DD' (length 10) or 'YYYY-MM' (7) of each
 * instant (NaN stays null). Sorted facts repeat days: the last formatted string is reused.
 */
export function calendarTexts(ms: Float64Array, n: number, length: number, out: (string | null)[]): void {
  let lastDay = Number.NaN;
  let lastText = '';
  for (let i = 0; i < n; i++) {
    const x = ms[i] as number;
    if (out[i] !== null || x !== x) continue;
    const day = Math.floor(x / DAY_MS);
    if (day !== lastDay) {
      lastDay = day;
      lastText = isoDay(day * DAY_MS).slice(0, length);
    }
    out[i] = lastText;
  }
}
