// MongoDB's BSON comparison order and `sort` semantics, used instead of mingo's comparator
// (which does not follow the cross-type order and compares Long/Decimal128 wrongly).
import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import type { Document } from 'bson';
import { MongoCommandError } from '../errors.js';
import { isPlainObject, valuesAtPath } from '../bson-values.js';

/** Marks an empty array in a sort key: MongoDB sorts it before null and missing. */
const EMPTY_ARRAY = Symbol('emptyArray');

/** BSON type rank in comparison order (MinKey < null < numbers < strings < ... < MaxKey). */
export function typeRank(value: unknown): number {
  if (value === EMPTY_ARRAY) return 1.5;
  if (value === undefined || value === null) return 2;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
    case 'symbol':
      return 4;
    case 'boolean':
      return 9;
    default:
      break;
  }
  if (value instanceof MinKey) return 1;
  if (value instanceof MaxKey) return 13;
  if (value instanceof Long || value instanceof Decimal128) return 3;
  if (Array.isArray(value)) return 6;
  if (value instanceof Binary) return 7;
  if (value instanceof ObjectId) return 8;
  if (value instanceof Date) return 10;
  if (value instanceof Timestamp) return 11;
  if (value instanceof RegExp) return 12;
  const tag = (value as { _bsontype?: string })._bsontype;
  if (tag === 'Int32' || tag === 'Double') return 3;
  return 5;
}

type Numeric = number | bigint;

function toNumeric(value: unknown): Numeric {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (value instanceof Long) {
    const n = value.toNumber();
    return Number.isSafeInteger(n) ? n : BigInt(value.toString());
  }
  if (value instanceof Decimal128) return Number(value.toString());
  const boxed = value as { valueOf(): unknown };
  return Number(boxed.valueOf());
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

export function compareNumbers(left: unknown, right: unknown): number {
  const a = toNumeric(left);
  const b = toNumeric(right);
  if (typeof a === 'number' && typeof b === 'number') {
    // MongoDB orders NaN below every other number.
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return sign(a - b);
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -compareBigToNumber(b as bigint, a);
  return compareBigToNumber(a, b as number);
}

function compareBigToNumber(big: bigint, n: number): number {
  if (Number.isNaN(n)) return 1;
  if (n === Infinity) return -1;
  if (n === -Infinity) return 1;
  const floor = BigInt(Math.floor(n));
  if (big < floor) return -1;
  if (big > floor) return 1;
  return Number.isInteger(n) ? 0 : -1;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order over BSON values following MongoDB's comparison/sort order. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  switch (rankA) {
    case 3:
      return compareNumbers(a, b);
    case 4:
      return compareStrings(String(a), String(b));
    case 5:
      return compareDocuments(a as Document, b as Document);
    case 6:
      return compareArrays(a as unknown[], b as unknown[]);
    case 7:
      return compareBinary(a as Binary, b as Binary);
    case 8:
      return compareStrings((a as ObjectId).toHexString(), (b as ObjectId).toHexString());
    case 9:
      return a === b ? 0 : a ? 1 : -1;
    case 10:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case 11:
      return compareNumbers(BigInt((a as Timestamp).toString()), BigInt((b as Timestamp).toString()));
    case 12:
      return compareStrings(String(a), String(b));
    default:
      return 0;
  }
}

function compareDocuments(a: Document, b: Document): number {
  const keysA = isPlainObject(a) ? Object.keys(a) : [];
  const keysB = isPlainObject(b) ? Object.keys(b) : [];
  const n = Math.min(keysA.length, keysB.length);
  for (let i = 0; i < n; i++) {
    const ka = keysA[i] as string;
    const kb = keysB[i] as string;
    const byType = typeRank(a[ka]) - typeRank(b[kb]);
    if (byType !== 0) return byType < 0 ? -1 : 1;
    const byName = compareStrings(ka, kb);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[ka], b[kb]);
    if (byValue !== 0) return byValue;
  }
  return sign(keysA.length - keysB.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return sign(a.length - b.length);
}

function compareBinary(a: Binary, b: Binary): number {
  if (a.length() !== b.length()) return sign(a.length() - b.length());
  if (a.sub_type !== b.sub_type) return sign(a.sub_type - b.sub_type);
  return Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer));
}

export type SortSpec = ReadonlyArray<readonly [path: string, direction: 1 | -1]>;

/** Validates a `sort` document ({ field: 1 | -1, ... }) into an ordered list. */
export function parseSortSpec(spec: unknown, where: string): SortSpec {
  if (!isPlainObject(spec)) {
    throw new MongoCommandError('TypeMismatch', `${where}: sort must be a document, got ${typeof spec}`);
  }
  const out: Array<[string, 1 | -1]> = [];
  for (const [path, raw] of Object.entries(spec)) {
    const direction = typeof raw === 'number' ? raw : raw instanceof Long ? raw.toNumber() : NaN;
    if (direction !== 1 && direction !== -1) {
      throw new MongoCommandError('Location15975', `${where}: $sort key ordering must be 1 (for ascending) or -1 (for descending); got ${path}: ${String(raw)}`);
    }
    out.push([path, direction]);
  }
  if (out.length === 0) throw new MongoCommandError('Location15975', `${where}: $sort stage must have at least one sort key`);
  return out;
}

/**
 * Sort key of one document for one path: arrays contribute their smallest element when
 * ascending and their largest when descending; an empty array sorts before null.
 */
export function sortKey(doc: unknown, path: string, direction: 1 | -1): unknown {
  const values = valuesAtPath(doc, path);
  if (values.length === 0) return null;
  if (values.length === 1 && !Array.isArray(values[0])) return values[0];
  const flat: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v)) flat.push(...v);
    else flat.push(v);
  }
  if (flat.length === 0) return EMPTY_ARRAY;
  let best = flat[0];
  for (let i = 1; i < flat.length; i++) {
    const c = compareValues(flat[i], best);
    if ((direction === 1 && c < 0) || (direction === -1 && c > 0)) best = flat[i];
  }
  return best;
}

/** Stable sort of documents (a new array) by a parsed sort spec. */
export function sortDocuments<T>(docs: readonly T[], spec: SortSpec): T[] {
  const keyed = docs.map((doc, index) => ({ doc, index, keys: spec.map(([p, d]) => sortKey(doc, p, d)) }));
  keyed.sort((x, y) => {
    for (let i = 0; i < spec.length; i++) {
      const c = compareValues(x.keys[i], y.keys[i]);
      if (c !== 0) return c * (spec[i] as readonly [string, 1 | -1])[1];
    }
    return x.index - y.index;
  });
  return keyed.map((k) => k.doc);
}
