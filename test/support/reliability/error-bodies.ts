// What an error response may and may not contain: JSON `{ error, code, details? }`, no stack
// frames, no file paths, no driver or internal collection names, no connection strings.
import { SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';

const LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  ['stack frame', /\bat [^\s]+ \(?[^\s]*:\d+:\d+\)?/],
  ['file path', /\/work\/|node_modules|\.ts:\d+|\.js:\d+|file:\/\//],
  ['connection string', /mongodb(\+srv)?:\/\//],
  ['driver error name', /Mongo[A-Z][A-Za-z]*Error|MongoServerSelection|ECONNREFUSED|ETIMEDOUT/],
  ['JS error name', /\b(TypeError|ReferenceError|SyntaxError|RangeError)\b/],
  ['internal collection', new RegExp(`${SYSTEM_COLLECTIONS.meta}|${SYSTEM_COLLECTIONS.lock}|${SYSTEM_COLLECTIONS.stagingPrefix}`)],
];

/** undefined when the body leaks nothing (any status). */
export function leakProblem(body: string): string | undefined {
  const hit = LEAKS.find(([, re]) => re.test(body));
  return hit ? `leaks a ${hit[0]}: ${body.slice(0, 200)}` : undefined;
}

/** undefined when a 4xx/5xx body is well-formed JSON with `error` and `code` and leaks nothing. */
export function errorBodyProblem(contentType: string | null, body: string): string | undefined {
  if (!contentType?.includes('application/json')) return `content-type ${contentType} is not JSON: ${body.slice(0, 120)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `body is not JSON: ${body.slice(0, 120)}`;
  }
  const record = parsed as { error?: unknown; code?: unknown };
  if (typeof record.code !== 'string' || record.code === '') return `no code: ${body.slice(0, 200)}`;
  if (typeof record.error !== 'string' || record.error === '') return `no error message: ${body.slice(0, 200)}`;
  return leakProblem(body);
}
