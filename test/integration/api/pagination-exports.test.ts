// Paging (offset and keyset) stitches to the full ordered set; filters equal an independent
// selection over the fixture rows; CSV/NDJSON exports equal the JSON.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { buildApp, loadExpectedTables } from './support/api-harness.js';
import { expectedLists, expectRowsMatch, type Row } from './support/expected-endpoints.js';

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

async function keysetPages(path: string, query: string, pageSize: number): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const url: string = `${path}?limit=${pageSize}${query}${after ? `&after=${after}` : ''}`;
    const res = await request(app).get(url).expect(200);
    const body = res.body as { data: Row[]; meta: { next_after: string | null } };
    rows.push(...body.data);
    after = body.meta.next_after;
    pages++;
  } while (after && pages < 1000);
  return { rows, pages };
}

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

describe('exports', () => {
  const query = 'segment=A%20potentiel,Actifs&sort=prob_reachat_12m:desc&fields=id_client,segment_label,prob_reachat_12m,last_purchase';

  it('CSV (by format= or Accept) holds exactly the JSON rows', async () => {
    const json = (await request(app).get(`/scores?${query}`).expect(200)).body as { data: Row[] };
    for (const csv of [
      await request(app).get(`/scores?${query}&format=csv`).expect(200),
      await request(app).get(`/scores?${query}`).set('Accept', 'text/csv').expect(200),
    ]) {
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/attachment; filename="scores.csv"/);
      const [header, ...lines] = csv.text.trimEnd().split('\r\n');
      // Columns come in catalog order, like the JSON rows' keys.
      expect(header).toBe('id_client,last_purchase,prob_reachat_12m,segment_label');
      const parsed = lines.map((l) => {
        const [id, last, prob, seg] = l.split(',');
        return { id_client: Number(id), last_purchase: last === '' ? null : last, prob_reachat_12m: Number(prob), segment_label: seg };
      });
      expect(parsed).toEqual(json.data);
    }
  });

  it('NDJSON holds exactly the JSON rows, all of them without a limit', async () => {
    const json = (await request(app).get(`/scores?${query}`).expect(200)).body as { data: Row[] };
    const nd = await request(app).get(`/scores?${query}&format=ndjson`).buffer(true).parse((res, cb) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => cb(null, text));
    });
    expect(nd.status).toBe(200);
    expect(nd.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const rows = (nd.body as string).trimEnd().split('\n').map((l) => JSON.parse(l) as Row);
    expect(rows).toEqual(json.data);
  });
});
