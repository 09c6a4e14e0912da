// Every endpoint's payload, over data published by the real publisher from the fixtures, equals
// an independent computation from the fixtures' expected rows.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogEndpoints, DATASETS, KPI_DOCUMENT } from '../../../src/catalog/gold-catalog.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp, loadExpectedTables } from './support/api-harness.js';
import { expectedKpis, expectedLists, expectRowsMatch, type Row } from './support/expected-endpoints.js';

describe.each(['pandas', 'spark'] as const)('endpoints over the %s fixtures', (layout) => {
  let t: TestDb;
  let app: ReturnType<typeof buildApp>;
  const tables = loadExpectedTables();
  const lists = expectedLists(tables);

  beforeAll(async () => {
    t = await connectTestDb(`api_endpoints_${layout}`);
    await publishFixtures(t.db, { layout });
    app = buildApp(t.db);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('serve /kpis equal to the KPIs computed from the fact and score rows', async () => {
    const res = await request(app).get(KPI_DOCUMENT.endpoint).expect(200);
    const { meta, ...kpis } = res.body as Row & { meta: Row };
    expectRowsMatch([kpis], [expectedKpis(tables)], '/kpis');
    expect(Object.keys(kpis).sort()).toEqual(KPI_DOCUMENT.fields.map((f) => f.name).sort());
    expect(meta).toMatchObject({ version: expect.any(String), published_at: expect.any(String) });
  });

  it.each(Object.keys(lists))('serve %s with the default order and limit, every catalog column and no _id', async (path) => {
    const res = await request(app).get(path).expect(200);
    const body = res.body as { data: Row[]; meta: Row };
    const dataset = DATASETS.find((d) => d.endpoint?.path === path)!;
    // The distribution's min/max may be stored rounded like its label's edges (3 decimals).
    expectRowsMatch(body.data, lists[path]!, path, path === '/distribution' ? { min: 0.0005 + 1e-9, max: 0.0005 + 1e-9 } : {});
    for (const row of body.data) expect(Object.keys(row)).toEqual(dataset.columns.map((c) => c.name));
    expect(body.meta).toMatchObject({ count: body.data.length, version: expect.any(String), published_at: expect.any(String) });
    expect(typeof body.meta.query_ms).toBe('number');
    expect(typeof body.meta.total_ms).toBe('number');
  });

  it('label /distribution buckets with their rounded edges in numeric order', async () => {
    const res = await request(app).get('/distribution').expect(200);
    const rows = (res.body as { data: Row[] }).data;
    expect(rows.map((r) => r.bucket_index)).toEqual([...Array(12).keys()]);
    for (const r of rows) {
      const [lo, hi] = (r.bucket as string).replace(/[(\]\s]/g, '').split(',').map(Number);
      expect(Math.abs(lo! - (r.min as number))).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(hi! - (r.max as number))).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
  });

  it('cover every data endpoint of the catalog', () => {
    expect(['/health', KPI_DOCUMENT.endpoint, ...Object.keys(lists)].sort()).toEqual(catalogEndpoints().sort());
  });
});
