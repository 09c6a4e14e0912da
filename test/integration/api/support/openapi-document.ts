// openapi.yaml as the contract test reads it: `$ref`s followed by JSON pointer, ajv checks of a
// real response (status documented, body against its media type's schema, headers: the
// required ones present, the ones that matter documented, every value valid), and the values a
// parameter's schema allows.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { expect } from 'vitest';
import { loadOpenApi } from '../../../../src/api/routes/docs-routes.js';

export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: unknown;
}
export interface Parameter {
  name: string;
  in: string;
  schema: Schema;
  example?: unknown;
  style?: string;
  explode?: boolean;
}
interface Header {
  required?: boolean;
  schema: Schema;
}
interface ResponseObject {
  headers?: Record<string, unknown>;
  content?: Record<string, unknown>;
}
type Operation = { tags?: string[]; parameters?: unknown[]; responses: Record<string, unknown> };

// OPENAPI_FILE: check the test against another copy (e.g. a deliberately broken one).
export const doc = loadOpenApi(process.env.OPENAPI_FILE || undefined) as { openapi: string; paths: Record<string, { get: Operation }> };

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
// The whole document is registered once so that `#/components/...` references resolve.
ajv.addSchema(doc, 'openapi');

const escape = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~');

/** JSON pointer to a part of the GET operation of `path`, e.g. op('/kpis', 'responses', '200'). */
export const op = (path: string, ...parts: string[]) => ['', 'paths', path, 'get', ...parts].map(escape).join('/');

const at = (pointer: string): unknown =>
  pointer.split('/').slice(1).reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[unescape(key)], doc);

/** The node at `pointer` with its `$ref`s followed, and the pointer it was found at. */
export function resolve<T>(pointer: string): { node: T; pointer: string } {
  let node = at(pointer) as { $ref?: unknown } | undefined;
  while (typeof node?.$ref === 'string') {
    pointer = node.$ref.slice(1);
    node = at(pointer) as { $ref?: unknown } | undefined;
  }
  return { node: node as T, pointer };
}

/** null when `value` is valid against the schema at `pointer`, else ajv's errors. */
export function schemaErrors(pointer: string, value: unknown): string | null {
  const validate = ajv.getSchema(`openapi#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate(value) ? null : ajv.errorsText(validate.errors);
}

/** The GET parameters of `path`, resolved, with their pointers. */
export function parametersOf(path: string): Array<{ node: Parameter; pointer: string }> {
  const list = (at(op(path, 'parameters')) as unknown[] | undefined) ?? [];
  return list.map((_, i) => resolve<Parameter>(op(path, 'parameters', String(i))));
}

/** A list endpoint's row schemas: the full row, and the row of `fields=` (both in data.items.anyOf). */
export function rowSchemas(path: string) {
  const list = resolve<Schema>(op(path, 'responses', '200', 'content', 'application/json', 'schema'));
  const items = `${list.pointer}/properties/data/items`;
  return { row: resolve<Schema>(`${items}/anyOf/0`), selection: resolve<Schema>(`${items}/anyOf/1`) };
}

/** Headers a response must document whenever the server sends them. */
const TRACKED_HEADERS = ['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'etag', 'cache-control', 'x-data-version', 'x-cache', 'vary', 'content-disposition'];

/**
 * Checks `res` (a response of a GET of `path`) against the contract: its status is documented
 * (or, with `responsePointer`, that response is used: unknown paths have none of their own), its
 * body matches the schema of its media type, and its headers match the documented ones.
 */
export function expectContract(res: Response, path: string, label: string, responsePointer?: string): void {
  const what = `${label} → ${res.status}`;
  const pointer = responsePointer ?? op(path, 'responses', String(res.status));
  expect(at(pointer), `${what}: status documented`).toBeDefined();
  const { node: response, pointer: base } = resolve<ResponseObject>(pointer);

  if (res.status === 304) {
    expect(res.text ?? '', `${what}: no body`).toBe('');
    expect(response.content, `${what}: no content documented`).toBeUndefined();
  } else {
    const media = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
    expect(response.content ?? {}, `${what}: documents ${media}`).toHaveProperty([media]);
    const body = media === 'application/json' ? res.body : res.text;
    expect(schemaErrors(`${base}/content/${escape(media)}/schema`, body), `${what}: body`).toBeNull();
  }

  const documented = new Map(Object.keys(response.headers ?? {}).map((name) => [name.toLowerCase(), name]));
  for (const name of TRACKED_HEADERS) {
    if (res.headers[name] !== undefined) expect([...documented.keys()], `${what}: sends ${name}`).toContain(name);
  }
  for (const [lower, name] of documented) {
    const header = resolve<Header>(`${base}/headers/${escape(name)}`);
    const value = res.headers[lower] as string | undefined;
    if (value === undefined) {
      expect(header.node.required ?? false, `${what}: required header ${name} missing`).toBe(false);
      continue;
    }
    const numeric = header.node.schema.type === 'integer' || header.node.schema.type === 'number';
    const typed = numeric && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    expect(schemaErrors(`${header.pointer}/schema`, typed), `${what}: header ${name}: ${value}`).toBeNull();
  }
}

/** Checks that every row of a list body holds every column (no `fields=`): the full-row schema. */
export function expectFullRows(path: string, body: { data: unknown[] }, label: string): void {
  const { row } = rowSchemas(path);
  for (const r of body.data) expect(schemaErrors(row.pointer, r), `${label}: full row`).toBeNull();
}

/** A query value as the schema sees it (comma lists of `style: form, explode: false` are arrays). */
export function asSchemaValue(p: Parameter, value: string): unknown {
  if (p.schema.type === 'array') return value.split(',');
  if (p.schema.type === 'integer' || p.schema.type === 'number') return Number(value);
  return value;
}

/**
 * Values the schema of `p` allows: a numeric parameter's bounds and default, each enum value,
 * a list of every allowed item, the example. Empty when only a live value will do (`after`).
 */
export function allowedValues(p: Parameter): string[] {
  const s = p.schema;
  const values: unknown[] = [];
  if (s.type === 'integer' || s.type === 'number') values.push(s.minimum, s.maximum, s.default);
  if (s.enum) values.push(...s.enum);
  if (s.items?.enum) values.push(s.items.enum[0], s.items.enum.join(','));
  values.push(p.example ?? s.example);
  return [...new Set(values.filter((v) => v !== undefined).map(String))];
}

/** Values just outside a numeric parameter's bounds. */
export function outOfRangeValues(p: Parameter): string[] {
  const { type, minimum, maximum } = p.schema;
  if (type !== 'integer' && type !== 'number') return [];
  const step = type === 'integer' ? 1 : 0.5;
  return [minimum, maximum].flatMap((bound, i) => (bound === undefined ? [] : [String(i === 0 ? bound - step : bound + step)]));
}
