// Smoke test of `npm run demo`'s steps: generate → build gold → embedded MongoDB → publish →
// serve, at a small size on a free port, then the API answers with the demo's data.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runDemo, type DemoHandle } from '../../../scripts/demo.js';
import { datasetByName } from '../../../src/catalog/gold-catalog.js';

describe('the demo', () => {
  let work = '';
  let demo: DemoHandle | undefined;

  afterAll(async () => {
    await demo?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test('runs every step with nothing configured and serves the published gold', async () => {
    work = await mkdtemp(join(tmpdir(), 'gold-demo-'));
    const lines: string[] = [];
    demo = await runDemo({ env: {}, workDir: work, port: 0, clients: 60, purchasesPerClient: 3, say: (l) => lines.push(l) });

    expect(lines.filter((l) => /^\d\/5 /.test(l))).toEqual([
      '1/5 generate sample sources',
      `2/5 build gold → ${join(work, 'data', 'gold')}`,
      '3/5 MongoDB',
      `4/5 publish (local gold in ${join(work, 'data', 'gold')})`,
      '5/5 serve the API',
    ]);
    // Says plainly which MongoDB runs.
    expect(['mongod', 'test-server']).toContain(demo.mongo.kind);
    expect(lines.join('\n')).toContain(demo.mongo.description);
    expect(lines.join('\n')).toContain(demo.urls.api);
    expect(demo.publish.status).toBe('published');

    const response = await fetch(demo.urls.api);
    expect(response.status).toBe(200);
    const kpis = (await response.json()) as { total_achats: number; total_clients: number };
    expect(kpis.total_clients).toBe(60);
    expect(kpis.total_achats).toBe(demo.publish.collections[datasetByName('fact_achats').collection]);
    expect((await fetch(demo.urls.docs)).status).toBe(200);

    await demo.stop();
    await expect(fetch(demo.urls.api)).rejects.toThrow();
    demo = undefined;
  });
});
