// openapi.yaml is the contract: its paths are exactly the catalog's endpoints (plus the
// operational ones the app declares), its rows and parameters are the catalog's and the
// parsers', and the real responses of every endpoint — default and other queries, every cache
// lane's 304s, exports and errors — validate against it, headers included (ajv).
import { MongoClient, type Db } from 'mongodb';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONAL_PATHS, requestListenerOf } from '../../../src/app.js';
import { catalogEndpoints, DATASETS, dataEndpoints, KPI_DOCUMENT, neverNull, SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { allowedParameters, CACHE_BUSTER, EXPORT_FORMATS, MAX_OFFSET } from '../../../src/api/query/parse-list-query.js';
import { listRouteSpecs } from '../../../src/api/routes/list-routes.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp, loopbackServers } from './support/api-harness.js';
import {
  allowedValues,
  asSchemaValue,
  doc,
  expectContract,
  expectFullRows,
  outOfRangeValues,
  parametersOf,
  rowSchemas,
  schemaErrors,
  type Parameter,
  type Schema,
} from './support/openapi-document.js';

const LISTS = listRouteSpecs();
const isOperational = (p: string) => (OPERATIONAL_PATHS as readonly string[]).includes(p);
const parameter = (path: string, name: string) => parametersOf(path).find((p) => p.node.name === name);
const types = (s: Schema) => (Array.isArray(s.type) ? s.type : [s.type]);
const get = (app: Parameters<typeof request>[0], url: string) => request(app).get(url);

/** The collection the API reads for `collection` in the current publish (its served copy). */
async function servedCollection(db: Db, collection: string): Promise<string> {
  const meta = await db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
  return ((meta?.served ?? {}) as Record<string, string>)[collection] ?? collection;
}

let t: TestDb;
let app: ReturnType<typeof buildApp>;
beforeAll(async () => {
  t = await connectTestDb('api_openapi');
  await publishFixtures(t.db);
  // The fixtures hold every column: unset each column that may be null in one served document
  // per dataset, as the publisher stores a column the file lacks, so real rows carry nulls.
  for (const d of DATASETS) {
    const nullable = d.columns.filter((c) => !neverNull(d, c)).map((c) => c.name);
    if (!d.endpoint || nullable.length === 0) continue;
    const unset = Object.fromEntries(nullable.map((n) => [n, '']));
    await t.db.collection(await servedCollection(t.db, d.collection)).updateOne({}, { $unset: unset });
  }
  app = buildApp(t.db);
});
afterAll(async () => {
  await t?.cleanup();
});

describe('openapi.yaml', () => {
  it('is OpenAPI 3.1 whose paths are exactly the catalog endpoints and the operational ones', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const documented = Object.keys(doc.paths);
    expect(documented.filter((p) => !isOperational(p)).sort()).toEqual(catalogEndpoints().sort());
    expect(documented.filter(isOperational).sort()).toEqual([...OPERATIONAL_PATHS].sort());
  });

  it('documents exactly the query parameters each endpoint accepts', () => {
    const names = (path: string) => parametersOf(path).map((p) => p.node.name).sort();
    for (const spec of LISTS) expect(names(spec.endpoint.path), spec.endpoint.path).toEqual(allowedParameters(spec).sort());
    expect(names('/kpis')).toEqual([CACHE_BUSTER]);
  });

  it('documents every status the app can answer on each path, a JSON 404 included', () => {
    for (const path of Object.keys(doc.paths)) {
      const statuses = Object.keys(doc.paths[path]!.get.responses).sort();
      const expected = dataEndpoints().includes(path)
        ? ['200', '304', '400', '401', '404', '429', '503', '504']
        : ['/health', '/readyz'].includes(path) ? ['200', '404', '503'] : ['200', '404'];
      expect(statuses, path).toEqual(expected);
    }
  });

  it('describes each row as the catalog columns, nullable exactly where a served document may lack a value', () => {
    for (const spec of LISTS) {
      const { dataset, endpoint } = spec;
      const { row, selection } = rowSchemas(endpoint.path);
      const columns = dataset.columns.map((c) => c.name);
      expect(Object.keys(row.node.properties ?? {}), endpoint.path).toEqual(columns);
      expect(row.node.required, `${endpoint.path}: the API returns every column`).toEqual(columns);
      expect(row.node.additionalProperties, endpoint.path).toBe(false);
      for (const c of dataset.columns) {
        expect(types(row.node.properties![c.name]!).includes('null'), `${endpoint.path} ${c.name} allows null`).toBe(!neverNull(dataset, c));
      }
      // `fields=`: any non-empty subset of the same columns.
      expect(selection.node.properties).toEqual(row.node.properties);
      expect(selection.node.required ?? []).toEqual([]);
      expect(selection.node.additionalProperties).toBe(false);
    }
  });

  it('gives each list parameter the bounds and values of its parser', () => {
    for (const { endpoint, dataset, features } of LISTS) {
      const schema = (name: string) => parameter(endpoint.path, name)!.node.schema;
      const columns = dataset.columns.map((c) => c.name);
      expect(schema('limit'), endpoint.path).toMatchObject({ type: 'integer', minimum: 1, maximum: endpoint.maxLimit, default: endpoint.defaultLimit });
      expect(schema('offset')).toMatchObject({ type: 'integer', minimum: 0, maximum: MAX_OFFSET });
      expect(schema('fields').items?.enum).toEqual(columns);
      if (features.exports) expect(schema('format').enum).toEqual([...EXPORT_FORMATS]);
      for (const f of features.filters) {
        const s = schema(f.param);
        if (f.kind === 'range') expect(s, f.param).toMatchObject({ type: 'number', minimum: f.min, maximum: f.max });
        if (f.kind === 'oneOf') expect(s.items?.enum, f.param).toEqual([...f.values]);
        if (f.kind === 'lookup') expect(s, f.param).toMatchObject({ type: 'string', minLength: 1, maxLength: 100 });
      }
      const sort = parameter(endpoint.path, 'sort')!.pointer + '/schema';
      for (const c of columns) for (const v of [c, `${c}:asc`, `${c}:desc`]) expect(schemaErrors(sort, v), `${endpoint.path} sort=${v}`).toBeNull();
      const four = columns.slice(0, 4).map((c) => `${c}:desc`).join(',');
      expect(schemaErrors(sort, four)).toBeNull();
      const rejected = ['nope:asc', `${columns[0]}:up`, `${columns[0]},${columns[0]}:desc`, `${four},${columns[4] ?? 'x'}`];
      for (const v of rejected) expect(schemaErrors(sort, v), `${endpoint.path} sort=${v} is not documented`).not.toBeNull();
    }
  });

  it('fails a body or headers that break the contract, so the checks below can fail', () => {
    const fake = (status: number, body: unknown, headers: Record<string, string>) =>
      ({ status, body, text: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } }) as unknown as request.Response;
    expect(() => expectContract(fake(200, { data: [{ _id: 'x', mois: '2025-01', ca: 1 }], meta: {} }, { 'x-request-id': 'a' }), '/monthly', 'row')).toThrow();
    expect(() => expectContract(fake(200, { total_ca: '12' }, { 'x-request-id': 'a' }), '/kpis', 'kpis')).toThrow();
    const error = { error: 'x', code: 'DATA_EMPTY', details: null };
    expect(() => expectContract(fake(503, error, { 'x-request-id': 'a', 'cache-control': 'no-store' }), '/kpis', 'no Retry-After')).toThrow();
    expect(() => expectContract(fake(503, error, { 'x-request-id': 'a', 'cache-control': 'no-store', 'retry-after': '5', etag: '"a"' }), '/kpis', 'etag')).toThrow();
  });

  it('accepts every documented parameter with the values its schema allows, and rejects values out of its bounds', async () => {
    for (const { endpoint, dataset } of LISTS) {
      for (const { node: p, pointer } of parametersOf(endpoint.path)) {
        const values = allowedValues(p);
        if (p.name === 'sort') values.push(...dataset.columns.map((c) => `${c.name}:desc`));
        if (p.name === 'after') {
          const first = await get(app, `${endpoint.path}?limit=1`).expect(200);
          values.push(first.body.meta.next_after as string);
        }
        expect(values.length, `${endpoint.path} ${p.name}: some value to try`).toBeGreaterThan(0);
        for (const value of values) {
          expect(schemaErrors(`${pointer}/schema`, asSchemaValue(p, value)), `${p.name}=${value} is documented`).toBeNull();
          const url = `${endpoint.path}?${p.name}=${encodeURIComponent(value)}`;
          const res = await get(app, url);
          expect(res.status, `${url}: ${res.text.slice(0, 200)}`).toBe(200);
          expectContract(res, endpoint.path, url);
        }
        for (const value of outOfRangeValues(p as Parameter)) {
          const url = `${endpoint.path}?${p.name}=${encodeURIComponent(value)}`;
          const res = await get(app, url).expect(400);
          expect(res.body.code, url).toBe('BAD_PARAMETER');
          expectContract(res, endpoint.path, url);
        }
      }
    }
  });

  it('validates the real 200 responses of every endpoint, with default and other queries', async () => {
    for (const path of Object.keys(doc.paths)) {
      const res = await get(app, path).expect(200);
      expectContract(res, path, path);
      if (LISTS.some((s) => s.endpoint.path === path)) expectFullRows(path, res.body, path);
    }
    for (const { endpoint, dataset } of LISTS) {
      const [first] = endpoint.defaultSort;
      const nullable = dataset.columns.find((c) => !neverNull(dataset, c))?.name;
      const queries = [
        `sort=${first!.field}:${first!.dir === 'asc' ? 'desc' : 'asc'}&offset=1&limit=3`,
        `fields=${[...dataset.uniqueKey, nullable ?? dataset.columns.at(-1)!.name].join(',')}&limit=2`,
      ];
      for (const q of queries) expectContract(await get(app, `${endpoint.path}?${q}`).expect(200), endpoint.path, q);
      if (!endpoint.keyset) continue;
      const page = await get(app, `${endpoint.path}?limit=3`).expect(200);
      const next = await get(app, `${endpoint.path}?limit=3&after=${page.body.meta.next_after as string}`).expect(200);
      expectContract(next, endpoint.path, `${endpoint.path} after`);
      expectFullRows(endpoint.path, next.body, `${endpoint.path} after`);
    }
    const filters = ['segment=VIP,Actifs&min_prob=0.1&max_prob=0.9', 'min_expected=10.5&pays=France&sort=monetary_12m:asc,id_client:desc', 'pays=Nowhere'];
    for (const q of filters) expectContract(await get(app, `/scores?${q}`).expect(200), '/scores', q);
  });

  it('validates the exports: CSV and NDJSON, asked for by format= or by Accept', async () => {
    const columns = DATASETS.find((d) => d.endpoint?.path === '/scores')!.columns.map((c) => c.name);
    const asText = (req: request.Test) => req.buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => done(null, text));
    });
    for (const [query, accept, type] of [['format=csv', '*/*', 'text/csv'], ['', 'text/csv', 'text/csv'], ['format=ndjson', '*/*', 'application/x-ndjson'], ['limit=5', 'application/x-ndjson', 'application/x-ndjson']]) {
      const res = await asText(get(app, `/scores?${query}`).set('Accept', accept!)).expect(200);
      res.text = res.body as string;
      expect(res.headers['content-type'], query).toMatch(new RegExp(`^${type}`));
      expect(res.headers['content-disposition'], query).toMatch(/^attachment; filename="scores\./);
      expectContract(res, '/scores', `${query} Accept: ${accept}`);
      const lines = res.text.split(/\r?\n/).filter(Boolean);
      if (type === 'text/csv') expect(lines[0]).toBe(columns.join(','));
      else for (const line of lines) expect(schemaErrors(rowSchemas('/scores').row.pointer, JSON.parse(line)), line).toBeNull();
    }
  });

  it('validates the 304s of every cache lane (route, in-Express hot lane, front lane)', async () => {
    const hot = buildApp(t.db, { CACHE_VERSION_CHECK_MS: '60000', RATE_LIMIT_PER_MINUTE: '1000' });
    // Without gzip: the hot lanes serve a large body's compressed copy only once it is made.
    const plain = (target: Parameters<typeof request>[0], url: string) => request(target).get(url).set('Accept-Encoding', 'identity');
    const servers = loopbackServers();
    try {
      const front = `http://127.0.0.1:${await servers.listen(requestListenerOf(hot))}`;
      for (const path of dataEndpoints()) {
        const url = path === '/kpis' ? path : `${path}?limit=5`;
        const first = await plain(hot, url).expect(200);
        expectContract(first, path, `${url} (miss)`);
        // `app` checks the version on every request, so its hot lanes never answer: the route does.
        const lanes: Array<[string, Parameters<typeof request>[0]]> = [['route', app], ['hot', hot], ['front', front]];
        for (const [lane, target] of lanes) {
          const res = await plain(target, url).set('If-None-Match', first.headers.etag as string).expect(304);
          expectContract(res, path, `${url} If-None-Match (${lane} lane)`);
          // The route's 304 says nothing of the cache; the hot lanes' are hits.
          expect(res.headers['x-cache'], `${url} ${lane} lane`).toBe(lane === 'route' ? undefined : 'HIT');
        }
        expectContract(await plain(front, url).expect(200), path, `${url} (front lane hit)`);
      }
    } finally {
      await servers.closeAll();
    }
  });

  it('validates the 400s, 401s, 404s and 429s', async () => {
    const bad = [
      '/monthly?limit[$gt]=1', '/monthly?limit=0', '/monthly?limit=1&limit=2', '/monthly?nope=1', '/monthly?sort=nope:asc',
      '/monthly?fields=', '/daily?after=!!', '/daily?after=abc&offset=1', '/scores?segment=Gold', '/scores?min_prob=0.9&max_prob=0.1',
      '/scores?pays=', '/scores?format=xml', '/kpis?limit=1',
    ];
    for (const url of bad) expectContract(await get(app, url).expect(400), url.split('?')[0]!, url);

    const keyed = buildApp(t.db, { API_KEYS: 'secret' });
    for (const path of dataEndpoints()) {
      expectContract(await get(keyed, path).expect(401), path, `${path} without key`);
      expectContract(await get(keyed, path).set('X-API-Key', 'wrong').expect(401), path, `${path} wrong key`);
    }
    expectContract(await get(keyed, '/kpis').set('X-API-Key', 'secret').expect(200), '/kpis', 'with key');

    const unknown = ['/nope', '/kpis/', '/KPIS', '/scores/1', '/docs/nope.css'];
    for (const url of unknown) {
      const res = await get(app, url).expect(404);
      expect(res.body.code, url).toBe('NOT_FOUND');
      expectContract(res, url, url, '/components/responses/NotFound');
    }
    const post = await request(app).post('/kpis').expect(404);
    expectContract(post, '/kpis', 'POST /kpis');

    const limited = buildApp(t.db, { RATE_LIMIT_PER_MINUTE: '1' });
    expectContract(await get(limited, '/kpis').expect(200), '/kpis', '/kpis (limited, first)');
    for (const path of dataEndpoints()) expectContract(await get(limited, path).expect(429), path, `${path} over the limit`);
    expectContract(await get(limited, '/health').expect(200), '/health', '/health is exempt');
  });

  it('validates the 503s of an empty database, of an empty collection and of an unreachable MongoDB', async () => {
    const empty = await connectTestDb('api_openapi_empty');
    const dead = new MongoClient('mongodb://127.0.0.1:1', { serverSelectionTimeoutMS: 200 });
    try {
      const emptyApp = buildApp(empty.db, { RATE_LIMIT_PER_MINUTE: '1000' });
      for (const url of [...dataEndpoints(), '/scores?format=csv', '/readyz']) {
        const res = await get(emptyApp, url).expect(503);
        if (url !== '/readyz') expect(res.body.code, url).toBe('DATA_EMPTY');
        expectContract(res, url.split('?')[0]!, `${url} (empty database)`);
      }
      // A complete publish whose collections were emptied behind its back: 503s with a version.
      await publishFixtures(empty.db);
      const collectionOf = (path: string) => DATASETS.find((d) => d.endpoint?.path === path)!.collection;
      for (const collection of [KPI_DOCUMENT.collection, collectionOf('/by_country'), collectionOf('/scores')]) {
        await empty.db.collection(await servedCollection(empty.db, collection)).deleteMany({});
      }
      for (const url of ['/kpis', '/by_country', '/scores?format=ndjson']) {
        const res = await get(emptyApp, url).expect(503);
        expect(res.body.code, url).toBe('DATA_EMPTY');
        expectContract(res, url.split('?')[0]!, `${url} (empty collection)`);
      }
      const deadApp = buildApp(dead.db('api_openapi_dead'));
      for (const path of ['/health', '/readyz', '/kpis', '/monthly']) expectContract(await get(deadApp, path).expect(503), path, `${path} (MongoDB unreachable)`);
    } finally {
      await dead.close();
      await empty.cleanup();
    }
  });
});
