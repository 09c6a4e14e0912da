// /openapi.json (from openapi.yaml at the repository root) and /docs, a Swagger UI page whose
// assets come from the swagger-ui-dist package (no CDN).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';
// Only the path helper: the package's main module would evaluate the whole 1.4 MB UI bundle.
import getSwaggerUiPath from 'swagger-ui-dist/absolute-path.js';
import { parse } from 'yaml';
import { ROUTING } from '../../server/routing.js';

/** Walks up from this module (src/… or dist/src/…) to the file at the repository root. */
export function findOpenApiFile(fileName = 'openapi.yaml'): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, fileName);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${fileName} not found above ${dirname(fileURLToPath(import.meta.url))}`);
    dir = parent;
  }
}

export function loadOpenApi(path = findOpenApiFile()): Record<string, unknown> {
  return parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>gold-serving API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body></html>`;

// A separate file (not an inline script) so helmet's default CSP (script-src 'self') holds.
const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });`;

export function createDocsRouter(openapi: Record<string, unknown>): Router {
  const router = Router(ROUTING);
  const json = Buffer.from(JSON.stringify(openapi));
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json; charset=utf-8').set('Cache-Control', 'public, max-age=300').send(json);
  });
  router.get(['/docs', '/docs/'], (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  router.use('/docs', express.static(getSwaggerUiPath(), { index: false, maxAge: '1d' }));
  return router;
}
