// The dashboard when the data is not there, in headless Chromium: an API over a database where
// nothing was published, and an API that cannot be reached at all. Either way the page says so
// in a banner and in every section — never a blank page.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/config.js';
import { connectTestDb } from '../../support/mongo.js';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium, listen, openDashboard, probeCanvases, sectionStates, type Listening } from './browser.js';

const RESULTS_DIR = resolve('test-results');
const API_PATHS = /^\/(kpis|monthly|by_country|by_product|distribution|segments|scores|cohort|health)$/;

if (!chromiumAvailable) console.warn(`dashboard browser tests skipped: no Chromium at ${CHROMIUM_PATH} (.ci/run installs Debian's chromium)`);

describe.skipIf(!chromiumAvailable)('the dashboard without data, in headless Chromium', () => {
  let conn: Awaited<ReturnType<typeof connectTestDb>>;
  let api: Listening;
  let browser: Browser;

  beforeAll(async () => {
    // A database nobody has published to: every data endpoint answers 503 "<collection> vide".
    conn = await connectTestDb('dashboard_empty');
    const app = createApp({ db: conn.db, config: loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }), logger: pino({ level: 'silent' }) });
    api = await listen(app);
    browser = await launchChromium();
    await mkdir(RESULTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await conn?.cleanup();
  });

  test('says in a banner and in every data section that no data is published', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await openDashboard(page, `${api.baseUrl}/`);

    expect(await page.locator('#banner').isVisible()).toBe(true);
    expect(await page.textContent('#banner')).toContain('Aucune donnée disponible');
    const states = (await sectionStates(page)).filter((s) => s.id !== 'section-benchmark');
    expect(states.length).toBe(11);
    for (const s of states) {
      expect(s.state, s.id).toBe('error');
      expect(s.status, s.id).toMatch(/^Données indisponibles \(\/[a-z_]+.*\)\.$/);
    }
    // The KPI section names the empty collection the API reported.
    expect(states.find((s) => s.id === 'section-kpis')?.status).toContain('vide');
    expect(await page.textContent('#data-version')).toBe('inconnue');
    // No chart is drawn over no data, and our own code threw nothing.
    expect((await probeCanvases(page)).filter((p) => p.id !== 'chart-benchmark' && p.hasChart)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: resolve(RESULTS_DIR, 'dashboard-empty.png'), fullPage: true });
    await context.close();
  });

  test('says the API is unreachable when its requests fail at the network level', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    // The page and its assets load; every API request is refused, as when the API process is down
    // behind a proxy that still serves the static files.
    await page.route((url) => API_PATHS.test(url.pathname), (route) => route.abort('connectionrefused'));
    await openDashboard(page, `${api.baseUrl}/`);

    expect(await page.textContent('#banner')).toContain('L’API est injoignable');
    const states = (await sectionStates(page)).filter((s) => s.id !== 'section-benchmark');
    for (const s of states) {
      expect(s.state, s.id).toBe('error');
      expect(s.status, s.id).toMatch(/^API injoignable \(\/[a-z_]+.*: serveur injoignable\)\.$/);
    }
    expect(await page.textContent('#api-health')).toBe('injoignable');
    await page.screenshot({ path: resolve(RESULTS_DIR, 'dashboard-unreachable-390.png'), fullPage: true });
    await context.close();
  });
});
