// Paging (offset and keyset) stitches to the full ordered set and ends with a null cursor;
// cursors of another sort are refused; meta echoes the effective limit and sort; filters equal
// an independent selection over the fixture rows; CSV/NDJSON exports equal the JSON, every
// column, and honour limit.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetByName } from '../../../src/catalog/gold-catalog.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp, loadExpectedTables } from './support/api-harness.js';
import { expectedLists, expectRowsMatch, type Row } from './support/expected-endpoints.js';
import { asText, csvRows, ndjsonRows } from './support/export-bodies.js';

let t: TestDb;
let app: ReturnType<typeof buildApp>;
const tables = loadExpectedTables();
const lists = expectedLists(tables);

beforeAll(async () => {
  t = await connectTestDb('api_paging');
  await publishFixtures(t.db);
  app = buildApp(t.db);
});
afterAll(async () => {
  await t?.cleanup();
});

interface Meta {
  count: number;
  limit: number | null;
  offset: number;
  sort: string;
  next_after?: string | null;
}
type Page = { data: Row[]; meta: Meta };

async function keysetPages(path: string, query: string, pageSize: number): Promise<{ rows: Row[]; pages: number; metas: Meta[] }> {
  const rows: Row[] = [];
  const metas: Meta[] = [];
  let after: string | null = null;
  do {
    const url: string = `${path}?limit=${pageSize}${query}${after ? `&after=${after}` : ''}`;
    const body = (await request(app).get(url).expect(200)).body as Page;
    rows.push(...body.data);
    metas.push(body.meta);
    after = body.meta.next_after ?? null;
  } while (after && metas.length < 1000);
  return { rows, pages: metas.length, metas };
}

const page = async (url: string): Promise<Page> => (await request(app).get(url).expect(200)).body as Page;

describe('pagination', () => {
  it.each([
    ['/scores', 'id_client'],
    ['/daily', 'jour'],
  ])('%s keyset pages stitch to the full ordered set with no duplicate', async (path, key) => {
    const full = lists[path]!;
    const { rows, pages } = await keysetPages(path, '', 7);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(rows.map((r) => r[key])).size).toBe(rows.length);
    expectRowsMatch(rows, full, `${path} stitched`);
  });

  it('keyset pages follow a custom sort, mixed directions included', async () => {
    const { rows } = await keysetPages('/scores', '&sort=segment_label:asc,recency_days:desc&fields=id_client,segment_label,recency_days', 9);
    const expected = [...(tables.client_scores ?? [])]
      .sort((a, b) => (a.segment_label as string).localeCompare(b.segment_label as string, 'en', { sensitivity: 'variant' }) || (b.recency_days as number) - (a.recency_days as number) || (a.id_client as number) - (b.id_client as number))
      .map((r) => ({ id_client: r.id_client, segment_label: r.segment_label, recency_days: r.recency_days }));
    // BSON string order is byte order; the labels are ASCII, so plain comparison agrees.
    const byteOrder = [...expected].sort((a, b) => (a.segment_label! < b.segment_label! ? -1 : a.segment_label! > b.segment_label! ? 1 : 0) || (b.recency_days as number) - (a.recency_days as number) || (a.id_client as number) - (b.id_client as number));
    expect(rows).toEqual(byteOrder);
  });

  it.each([
    ['/scores', 7],
    ['/daily', 50],
  ])('%s gives a next_after on every page but the last, and null on the last', async (path, pageSize) => {
    const total = lists[path]!.length;
    expect(total % pageSize, 'the last page must be a partial one').not.toBe(0);
    const { rows, metas } = await keysetPages(path, '', pageSize);
    expect(rows).toHaveLength(total);
    expect(metas).toHaveLength(Math.ceil(total / pageSize));
    for (const meta of metas.slice(0, -1)) expect(meta.next_after).toEqual(expect.any(String));
    expect(metas.at(-1)).toMatchObject({ count: total % pageSize, next_after: null });
  });

  it.each([
    ['/scores', 'sort=recency_days:desc', ''],
    ['/scores', 'sort=expected_value_12m:asc', ''],
    ['/scores', 'sort=prob_reachat_12m:desc', 'sort=value_at_risk_12m:desc'],
    ['/daily', 'sort=ca:desc', 'sort=achats:desc'],
    ['/daily', '', 'sort=jour:desc'],
  ])('%s refuses a cursor made for another sort with as many values (%s, used with "%s")', async (path, madeFor, usedWith) => {
    const cursor = (await page(`${path}?limit=3&${madeFor}`)).meta.next_after;
    expect(cursor).toEqual(expect.any(String));
    const res = await request(app).get(`${path}?limit=3&${usedWith}&after=${cursor}`).expect(400);
    expect(res.body).toMatchObject({ code: 'BAD_PARAMETER', details: { parameter: 'after' } });
    expect(res.body.error).toContain('after');
  });

  it('offset pages stitch to the full set too', async () => {
    const full = lists['/weekly']!;
    const rows: Row[] = [];
    for (let offset = 0; offset < full.length; offset += 4) {
      const res = await request(app).get(`/weekly?limit=4&offset=${offset}`).expect(200);
      rows.push(...(res.body as { data: Row[] }).data);
    }
    expectRowsMatch(rows, full, '/weekly offset-stitched');
  });
});

describe('/scores filters', () => {
  const scores = lists['/scores']!;
  const paysOf = new Map((tables.dim_clients ?? []).map((c) => [c.id_client, c.pays]));

  it.each([
    ['segment=VIP,Dormants', (r: Row) => r.segment_label === 'VIP' || r.segment_label === 'Dormants'],
    ['min_prob=0.4&max_prob=0.7', (r: Row) => (r.prob_reachat_12m as number) >= 0.4 && (r.prob_reachat_12m as number) <= 0.7],
    ['min_expected=1000', (r: Row) => (r.expected_value_12m as number) >= 1000],
    ['pays=France', (r: Row) => paysOf.get(r.id_client) === 'France'],
    ['pays=France&segment=A potentiel', (r: Row) => paysOf.get(r.id_client) === 'France' && r.segment_label === 'A potentiel'],
  ])('%s selects exactly the matching fixture rows', async (query, keep) => {
    const res = await request(app).get(`/scores?${query.replace(/ /g, '%20')}`).expect(200);
    const expected = scores.filter(keep);
    expect(expected.length).toBeGreaterThan(0);
    expectRowsMatch((res.body as { data: Row[] }).data, expected, query);
  });
});


describe('meta', () => {
  it.each([
    ['/scores', 5000, 'expected_value_12m:desc,id_client:asc'],
    ['/daily', 10000, 'jour:asc'],
    ['/by_country', 1000, 'ca:desc,pays:asc'],
    ['/distribution', 100, 'bucket_index:asc'],
  ])('%s without parameters reports the default limit, offset 0 and the effective sort', async (path, limit, sort) => {
    const { meta, data } = await page(path);
    expect(meta).toMatchObject({ limit, offset: 0, sort, count: data.length });
  });

  it('reports the requested limit, offset and sort, with the tie-breaker appended', async () => {
    const { meta, data } = await page('/scores?limit=7&offset=2&sort=recency_days:desc,segment_label:asc');
    expect(meta).toMatchObject({ limit: 7, offset: 2, sort: 'recency_days:desc,segment_label:asc,id_client:asc', count: 7 });
    expect(data).toHaveLength(7);
  });

  it.each([
    ['/scores', 'recency_days', 'recency_days:asc,id_client:asc'],
    ['/scores', 'segment_label,recency_days:desc', 'segment_label:asc,recency_days:desc,id_client:asc'],
    ['/daily', 'ca', 'ca:asc,jour:asc'],
  ])('%s?sort=%s sorts ascending when no direction is given', async (path, sort, effective) => {
    const bare = await page(`${path}?sort=${sort}`);
    expect(bare.meta.sort).toBe(effective);
    expect(bare.data).toEqual((await page(`${path}?sort=${effective}`)).data);
    const [field] = sort.split(',');
    const values = bare.data.map((r) => r[field!] as number | string);
    expect(values).toEqual([...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(values).size).toBeGreaterThan(1);
  });
});

describe('exports', () => {
  const scoreColumns = datasetByName('client_scores').columns;
  const queries = [
    '',
    'segment=A%20potentiel,Actifs&sort=prob_reachat_12m:desc&fields=id_client,segment_label,prob_reachat_12m,last_purchase',
    'sort=last_purchase:asc,segment_label:desc&min_prob=0.2',
  ];
  const jsonOf = async (query: string) => (await page(`/scores?${query}`)).data;

  it.each(queries)('CSV (by format= or Accept) holds exactly the JSON rows of "%s", every column', async (query) => {
    const json = await jsonOf(query);
    expect(json.length).toBeGreaterThan(0);
    for (const csv of [
      await request(app).get(`/scores?${query}&format=csv`).expect(200),
      await request(app).get(`/scores?${query}`).set('Accept', 'text/csv').expect(200),
    ]) {
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/attachment; filename="scores.csv"/);
      const { header, rows } = csvRows(csv.text, scoreColumns);
      // Columns come in catalog order, like the JSON rows' keys.
      expect(header).toEqual(Object.keys(json[0]!));
      expect(rows).toEqual(json);
    }
  });

  it('CSV and JSON hold every fixture column with exact values, nulls and ISO dates included', async () => {
    const json = await jsonOf('');
    expect(Object.keys(json[0]!)).toEqual(scoreColumns.map((c) => c.name));
    expect(json.some((r) => r.last_purchase === null)).toBe(true);
    expectRowsMatch(json, lists['/scores']!, '/scores JSON');
    const { rows } = csvRows((await request(app).get('/scores?format=csv').expect(200)).text, scoreColumns);
    expectRowsMatch(rows, lists['/scores']!, '/scores CSV');
  });

  it.each(queries)('NDJSON holds exactly the JSON rows of "%s", every column, all of them without a limit', async (query) => {
    const json = await jsonOf(query);
    const nd = await asText(request(app).get(`/scores?${query}&format=ndjson`));
    expect(nd.status).toBe(200);
    expect(nd.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const rows = ndjsonRows(nd.body as string);
    expect(rows).toEqual(json);
    expect(rows.map((r) => Object.keys(r))).toEqual(json.map((r) => Object.keys(r)));
  });

  it.each([
    ['limit=3', 3],
    ['limit=3&sort=recency_days:desc&offset=4', 3],
    ['limit=5&segment=Actifs&fields=id_client,segment_label', 5],
  ])('CSV and NDJSON honour %s: exactly the JSON page, in its order', async (query, n) => {
    const json = await jsonOf(query);
    expect(json).toHaveLength(n);
    const csv = await request(app).get(`/scores?${query}&format=csv`).expect(200);
    expect(csvRows(csv.text, scoreColumns).rows).toEqual(json);
    const nd = await asText(request(app).get(`/scores?${query}&format=ndjson`).expect(200));
    expect(ndjsonRows(nd.body as string)).toEqual(json);
  });
});
