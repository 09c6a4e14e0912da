// Value helpers over deserialized BSON: deep copies (so the store never aliases what a
// command reads or returns), canonical keys (for _id lookup, unique indexes, distinct)
// and dotted-path access.
import { Binary, Decimal128, Long, ObjectId } from 'bson';
import type { Document } from 'bson';

export function isPlainObject(value: unknown): value is Document {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep copy for documents made of plain objects, arrays, Dates and BSON value classes.
 * BSON value classes other than Binary are immutable, so they are shared. Hand-written
 * because structuredClone/JSON lose BSON classes and are several times slower.
 */
export function cloneValue<T>(value: T): T {
  return cloneAny(value) as T;
}

function cloneAny(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneAny(value[i]);
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (isPlainObject(value)) {
    const out: Document = {};
    for (const key of Object.keys(value)) out[key] = cloneAny(value[key]);
    return out;
  }
  if (value instanceof Binary) return new Binary(Buffer.from(value.buffer), value.sub_type);
  return value;
}

/** True for the 64-bit integer and decimal types whose arithmetic/comparison mingo gets wrong. */
export function isWideNumeric(value: unknown): value is Long | Decimal128 {
  return value instanceof Long || value instanceof Decimal128 || typeof value === 'bigint';
}

/** Whether a value contains a Long/Decimal128 anywhere inside it. */
export function containsWideNumeric(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint';
  if (isWideNumeric(value)) return true;
  if (Array.isArray(value)) return value.some(containsWideNumeric);
  if (isPlainObject(value)) {
    for (const key of Object.keys(value)) if (containsWideNumeric(value[key])) return true;
  }
  return false;
}

function numberKey(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

/**
 * Canonical string for a value such that values MongoDB considers equal (1, 1.0, Long(1);
 * null and missing) get the same key. Used for _id lookup, unique indexes and distinct.
 */
export function keyOf(value: unknown): string {
  if (value === undefined || value === null) return 'z';
  switch (typeof value) {
    case 'number':
      return 'n' + numberKey(value);
    case 'string':
      return 's' + value;
    case 'boolean':
      return value ? 'b1' : 'b0';
    case 'bigint':
      return 'n' + value.toString();
    default:
      break;
  }
  if (value instanceof ObjectId) return 'o' + value.toHexString();
  if (value instanceof Date) return 't' + String(value.getTime());
  if (value instanceof Long) {
    const asNumber = value.toNumber();
    return 'n' + (Number.isSafeInteger(asNumber) ? numberKey(asNumber) : value.toString());
  }
  if (value instanceof Decimal128) {
    const asNumber = Number(value.toString());
    return 'n' + (Number.isFinite(asNumber) && String(asNumber) === value.toString() ? numberKey(asNumber) : value.toString());
  }
  if (Array.isArray(value)) return 'a' + JSON.stringify(value.map(keyOf));
  if (isPlainObject(value)) return 'x' + JSON.stringify(Object.keys(value).map((k) => [k, keyOf(value[k])]));
  if (value instanceof Binary) return 'B' + String(value.sub_type) + ':' + Buffer.from(value.buffer).toString('base64');
  if (value instanceof RegExp) return 'r' + String(value);
  const tagged = value as { _bsontype?: string; toString(): string };
  return 'v' + (tagged._bsontype ?? 'unknown') + ':' + JSON.stringify(tagged);
}

/**
 * Values at a dotted path, descending into arrays the way MongoDB does (`a.b` over
 * `a: [{b: 1}, {b: 2}]` yields 1 and 2). Missing paths yield nothing.
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collectPath(doc, path.split('.'), 0, out);
  return out;
}

function collectPath(current: unknown, parts: string[], index: number, out: unknown[]): void {
  if (index === parts.length) {
    if (current !== undefined) out.push(current);
    return;
  }
  const part = parts[index] as string;
  if (Array.isArray(current)) {
    if (/^\d+$/.test(part)) {
      collectPath(current[Number(part)], parts, index + 1, out);
      return;
    }
    for (const element of current) {
      if (isPlainObject(element)) collectPath(element[part], parts, index + 1, out);
    }
    return;
  }
  if (isPlainObject(current)) collectPath(current[part], parts, index + 1, out);
}

/** The single value at a dotted path without array fan-out (arrays are returned whole). */
export function valueAtPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (isPlainObject(current)) current = current[part];
    else if (Array.isArray(current) && /^\d+$/.test(part)) current = current[Number(part)];
    else return undefined;
  }
  return current;
}

/** Renders a value roughly the way mongod prints it in E11000 messages. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof Long) return value.toString();
  if (value instanceof Decimal128) return value.toString();
  if (Array.isArray(value)) return `[ ${value.map(formatValue).join(', ')} ]`;
  if (isPlainObject(value)) return formatDocument(value);
  return String(value);
}

export function formatDocument(doc: Document): string {
  const entries = Object.keys(doc).map((k) => `${k}: ${formatValue(doc[k])}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}
