// End to end, in Debian's headless Chromium: the real API (createApp) over gold published from the
// fixtures by the real publisher, the page at `/` under the API's own headers (helmet CSP).
// Checks the KPI cards against /kpis, every chart drawn, the tables against /scores, no console
// errors, phone and desktop widths; screenshots go to test-results/ (gitignored).
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/config.js';
import { connectTestDb } from '../../support/mongo.js';
import { publishFixtures } from '../../support/published-gold.js';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium, listen, normaliseSpaces, openDashboard, probeCanvases, sectionStates, type Listening } from './browser.js';

const RESULTS_DIR = resolve('test-results');
const BENCHMARK_FILE = resolve('data/metrics/refresh_benchmark.json');
/** Canvases drawn from API data; the benchmark one depends on the optional file. */
const DATA_CHARTS = ['chart-monthly', 'chart-country', 'chart-product', 'chart-distribution', 'chart-segments', 'chart-probability', 'chart-scatter', 'chart-cohort'];

// Independent of web/dashboard/js/format.js: the formats the issue asks for, spelled out again.
const euro = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const KPI_EXPECTED_FORMAT: Record<string, (v: number) => string> = {
  total_ca: (v) => euro.format(v),
  total_achats: (v) => integer.format(v),
  total_clients: (v) => integer.format(v),
  panier_moyen: (v) => euro.format(v),
  expected_total: (v) => euro.format(v),
};

if (!chromiumAvailable) console.warn(`dashboard browser tests skipped: no Chromium at ${CHROMIUM_PATH} (.ci/run installs Debian's chromium)`);

describe.skipIf(!chromiumAvailable)('the dashboard in headless Chromium over published fixtures', () => {
  let conn: Awaited<ReturnType<typeof connectTestDb>>;
  let api: Listening;
  let browser: Browser;
  let desktop: BrowserContext;
  const consoleErrors: string[] = [];

  const apiJson = async (path: string): Promise<Record<string, unknown>> => {
    const res = await fetch(`${api.baseUrl}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    conn = await connectTestDb('dashboard_e2e');
    await publishFixtures(conn.db);
    const app = createApp({ db: conn.db, config: loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }), logger: pino({ level: 'silent' }) });
    api = await listen(app);
    browser = await launchChromium();
    desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await desktop.newPage();
    const benchmarkPresent = existsSync(BENCHMARK_FILE);
    page.on('console', (m) => {
      if (m.type() !== 'error') return;
      // Chromium logs every resource answered 404. The benchmark file is optional (absent on a
      // fresh clone) and 404 is its documented answer, which the panel reports: not an error.
      if (!benchmarkPresent && m.location().url.endsWith('/dashboard/refresh_benchmark.json')) return;
      consoleErrors.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    await openDashboard(page, `${api.baseUrl}/`);
    await mkdir(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: resolve(RESULTS_DIR, 'dashboard.png'), fullPage: true });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await conn?.cleanup();
  });

  const desktopPage = () => {
    const page = desktop.pages()[0];
    if (!page) throw new Error('desktop page closed');
    return page;
  };

  test('is served by createApp at / under its Content-Security-Policy', async () => {
    const res = await fetch(`${api.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  test('loads without any console error or uncaught exception', () => {
    expect(consoleErrors).toEqual([]);
  });

  test('shows every data section as drawn, without an error banner', async () => {
    const page = desktopPage();
    const states = await sectionStates(page);
    const dataSections = states.filter((s) => s.id !== 'section-benchmark');
    expect(dataSections.length).toBe(11);
    for (const s of dataSections) expect(s, s.id).toMatchObject({ state: 'ready' });
    expect(await page.locator('#banner').isHidden()).toBe(true);
  });

  test('shows on the KPI cards the numbers of /kpis, formatted in French', async () => {
    const kpis = await apiJson('/kpis');
    const cards = await desktopPage().$$eval('[data-kpi]', (nodes) =>
      (nodes as unknown as Array<{ dataset: Record<string, string>; querySelector(s: string): { textContent: string } | null }>).map((n) => ({
        key: n.dataset.kpi ?? '',
        value: n.dataset.value ?? '',
        text: n.querySelector('.kpi-value')?.textContent ?? '',
      })),
    );
    expect(cards.map((c) => c.key)).toEqual(['total_ca', 'total_achats', 'total_clients', 'panier_moyen', 'expected_total']);
    for (const card of cards) {
      const raw = kpis[card.key];
      expect(typeof raw, card.key).toBe('number');
      expect(Number(card.value), card.key).toBe(raw);
      const format = KPI_EXPECTED_FORMAT[card.key];
      expect(normaliseSpaces(card.text), card.key).toBe(normaliseSpaces(format ? format(raw as number) : String(raw)));
    }
    // Readable numbers: thousands grouped, euros marked.
    const totalCa = cards.find((c) => c.key === 'total_ca');
    expect(totalCa?.text).toMatch(/€$/);
  });

  test('draws every chart with Chart.js on a non-blank canvas', async () => {
    const probes = await probeCanvases(desktopPage());
    for (const id of DATA_CHARTS) {
      const probe = probes.find((p) => p.id === id);
      expect(probe, id).toBeDefined();
      expect(probe?.hasChart, id).toBe(true);
      expect(probe?.points, id).toBeGreaterThan(0);
      expect(probe?.opaquePixels, id).toBeGreaterThan(((probe?.width ?? 0) * (probe?.height ?? 0)) / 100);
    }
  });

  test('plots as many months, countries and cohorts as the API returns, and every client in the scatter', async () => {
    const counts = await desktopPage().evaluate(() => {
      const g = globalThis as unknown as {
        Chart: { getChart(id: string): { data: { labels?: unknown[]; datasets: Array<{ data: unknown[] }> } } | undefined };
      };
      const points = (id: string) => g.Chart.getChart(id)?.data.datasets.reduce((n, d) => n + d.data.length, 0) ?? -1;
      const labels = (id: string) => g.Chart.getChart(id)?.data.labels?.length ?? -1;
      return { monthly: labels('chart-monthly'), country: labels('chart-country'), cohort: labels('chart-cohort'), distribution: labels('chart-distribution'), scatter: points('chart-scatter') };
    });
    const len = async (path: string) => ((await apiJson(path)).data as unknown[]).length;
    expect(counts).toEqual({
      monthly: await len('/monthly'),
      country: await len('/by_country'),
      cohort: await len('/cohort'),
      distribution: await len('/distribution'),
      scatter: await len('/scores'),
    });
  });

  test('lists in the two opportunity tables the clients the API ranks first', async () => {
    const ids = (table: string) =>
      desktopPage().$$eval(`#${table} tbody tr td:first-child`, (cells) => (cells as unknown as Array<{ textContent: string }>).map((c) => Number(c.textContent)));
    const top = ((await apiJson('/scores?limit=10')).data as Array<{ id_client: number }>).map((r) => r.id_client);
    const reactivate = ((await apiJson('/scores?sort=value_at_risk_12m:desc,recency_days:desc&limit=10')).data as Array<{ id_client: number }>).map((r) => r.id_client);
    expect(top.length).toBeGreaterThan(0);
    expect(await ids('table-top-expected')).toEqual(top);
    expect(await ids('table-reactivate')).toEqual(reactivate);
  });

  test('shows the data version and publish time of the API', async () => {
    const meta = (await apiJson('/kpis')).meta as { version: string; published_at: string };
    const page = desktopPage();
    expect(await page.textContent('#data-version')).toBe(meta.version);
    expect(await page.textContent('#data-published')).toMatch(/\d{4} .*UTC$/);
    expect(await page.textContent('#api-health')).toBe('opérationnelle');
  });

  test('draws the benchmark panel from data/metrics/refresh_benchmark.json, or says the file is absent', async () => {
    const benchmark = (await sectionStates(desktopPage())).find((s) => s.id === 'section-benchmark');
    if (existsSync(BENCHMARK_FILE)) {
      expect(benchmark?.state).toBe('ready');
      const probe = (await probeCanvases(desktopPage())).find((p) => p.id === 'chart-benchmark');
      expect(probe?.hasChart).toBe(true);
      expect(JSON.parse(await readFile(BENCHMARK_FILE, 'utf8'))).toBeTruthy();
    } else {
      expect(benchmark).toMatchObject({ state: 'empty', status: expect.stringContaining('refresh_benchmark.json absent') });
    }
  });

  test('draws a benchmark chart and table from runs in the seed format', async () => {
    const page = await desktop.newPage();
    const runs = [
      { timestamp: '2026-01-20T10:39:43', source: 'api', total_ms: 4.2, breakdown_ms: { kpis: 0.4, scores: 1.6 }, dataset_size: 23663 },
      { timestamp: '2026-01-20T10:39:50', source: 'parquet', total_ms: 61.8, breakdown_ms: { kpis: 20.1, scores: 15.5 }, dataset_size: 23663 },
    ];
    await page.route('**/dashboard/refresh_benchmark.json', (route) => route.fulfill({ json: runs }));
    await openDashboard(page, `${api.baseUrl}/`);
    const probe = (await probeCanvases(page)).find((p) => p.id === 'chart-benchmark');
    expect(probe).toMatchObject({ hasChart: true, points: 4 });
    expect(probe?.opaquePixels).toBeGreaterThan(0);
    const rows = await page.$$eval('#table-benchmark tbody tr', (trs) => (trs as unknown as Array<{ textContent: string }>).map((r) => r.textContent));
    expect(rows.map(normaliseSpaces)).toEqual([expect.stringMatching(/^api.*4,2 ms.*23 663$/), expect.stringMatching(/^parquet.*61,8 ms.*23 663$/)]);
    await page.close();
  });

  test('fits a 390 px phone screen without horizontal scrolling', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await openDashboard(page, `${api.baseUrl}/`);
    const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390);
    for (const probe of await probeCanvases(page)) {
      if (!DATA_CHARTS.includes(probe.id)) continue;
      expect(probe.hasChart, probe.id).toBe(true);
      expect(probe.width / 2, probe.id).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: resolve(RESULTS_DIR, 'dashboard-390.png'), fullPage: true });
    await phone.close();
  });
});
