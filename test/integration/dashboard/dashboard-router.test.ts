// The dashboard router over HTTP (supertest): the page, every asset it references, Chart.js from
// node_modules, the benchmark file, and the static guarantees the browser relies on (no inline
// script or style under the API's CSP, relative URLs only, only public API endpoints fetched).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalogEndpoints } from '../../../src/catalog/gold-catalog.js';
import { locateDashboardAssets } from '../../../src/dashboard/assets.js';
import { DASHBOARD_ERROR_CODES } from '../../../src/dashboard/errors.js';
import { createDashboardRouter } from '../../../src/dashboard/router.js';

const webRoot = locateDashboardAssets().webRoot;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dashboard-router-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function appWithBenchmarkAt(benchmarkPath: string): express.Express {
  const app = express();
  app.use(createDashboardRouter({ benchmarkPath }));
  return app;
}

async function jsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => join(e.parentPath, e.name));
}

describe('the dashboard page', () => {
  const app = appWithBenchmarkAt(join('/nonexistent', 'refresh_benchmark.json'));

  test('is served as French HTML at /', async () => {
    const res = await request(app).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('Tableau de bord');
  });

  test('has no inline script, inline style attribute or inline event handler, so a script-src self CSP allows it', async () => {
    const html = (await request(app).get('/').expect(200)).text;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="/);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });

  test('references only relative URLs, each of which the router serves', async () => {
    const html = (await request(app).get('/').expect(200)).text;
    const urls = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(urls).toEqual(expect.arrayContaining(['assets/vendor/chart.umd.min.js', 'assets/dashboard/js/main.js', 'assets/dashboard/styles.css']));
    for (const url of urls) {
      expect(url).not.toMatch(/^([a-z]+:|\/\/)/i);
      await request(app).get(`/${url}`).expect(200);
    }
  });

  test('serves every ES module the page imports, with a JavaScript content type', async () => {
    const seen = new Set<string>();
    const queue = ['/assets/dashboard/js/main.js'];
    while (queue.length > 0) {
      const url = queue.pop() ?? '';
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await request(app).get(url).expect(200);
      expect(res.headers['content-type'], url).toMatch(/^(text|application)\/javascript/);
      for (const m of res.text.matchAll(/^import\s[^'"]*['"](\.{1,2}\/[^'"]+)['"]/gm)) {
        queue.push(new URL(m[1] ?? '', `http://x${url}`).pathname);
      }
    }
    expect(seen.size).toBe((await jsFiles(join(webRoot, 'js'))).length);
  });

  test('serves the Chart.js UMD build from node_modules, byte for byte', async () => {
    const res = await request(app).get('/assets/vendor/chart.umd.min.js').expect(200);
    const distDir = dirname(createRequire(import.meta.url).resolve('chart.js'));
    expect(res.text).toBe(await readFile(join(distDir, 'chart.umd.min.js'), 'utf8'));
    await request(app).get('/assets/vendor/chart.umd.min.js.map').expect(200);
  });

  test('answers an unknown asset with a JSON 404 naming the path', async () => {
    const res = await request(app).get('/assets/dashboard/nope.js').expect(404);
    expect(res.body).toEqual({
      error: expect.stringContaining('/assets/dashboard/nope.js'),
      code: DASHBOARD_ERROR_CODES.DASHBOARD_ASSET_NOT_FOUND,
      details: { path: '/assets/dashboard/nope.js' },
    });
  });

  test('does not serve files outside web/dashboard through dot segments', async () => {
    const res = await request(app).get('/assets/dashboard/%2e%2e/%2e%2e/package.json');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.text).not.toContain('"name": "gold-serving"');
  });

  test('leaves every other path to the routes mounted after it', async () => {
    const outer = express();
    outer.use(createDashboardRouter());
    outer.get('/kpis', (_req, res) => void res.json({ from: 'api' }));
    expect((await request(outer).get('/kpis').expect(200)).body).toEqual({ from: 'api' });
  });
});

describe('the browser code', () => {
  test('fetches only public API endpoints of the catalog (and the benchmark file), by relative URL', async () => {
    const allowed = new Set([...catalogEndpoints(), '/dashboard/refresh_benchmark.json']);
    const fetched = new Set<string>();
    for (const file of await jsFiles(join(webRoot, 'js'))) {
      const source = await readFile(file, 'utf8');
      expect(source, file).not.toMatch(/https?:\/\//);
      for (const m of source.matchAll(/\bget(?:Json|List)\(\s*['`]([^'`]+)['`]/g)) {
        const path = (m[1] ?? '').split('?')[0] ?? '';
        expect(path, `${file}: ${path}`).not.toMatch(/^\//);
        fetched.add(`/${path}`);
      }
    }
    for (const path of fetched) expect(allowed, path).toContain(path);
    expect([...fetched].sort()).toEqual(
      ['/by_country', '/by_product', '/cohort', '/dashboard/refresh_benchmark.json', '/distribution', '/health', '/kpis', '/monthly', '/scores', '/segments'].sort(),
    );
  });
});

describe('the benchmark file route', () => {
  test('answers 404 JSON naming data/metrics/refresh_benchmark.json when the file is absent', async () => {
    const res = await request(appWithBenchmarkAt(join(tmp, 'absent.json'))).get('/dashboard/refresh_benchmark.json').expect(404);
    expect(res.body.code).toBe(DASHBOARD_ERROR_CODES.DASHBOARD_BENCHMARK_ABSENT);
    expect(res.body.error).toContain('data/metrics/refresh_benchmark.json');
    expect(JSON.stringify(res.body)).not.toContain(tmp);
  });

  test('returns the file content as JSON when present, read afresh on each request', async () => {
    const file = join(tmp, 'present.json');
    const app = appWithBenchmarkAt(file);
    await request(app).get('/dashboard/refresh_benchmark.json').expect(404);
    const runs = [{ timestamp: '2026-01-20T10:39:43', source: 'api', total_ms: 3.5, breakdown_ms: { kpis: 0.4 }, dataset_size: 23663 }];
    await writeFile(file, JSON.stringify(runs));
    const res = await request(app).get('/dashboard/refresh_benchmark.json').expect(200);
    expect(res.body).toEqual(runs);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  test('answers 500 JSON with DASHBOARD_BENCHMARK_INVALID when the file is not JSON', async () => {
    const file = join(tmp, 'broken.json');
    await writeFile(file, '{ "total_ms": ');
    const res = await request(appWithBenchmarkAt(file)).get('/dashboard/refresh_benchmark.json').expect(500);
    expect(res.body.code).toBe(DASHBOARD_ERROR_CODES.DASHBOARD_BENCHMARK_INVALID);
    expect(res.body.error).toMatch(/not valid JSON/);
  });
});
