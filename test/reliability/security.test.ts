// Security: helmet headers and no x-powered-by, CORS per configuration, API keys, rate limit
// (429 + Retry-After), and error bodies that leak no stack trace or internal name — checked on the
// real API process with three configurations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb } from '../support/mongo.js';
import { startApi, type ApiProcess } from '../support/reliability/api-process.js';
import { errorBodyProblem } from '../support/reliability/error-bodies.js';
import { copyFixtureGold, makeTempDir, removeDir } from '../support/reliability/gold-dirs.js';
import { describeRun, runPublisher } from '../support/reliability/publisher-cli.js';
import { printFigures } from '../support/reliability/stats.js';

const ALLOWED_ORIGIN = 'https://dashboard.example';
const KEYS = ['key-one-0123456789', 'key-two-9876543210'];
const RATE_LIMIT = 20;
/** Every API response (JSON, errors, probes): OWASP's REST set and helmet's CORP, exact values. */
const API_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};
/** helmet's defaults that only concern HTML documents: on the pages, not on API responses. */
const DOCUMENT_ONLY_HEADERS = [
  'referrer-policy',
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

async function get(api: ApiProcess, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const res = await fetch(api.baseUrl + path, { method, headers, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe('API security', () => {
  let conn: Awaited<ReturnType<typeof connectTestDb>>;
  let emptyConn: Awaited<ReturnType<typeof connectTestDb>>;
  let dir: string;
  let open: ApiProcess; // defaults: CORS '*', no keys
  let secured: ApiProcess; // API keys + an origin list
  let limited: ApiProcess; // rate limited, over an empty database
  const errorResponses: Array<{ what: string; status: number; contentType: string | null; body: string }> = [];
  const keep = (what: string, r: { status: number; headers: Headers; body: string }) =>
    errorResponses.push({ what, status: r.status, contentType: r.headers.get('content-type'), body: r.body });

  beforeAll(async () => {
    conn = await connectTestDb('rel_sec');
    emptyConn = await connectTestDb('rel_sec_empty');
    dir = await makeTempDir('sec');
    await copyFixtureGold(dir);
    const run = await runPublisher({ mongoUri: conn.uri, dbName: conn.dbName, localDirs: [dir] });
    expect(run.code, describeRun(run)).toBe(0);
    const base = { MONGO_URI: conn.uri, MONGO_DB: conn.dbName, RATE_LIMIT_PER_MINUTE: '0' };
    [open, secured, limited] = await Promise.all([
      startApi(base),
      startApi({ ...base, API_KEYS: KEYS.join(','), CORS_ORIGINS: `${ALLOWED_ORIGIN},https://other.example` }),
      startApi({ MONGO_URI: emptyConn.uri, MONGO_DB: emptyConn.dbName, RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([open?.stop(), secured?.stop(), limited?.stop()]);
    await conn?.cleanup();
    await emptyConn?.cleanup();
    if (dir) await removeDir(dir);
  });

  it('sends the API security headers and no x-powered-by on API successes and errors alike', async () => {
    const responses = {
      '/kpis 200': await get(open, '/kpis'),
      '/kpis again (a cache hit) 200': await get(open, '/kpis'),
      '/livez 200': await get(open, '/livez'),
      '/openapi.json 200': await get(open, '/openapi.json'),
      '/scores?limit=0 400': await get(open, '/scores?limit=0'),
      '/kpis 401': await get(secured, '/kpis'),
      '/kpis 503': await get(limited, '/kpis'),
    };
    for (const [what, r] of Object.entries(responses)) {
      expect(r.status, `${what}: ${r.body.slice(0, 200)}`).toBe(Number(what.slice(-3)));
      expect(r.headers.get('x-powered-by'), what).toBeNull();
      for (const [h, value] of Object.entries(API_SECURITY_HEADERS)) expect(r.headers.get(h), `${what} ${h}`).toBe(value);
      for (const h of DOCUMENT_ONLY_HEADERS) expect(r.headers.get(h), `${what} ${h}`).toBeNull();
      if (r.status >= 400) keep(what, r);
    }
  });

  it("sends helmet's full default set on the HTML pages and on unknown paths", async () => {
    const responses = { '/ 200': await get(open, '/'), '/docs 200': await get(open, '/docs'), '/nope 404': await get(open, '/nope') };
    for (const [what, r] of Object.entries(responses)) {
      expect(r.status, what).toBe(Number(what.slice(-3)));
      expect(r.headers.get('x-powered-by'), what).toBeNull();
      expect(r.headers.get('content-security-policy'), what).toContain("script-src 'self'");
      expect(r.headers.get('x-frame-options'), what).toBe('SAMEORIGIN');
      expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
      for (const h of DOCUMENT_ONLY_HEADERS) expect(r.headers.get(h), `${what} ${h}`).not.toBeNull();
      if (r.status >= 400) keep(what, r);
    }
  });

  it('follows CORS_ORIGINS: * by default, only the listed origins when configured', async () => {
    const anyOrigin = await get(open, '/kpis', { Origin: 'https://anything.example' });
    expect(anyOrigin.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await get(open, '/kpis', { Origin: 'https://anything.example', 'Access-Control-Request-Method': 'GET' }, 'OPTIONS');
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');

    const allowed = await get(secured, '/kpis', { Origin: ALLOWED_ORIGIN, 'X-API-Key': KEYS[0] ?? '' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers.get('vary') ?? '').toMatch(/origin/i);
    const refused = await get(secured, '/kpis', { Origin: 'https://evil.example', 'X-API-Key': KEYS[0] ?? '' });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const refusedPreflight = await get(secured, '/kpis', { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' }, 'OPTIONS');
    expect(refusedPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('enforces API keys on data endpoints when configured, not on health probes', async () => {
    const missing = await get(secured, '/kpis');
    const wrong = await get(secured, '/scores?limit=1', { 'X-API-Key': 'not-a-key' });
    const prefix = await get(secured, '/monthly', { 'X-API-Key': (KEYS[0] ?? '').slice(0, 8) });
    const csv = await get(secured, '/scores?format=csv');
    for (const [what, r] of Object.entries({ missing, wrong, prefix, csv })) {
      expect(r.status, what).toBe(401);
      keep(`api key ${what}`, r);
    }
    for (const key of KEYS) expect((await get(secured, '/monthly', { 'X-API-Key': key })).status).toBe(200);
    expect((await get(secured, '/livez')).status).toBe(200);
    expect((await get(secured, '/readyz')).status).toBe(200);
    expect((await get(open, '/kpis')).status, 'no keys configured → open').toBe(200);
  });

  it('answers 503 with Retry-After on an empty database, then 429 with Retry-After past the rate limit', async () => {
    const empty = await get(limited, '/monthly');
    expect(empty.status).toBe(503);
    expect(Number(empty.headers.get('retry-after'))).toBeGreaterThan(0);
    keep('empty 503', empty);
    // Requests left in the window after this one (draft-8 `RateLimit: "…"; r=N; t=…`), since
    // earlier tests also called this instance.
    const remaining = Number(/;\s*r=(\d+)/.exec(empty.headers.get('ratelimit') ?? '')?.[1] ?? Number.NaN);
    const statuses: number[] = [];
    let limitedResponse: Awaited<ReturnType<typeof get>> | undefined;
    for (let i = 0; i < RATE_LIMIT + 10; i++) {
      const r = await get(limited, '/monthly');
      statuses.push(r.status);
      if (r.status === 429) limitedResponse ??= r;
    }
    const first429 = statuses.indexOf(429);
    printFigures('security-rate-limit', { limit_per_minute: RATE_LIMIT, remaining_before_burst: remaining, burst: statuses.length, first_429_at_burst_index: first429 });
    expect(limitedResponse, `statuses: ${statuses.join(',')}`).toBeDefined();
    expect(first429, 'exactly the remaining allowance passes, then 429').toBe(remaining);
    expect(statuses.slice(first429).every((st) => st === 429), `statuses: ${statuses.join(',')}`).toBe(true);
    const retryAfter = Number(limitedResponse?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    if (limitedResponse) keep('rate limited 429', limitedResponse);
    expect((await get(limited, '/livez')).status, 'health probes are not rate limited').toBe(200);
  });

  it('returns error bodies as JSON with a code and without stack traces or internal names', async () => {
    for (const [what, path] of [
      ['unknown parameter', '/monthly?bogus=1'],
      ['bad sort', '/scores?sort=%24where:asc'],
      ['bad cursor', '/scores?after=%%%'],
      ['bad cursor b64', '/daily?after=eyJub3QiOiJhIGN1cnNvciJ9'],
      ['bad format', '/scores?format=xml'],
      ['deep 404', '/a/b/c/../../d'],
    ] as const) {
      const r = await get(open, path);
      expect(r.status, `${what} ${path}: ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${what} ${path}`).toBeLessThan(500);
      keep(what, r);
    }
    expect(errorResponses.length).toBeGreaterThanOrEqual(10);
    const problems = errorResponses.flatMap((e) => {
      const p = errorBodyProblem(e.contentType, e.body);
      return p ? [`${e.what} (${e.status}): ${p}`] : [];
    });
    printFigures('security-error-bodies', { checked: errorResponses.length, problems: problems.length });
    expect(problems).toEqual([]);
  });
});
