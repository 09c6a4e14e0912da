// Helpers for the dashboard's browser tests: Debian's Chromium driven by playwright-core, an app
// listening on an ephemeral port, and probes evaluated inside the page.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);

/** Flags from the issue: headless, no sandbox (CI containers run as root), nothing phoning home. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface Listening {
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<Listening> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Loads the page and waits until every section has settled (`<body data-state="ready">`). */
export async function openDashboard(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  const status = response?.status() ?? 0;
  if (status !== 200) {
    throw new Error(`GET ${url} answered ${status}, not the dashboard page: is createDashboardRouter() mounted in createApp (src/app.ts)?`);
  }
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30_000 });
}

export interface CanvasProbe {
  readonly id: string;
  readonly hasChart: boolean;
  readonly chartType: string | null;
  /** Data points over all datasets of the chart. */
  readonly points: number;
  readonly width: number;
  readonly height: number;
  /** Pixels with a non-zero alpha: 0 means nothing was drawn. */
  readonly opaquePixels: number;
}

// The test project has no DOM lib (it would leak browser globals into server code), so the
// functions evaluated in the page describe the little of the DOM they touch structurally.
interface PageCanvas {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface PageGlobals {
  readonly document: { querySelectorAll(selector: string): Iterable<PageCanvas> };
  readonly Chart?: { getChart(canvas: PageCanvas): { config: { type: string }; data: { datasets: Array<{ data: unknown[] }> } } | undefined };
}

/** For every <canvas> on the page: its Chart.js instance (if any) and how many pixels are drawn. */
export function probeCanvases(page: Page): Promise<CanvasProbe[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return [...g.document.querySelectorAll('canvas')].map((canvas) => {
      const chart = g.Chart?.getChart(canvas);
      const context = canvas.getContext('2d');
      let opaquePixels = 0;
      if (context && canvas.width > 0 && canvas.height > 0) {
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) opaquePixels += 1;
      }
      return {
        id: canvas.id,
        hasChart: chart !== undefined,
        chartType: chart ? chart.config.type : null,
        points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0,
        width: canvas.width,
        height: canvas.height,
        opaquePixels,
      };
    });
  });
}

/** `data-state` and status line of every section. */
export function sectionStates(page: Page): Promise<Array<{ id: string; state: string; status: string }>> {
  type PageSection = { id: string; dataset: Record<string, string | undefined>; querySelector(s: string): { textContent: string | null } | null };
  return page.$$eval('main > section', (sections) =>
    (sections as unknown as PageSection[]).map((s) => ({
      id: s.id,
      state: s.dataset.state ?? '',
      status: s.querySelector('[data-status]')?.textContent ?? '',
    })),
  );
}

/** Intl output uses narrow/no-break spaces as thousands separators; compare them as plain spaces. */
export function normaliseSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f\s]+/g, ' ').trim();
}
