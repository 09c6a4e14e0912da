// Selecting documents of a collection by filter, with an _id fast path and the
// Long/Decimal128 guards applied first.
import type { Document } from 'bson';
import { isPlainObject } from '../bson-values.js';
import type { CollectionData } from '../store/collection-data.js';
import { assertNoWideLiterals, assertNotTouchingWide, filterRoots } from './guards.js';
import { compileFilter } from './engine.js';

/** `{ _id: <scalar> }` (or `{ _id: { $eq: <scalar> } }`) with nothing else → the id value. */
function idEquality(filter: Document): { id: unknown } | undefined {
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  let value: unknown = filter._id;
  if (isPlainObject(value)) {
    const inner = Object.keys(value);
    if (inner.length !== 1 || inner[0] !== '$eq') return undefined;
    value = value.$eq;
  }
  if (value === null || value === undefined || Array.isArray(value) || isPlainObject(value) || value instanceof RegExp) return undefined;
  return { id: value };
}

/** Documents matching `filter`, in natural order, stopping after `max` when given. */
export function selectDocuments(collection: CollectionData | undefined, filter: unknown, ns: string, where: string, max = Infinity): Document[] {
  if (!collection) {
    compileFilter(filter, where); // still validate the filter, as mongod does
    return [];
  }
  assertNoWideLiterals(filter, `${where} filter`);
  assertNotTouchingWide(filterRoots(filter), collection.wideFields, ns, `${where} filter`);
  if (isPlainObject(filter)) {
    const byId = idEquality(filter);
    if (byId) {
      const doc = collection.getById(byId.id);
      return doc ? [doc] : [];
    }
  }
  const predicate = compileFilter(filter, where);
  const out: Document[] = [];
  for (const doc of collection.docs.values()) {
    if (predicate(doc)) {
      out.push(doc);
      if (out.length >= max) break;
    }
  }
  return out;
}
