// openapi.yaml is the contract: its paths are exactly the catalog's endpoints (plus the
// operational ones the app declares), and every endpoint's real responses validate against it.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONAL_PATHS } from '../../../src/app.js';
import { catalogEndpoints, DATASETS, dataEndpoints } from '../../../src/catalog/gold-catalog.js';
import { allowedParameters, CACHE_BUSTER } from '../../../src/api/query/parse-list-query.js';
import { listRouteSpecs } from '../../../src/api/routes/list-routes.js';
import { loadOpenApi } from '../../../src/api/routes/docs-routes.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp } from './support/api-harness.js';

type Parameter = { name?: string; $ref?: string };
type Operation = { tags?: string[]; parameters?: Parameter[]; responses: Record<string, unknown> };
const doc = loadOpenApi() as { openapi: string; paths: Record<string, { get: Operation }> };

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
// The whole document is registered once so that `#/components/...` references resolve.
ajv.addSchema(doc, 'openapi');
/** Names of the parameters of a path's GET, `$ref`s (to #/components/parameters) resolved. */
function documentedParameters(path: string): string[] {
  const components = (doc as unknown as { components: { parameters?: Record<string, Parameter> } }).components.parameters ?? {};
  return (doc.paths[path]?.get.parameters ?? []).map((p) => (p.$ref ? components[p.$ref.replace('#/components/parameters/', '')]?.name : p.name) ?? '?').sort();
}
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function validate(path: string, status: number, contentType: string, body: unknown): void {
  const responses = doc.paths[path]?.get.responses ?? {};
  expect(responses, `${path} documents status ${status}`).toHaveProperty(String(status));
  let response = responses[String(status)] as { $ref?: string; content?: Record<string, unknown> };
  let base = pointer('paths', path, 'get', 'responses', String(status));
  if (response.$ref) {
    base = response.$ref.slice(2);
    response = base.split('/').reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, doc as unknown as Record<string, unknown>) as typeof response;
  }
  const media = contentType.split(';')[0]!.trim();
  expect(response.content, `${path} ${status} documents ${media}`).toHaveProperty([media]);
  const check = ajv.getSchema(`openapi#/${base}/${pointer('content', media, 'schema')}`)!;
  expect(check(body), `${path} ${status}: ${ajv.errorsText(check.errors)}`).toBe(true);
}

let t: TestDb;
let app: ReturnType<typeof buildApp>;
beforeAll(async () => {
  t = await connectTestDb('api_openapi');
  await publishFixtures(t.db);
  app = buildApp(t.db);
});
afterAll(async () => {
  await t?.cleanup();
});

describe('openapi.yaml', () => {
  it('is OpenAPI 3.1 whose data paths are exactly the catalog endpoints', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const documented = Object.keys(doc.paths);
    expect(documented.filter((p) => !(OPERATIONAL_PATHS as readonly string[]).includes(p)).sort()).toEqual(catalogEndpoints().sort());
    expect(documented.filter((p) => (OPERATIONAL_PATHS as readonly string[]).includes(p)).sort()).toEqual([...OPERATIONAL_PATHS].sort());
  });

  it('documents exactly the query parameters each list endpoint accepts', () => {
    for (const spec of listRouteSpecs()) {
      expect(documentedParameters(spec.endpoint.path), spec.endpoint.path).toEqual(allowedParameters(spec).sort());
    }
  });

  it('documents the ignored `_` cache-buster as the only parameter of /kpis', () => {
    expect(documentedParameters('/kpis')).toEqual([CACHE_BUSTER]);
  });

  it('fails a body that breaks the contract, so the checks below can fail', () => {
    expect(() => validate('/monthly', 200, 'application/json', { data: [{ _id: 'x', mois: '2025-01', ca: 1 }], meta: {} })).toThrow();
    expect(() => validate('/kpis', 200, 'application/json', { total_ca: '12' })).toThrow();
  });

  it('validates the real 200 responses of every endpoint', async () => {
    for (const path of Object.keys(doc.paths)) {
      if (path === '/docs' || path === '/metrics') continue;
      const res = await request(app).get(path).expect(200);
      validate(path, 200, res.headers['content-type'] as string, res.body);
    }
    for (const d of DATASETS) {
      if (!d.endpoint) continue;
      const res = await request(app).get(`${d.endpoint.path}?limit=2&fields=${d.uniqueKey.join(',')}`).expect(200);
      validate(d.endpoint.path, 200, res.headers['content-type'] as string, res.body);
    }
  });

  it('validates the error responses: 400, 401 and 503', async () => {
    for (const path of dataEndpoints()) {
      const bad = await request(app).get(`${path}?limit[$gt]=1`).expect(400);
      validate(path, 400, bad.headers['content-type'] as string, bad.body);
    }
    const keyed = buildApp(t.db, { API_KEYS: 'secret' });
    const denied = await request(keyed).get('/scores').expect(401);
    validate('/scores', 401, denied.headers['content-type'] as string, denied.body);

    const empty = await connectTestDb('api_openapi_empty');
    try {
      const emptyApp = buildApp(empty.db);
      for (const path of dataEndpoints()) {
        const res = await request(emptyApp).get(path).expect(503);
        validate(path, 503, res.headers['content-type'] as string, res.body);
      }
      const ready = await request(emptyApp).get('/readyz').expect(503);
      validate('/readyz', 503, ready.headers['content-type'] as string, ready.body);
    } finally {
      await empty.cleanup();
    }
  });
});
