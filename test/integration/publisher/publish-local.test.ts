// The publisher end to end against the MongoDB test server (or a real MongoDB): both fixture
// layouts from local folders, exact collection contents, derived views and KPIs recomputed
// here independently from the expected fact rows, the meta document, idempotency and --force,
// missing tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, KPI_DOCUMENT, SYSTEM_COLLECTIONS, TABLES, datasetByName } from '../../../src/catalog/gold-catalog.js';
import { isAppError } from '../../../src/errors/app-error.js';
import { connectTestDb, type TestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { copyFixtures, expectedRows, publishFrom, snapshot, tempDir, writeWithDuckDb } from './gold-inputs.js';

let t: TestDb;
beforeAll(async () => {
  t = await connectTestDb('publisher-local');
});
afterAll(async () => {
  await t?.cleanup();
});

const meta = () => t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });

async function expectTablesMatchFixtures(): Promise<void> {
  for (const table of TABLES) {
    const expected = await expectedRows(table.name);
    const key = table.uniqueKey[0] as string;
    const sorted = [...expected].sort((a, b) => ((a[key] as number | string) < (b[key] as number | string) ? -1 : 1));
    const docs = await snapshot(t.db, table.collection, true);
    expect(docs.map((d) => d._id), `${table.collection} _id = ${key}`).toEqual(sorted.map((r) => r[key]));
    // Every catalog column in every document, with the fixture's values.
    expect(docs.map(({ _id, ...rest }) => rest), table.collection).toEqual(
      sorted.map((r) => Object.fromEntries(table.columns.map((c) => [c.name, r[c.name] ?? null]))),
    );
  }
}

describe.each(['pandas', 'spark'] as const)('publishing the %s fixtures', (layout) => {
  it('loads every table exactly, with _id = the unique key', async () => {
    const summary = await publishFixtures(t.db, { layout });
    expect(summary.status).toBe('published');
    expect(summary.missing).toEqual([]);
    expect(summary.tables.fact_achats?.layout).toBe(layout === 'pandas' ? 'file' : 'folder');
    await expectTablesMatchFixtures();
  });

  it('derives daily, weekly, distribution, monthly growth and KPIs that agree with the fact rows', async () => {
    const facts = await expectedRows('fact_achats');
    const byDay = new Map<string, { ca: number; achats: number }>();
    for (const f of facts) {
      const day = (f.date_achat as string).slice(0, 10);
      const e = byDay.get(day) ?? { ca: 0, achats: 0 };
      e.ca += f.montant as number;
      e.achats += 1;
      byDay.set(day, e);
    }
    const daily = await snapshot(t.db, datasetByName('daily').collection);
    expect(daily.map((d) => d.jour)).toEqual([...byDay.keys()].sort());
    for (const d of daily) {
      const e = byDay.get(d.jour as string);
      expect(d.achats).toBe(e?.achats);
      expect(d.ca as number).toBeCloseTo(e?.ca ?? Number.NaN, 6);
    }
    const weekly = await snapshot(t.db, datasetByName('weekly').collection);
    for (const w of weekly) expect(new Date(`${w.semaine as string}T00:00:00Z`).getUTCDay(), 'weeks start on Monday').toBe(1);
    expect(weekly.reduce((n, w) => n + (w.achats as number), 0)).toBe(facts.length);

    const distribution = await snapshot(t.db, datasetByName('distribution').collection);
    expect(distribution.map((d) => d.bucket_index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(distribution.reduce((n, d) => n + (d.count as number), 0)).toBe(facts.length);
    const montants = facts.map((f) => f.montant as number);
    expect(distribution[11]?.max).toBeCloseTo(Math.max(...montants), 2);

    const monthly = await expectedRows('ca_monthly');
    const growth = await snapshot(t.db, datasetByName('monthly_growth').collection);
    expect(growth.map((g) => g.mois)).toEqual(monthly.map((m) => m.mois).sort());
    expect(growth[0]).toMatchObject({ prev_ca: null, growth_abs: null, growth_pct: null });
    expect(growth[1]?.prev_ca).toBe(growth[0]?.ca);

    const kpis = await t.db.collection(KPI_DOCUMENT.collection).find({}).toArray();
    const totalCa = montants.reduce((a, b) => a + b, 0);
    const scores = await expectedRows('client_scores');
    expect(kpis).toHaveLength(1);
    expect(kpis[0]).toMatchObject({ _id: 'kpis', total_achats: facts.length, dataset_size: facts.length, total_clients: new Set(facts.map((f) => f.id_client)).size });
    expect(kpis[0]?.total_ca).toBeCloseTo(totalCa, 6);
    expect(kpis[0]?.panier_moyen).toBeCloseTo(totalCa / facts.length, 6);
    expect(kpis[0]?.expected_total).toBeCloseTo(scores.reduce((a, s) => a + (s.expected_value_12m as number), 0), 6);
  });

  it('writes the meta document last with the version, sources and counts', async () => {
    const m = await meta();
    expect(m).toMatchObject({ _id: 'current', missing: [], publisher_version: expect.any(String) });
    expect(m?.published_at).toBeInstanceOf(Date);
    expect(m?.version).toMatch(/^\d{4}-\d\d-\d\dT.*Z-[0-9a-f]{8}$/);
    expect(m?.tables.fact_achats).toMatchObject({ origin: 'local', layout: layout === 'pandas' ? 'file' : 'folder', rows: 400, rejected: 0 });
    expect(m?.tables.fact_achats.files[0]).toEqual({ uri: expect.any(String), size: expect.any(Number), version: expect.any(String) });
    for (const d of DATASETS) expect(m?.collections[d.collection], d.collection).toBeGreaterThan(0);
    const names = (await t.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith(SYSTEM_COLLECTIONS.stagingPrefix))).toEqual([]);
    expect(await t.db.collection(SYSTEM_COLLECTIONS.lock).countDocuments()).toBe(0);
  });
});

describe('re-running', () => {
  it('does nothing when the inputs are unchanged, and republishes identical collections with --force', async () => {
    const { dir, remove } = await tempDir('rerun');
    try {
      await copyFixtures(dir);
      const first = await publishFrom(t.db, [dir], { force: true });
      const before = await Promise.all(DATASETS.map((d) => snapshot(t.db, d.collection, true)));
      const second = await publishFrom(t.db, [dir]);
      expect(second.status).toBe('unchanged');
      expect(second.version).toBe(first.version);
      expect((await meta())?.version).toBe(first.version);

      const forced = await publishFrom(t.db, [dir], { force: true });
      expect(forced.status).toBe('published');
      expect(forced.version).not.toBe(first.version);
      expect(forced.fingerprint).toBe(first.fingerprint);
      const after = await Promise.all(DATASETS.map((d) => snapshot(t.db, d.collection, true)));
      expect(after).toEqual(before);
    } finally {
      await remove();
    }
  });

  it('replaces a collection exactly: rows that vanished from gold vanish from MongoDB', async () => {
    const { dir, remove } = await tempDir('shrink');
    try {
      await publishFixtures(t.db);
      await copyFixtures(dir, 'pandas', ['fact_achats']);
      const { writeWithDuckDb } = await import('./gold-inputs.js');
      await writeWithDuckDb(dir, 'ca_country', "SELECT * FROM {src} WHERE pays <> (SELECT min(pays) FROM {src})");
      const summary = await publishFrom(t.db, [dir]);
      const expected = await expectedRows('ca_country');
      expect(summary.collections.gold_by_country).toBe(expected.length - 1);
      expect(await t.db.collection('gold_by_country').countDocuments()).toBe(expected.length - 1);
    } finally {
      await remove();
    }
  });
});

describe('missing tables', () => {
  it('keeps the previous collection of an absent optional table and records it as missing', async () => {
    const { dir, remove } = await tempDir('missing');
    try {
      await publishFixtures(t.db);
      const scoresBefore = await snapshot(t.db, 'gold_client_scores', true);
      await copyFixtures(dir, 'pandas', ['fact_achats', 'ca_monthly']);
      const summary = await publishFrom(t.db, [dir]);
      expect(summary.status).toBe('published');
      expect(summary.missing).toEqual(expect.arrayContaining(['client_scores', 'dim_clients', 'segment_summary']));
      expect(await snapshot(t.db, 'gold_client_scores', true)).toEqual(scoresBefore);
      expect((await meta())?.missing).toEqual(summary.missing);
      const kpis = await t.db.collection(KPI_DOCUMENT.collection).findOne({});
      expect(kpis?.expected_total).toBeNull();
    } finally {
      await remove();
    }
  });

  it('fails with TABLE_MISSING (exit 2) when fact_achats is absent, changing nothing', async () => {
    const { dir, remove } = await tempDir('nofact');
    try {
      await publishFixtures(t.db);
      const before = (await meta())?.version;
      await copyFixtures(dir, 'pandas', ['ca_monthly']);
      const error = await publishFrom(t.db, [dir]).catch((e: unknown) => e);
      expect(isAppError(error) && error.code).toBe('TABLE_MISSING');
      expect(isAppError(error) && error.status).toBe(422);
      expect((error as Error).message).toContain(`source: mandatory table fact_achats found in no source; tried fact_achats: ${dir}/fact_achats.parquet (not found)`);
      expect((error as Error).message).not.toMatch(/no notes/);
      expect((await meta())?.version).toBe(before);
    } finally {
      await remove();
    }
  });

  it('stores FLOAT amounts as the decimals they were written from, and sums them to the cent', async () => {
    // A producer writing montant as FLOAT (32-bit): widened to a double, 285.41 read back as
    // 285.4100036621094, and every sum carried the noise (found by an audit).
    const { dir, remove } = await tempDir('float-montant');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', 'SELECT * REPLACE (CAST(montant AS FLOAT) AS montant) FROM {src}');
      await publishFrom(t.db, [dir], { force: true });
      const facts = await expectedRows('fact_achats');
      const montant = new Map(facts.map((f) => [f.id_achat, f.montant]));
      const docs = await snapshot(t.db, 'gold_fact_achats', true);
      expect(docs).toHaveLength(facts.length);
      for (const d of docs) expect(d.montant, `id_achat ${String(d._id)}`).toBe(montant.get(d._id));
      const cents = facts.reduce((sum, f) => sum + Math.round((f.montant as number) * 100), 0);
      expect((await t.db.collection(KPI_DOCUMENT.collection).findOne({}))?.total_ca).toBe(cents / 100);
    } finally {
      await remove();
    }
  });
});
