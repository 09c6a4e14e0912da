// Keyset pagination cursor: the sort values of the last row of a page, plus the sort they
// belong to, as base64url JSON. Values are revived with the catalog column types, so a
// tampered cursor is a 400 rather than a query with the wrong BSON type.
import type { ColumnSpec, SortSpec } from '../../catalog/gold-catalog.js';
import { badParameter } from '../api-errors.js';

const PARAM = 'after';
const MAX_CURSOR_LENGTH = 2048;

export function sortSignature(sort: readonly SortSpec[]): string {
  return sort.map((s) => `${s.field}:${s.dir}`).join(',');
}

export function encodeCursor(sort: readonly SortSpec[], row: Readonly<Record<string, unknown>>): string {
  const values = sort.map((s) => {
    const v = row[s.field];
    return v instanceof Date ? v.toISOString() : v;
  });
  return Buffer.from(JSON.stringify({ s: sortSignature(sort), v: values }), 'utf8').toString('base64url');
}

function reviveValue(column: ColumnSpec, value: unknown): unknown {
  switch (column.type) {
    case 'int':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'date': {
      if (typeof value !== 'string') return undefined;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? undefined : date;
    }
    default:
      return typeof value === 'string' ? value : undefined;
  }
}

/** The typed sort values of a cursor made for exactly `sort`. */
export function decodeCursor(text: string, sort: readonly SortSpec[], columns: ReadonlyMap<string, ColumnSpec>): unknown[] {
  const invalid = (why: string) => badParameter(PARAM, text, `a cursor from meta.next_after of a previous page (${why})`);
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid('not base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a cursor');
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid('not a cursor');
  const { s, v } = parsed as { s?: unknown; v?: unknown };
  if (s !== sortSignature(sort)) throw invalid(`made for sort "${String(s)}", not "${sortSignature(sort)}"`);
  if (!Array.isArray(v) || v.length !== sort.length) throw invalid('wrong number of values');
  return sort.map((spec, i) => {
    const column = columns.get(spec.field);
    const value = column ? reviveValue(column, v[i]) : undefined;
    if (value === undefined) throw invalid(`bad value for ${spec.field}`);
    return value;
  });
}

/**
 * MongoDB filter selecting rows strictly after `values` in `sort` order:
 * (f1 > v1) or (f1 = v1 and f2 > v2) or … ($lt for descending fields). Only used on
 * non-nullable sort fields, where BSON comparison order equals the sort order.
 */
export function keysetFilter(sort: readonly SortSpec[], values: readonly unknown[]): Record<string, unknown> {
  const branches = sort.map((spec, i) => {
    const clause: Record<string, unknown> = {};
    for (let j = 0; j < i; j++) clause[sort[j]!.field] = values[j];
    clause[spec.field] = { [spec.dir === 'asc' ? '$gt' : '$lt']: values[i] };
    return clause;
  });
  return branches.length === 1 ? branches[0]! : { $or: branches };
}
