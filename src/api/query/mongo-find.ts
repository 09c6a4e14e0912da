// Translates a validated ListQuery into MongoDB find options (pure). Only values produced by
// the parsers reach here: operators are chosen by this code, never by the client.
import type { ListQuery, ParsedFilter } from './parse-list-query.js';
import { keysetFilter } from './cursor.js';

export interface FindPlan {
  readonly filter: Record<string, unknown>;
  readonly sort: Record<string, 1 | -1>;
  readonly projection: Record<string, 0 | 1>;
  readonly skip: number;
  /** 0 = no limit (MongoDB convention). */
  readonly limit: number;
}

/** Resolved `lookup` filters: for each, the join-key values found in the other dataset. */
export type LookupResults = ReadonlyMap<ParsedFilter, readonly unknown[]>;

function filterClause(filter: ParsedFilter, lookups: LookupResults): Record<string, unknown> {
  switch (filter.kind) {
    case 'range':
      return { [filter.column]: { [filter.op === 'gte' ? '$gte' : '$lte']: filter.value } };
    case 'oneOf':
      return { [filter.column]: { $in: [...filter.values] } };
    case 'lookup':
      return { [filter.key]: { $in: [...(lookups.get(filter) ?? [])] } };
  }
}

/**
 * `extraFields` are fetched in addition to the requested ones (the sort fields, so the next
 * cursor can be built); the caller strips them before rendering.
 */
export function buildFindPlan(query: ListQuery, lookups: LookupResults, extraFields: readonly string[] = []): FindPlan {
  const clauses = query.filters.map((f) => filterClause(f, lookups));
  if (query.after) clauses.push(keysetFilter(query.sort, query.after));
  const filter = clauses.length === 0 ? {} : clauses.length === 1 ? clauses[0]! : { $and: clauses };
  const sort: Record<string, 1 | -1> = {};
  for (const s of query.sort) sort[s.field] = s.dir === 'asc' ? 1 : -1;
  const projection: Record<string, 0 | 1> = { _id: 0 };
  for (const f of [...query.fields, ...extraFields]) projection[f] = 1;
  return { filter, sort, projection, skip: query.offset, limit: query.limit ?? 0 };
}
