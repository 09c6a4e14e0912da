// The request-path metrics are our own series: their /metrics text must be prom-client's.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelledCounter, LabelledHistogram } from '../../../src/api/metrics/labelled-series.js';

const BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LABELS = ['method', 'route', 'status_code'];

function pair() {
  const ours = new Registry();
  const theirs = new Registry();
  return {
    ours,
    theirs,
    histogram: new LabelledHistogram('http_request_duration_seconds', 'help text', LABELS, BOUNDS, ours),
    counter: new LabelledCounter('api_cache_requests_total', 'cache help', ['route', 'result'], ours),
    promHistogram: new Histogram({ name: 'http_request_duration_seconds', help: 'help text', labelNames: LABELS, buckets: BOUNDS, registers: [theirs] }),
    promCounter: new Counter({ name: 'api_cache_requests_total', help: 'cache help', labelNames: ['route', 'result'], registers: [theirs] }),
  };
}

describe('labelled series', () => {
  it('expose the same text as prom-client for the same observations (bucket edges, +Inf, several series)', async () => {
    const p = pair();
    const observations: Array<[string, string, string, number]> = [
      ['GET', '/kpis', '200', 0.0001],
      ['GET', '/kpis', '200', 0.001],
      ['GET', '/kpis', '200', 0.0010001],
      ['GET', '/kpis', '304', 0.3],
      ['GET', '/monthly', '200', 12],
      ['GET', '/kpis', '200', 2.5],
      ['HEAD', 'unmatched', '404', 0],
    ];
    for (const [method, route, status, value] of observations) {
      p.histogram.series(method, route, status).observe(value);
      p.promHistogram.labels(method, route, status).observe(value);
    }
    for (const [route, result, n] of [['/kpis', 'hit', 3], ['/kpis', 'miss', 1], ['/cohort', 'not_modified', 2]] as const) {
      for (let i = 0; i < n; i++) {
        p.counter.series(route, result).inc();
        p.promCounter.labels(route, result).inc();
      }
    }
    // A series resolved but never used is not exposed (prom-client creates it on first use).
    p.histogram.series('GET', '/never', '200');
    p.counter.series('/never', 'hit');
    expect(await p.ours.metrics()).toBe(await p.theirs.metrics());
    expect(await p.ours.metrics()).toContain('http_request_duration_seconds_count{method="GET",route="/kpis",status_code="200"} 4');
  });

  it('keep the series objects valid across a registry reset', async () => {
    const p = pair();
    const series = p.histogram.series('GET', '/kpis', '200');
    const hits = p.counter.series('/kpis', 'hit');
    series.observe(0.002);
    hits.inc();
    p.ours.resetMetrics();
    p.theirs.resetMetrics();
    expect(await p.ours.metrics()).toBe(await p.theirs.metrics());
    series.observe(0.02);
    hits.inc();
    p.promHistogram.labels('GET', '/kpis', '200').observe(0.02);
    p.promCounter.labels('/kpis', 'hit').inc();
    expect(await p.ours.metrics()).toBe(await p.theirs.metrics());
  });

  it("add another thread's series to their own, as prom-client would expose all the observations made in one place", async () => {
    const p = pair();
    // The other thread (the front thread): its own series objects, unregistered.
    const otherHistogram = new LabelledHistogram('http_request_duration_seconds', 'help text', LABELS, BOUNDS);
    const otherCounter = new LabelledCounter('api_cache_requests_total', 'cache help', ['route', 'result']);
    const here: Array<[string, number]> = [['/kpis', 0.002], ['/monthly', 0.3]];
    const there: Array<[string, number]> = [['/kpis', 0.0004], ['/kpis', 0.002], ['/cohort', 7]];
    for (const [route, value] of here) {
      p.histogram.series('GET', route, '200').observe(value);
      p.counter.series(route, 'hit').inc();
    }
    for (const [route, value] of there) {
      otherHistogram.series('GET', route, '200').observe(value);
      otherCounter.series(route, 'hit').inc();
    }
    for (const [route, value] of [...here, ...there]) {
      p.promHistogram.labels('GET', route, '200').observe(value);
      p.promCounter.labels(route, 'hit').inc();
    }
    p.histogram.absorb(otherHistogram.snapshot());
    p.counter.absorb(otherCounter.snapshot());
    const merged = await p.ours.metrics();
    // Series order differs where a series exists only in the other thread: compare line sets.
    expect(new Set(merged.split('\n'))).toEqual(new Set((await p.theirs.metrics()).split('\n')));
    expect(merged).toContain('http_request_duration_seconds_count{method="GET",route="/kpis",status_code="200"} 3');
    // A later report replaces the earlier one (they are totals), and the own series are untouched.
    otherCounter.series('/kpis', 'hit').inc();
    p.counter.absorb(otherCounter.snapshot());
    expect(await p.ours.metrics()).toContain('api_cache_requests_total{route="/kpis",result="hit"} 4');
    p.counter.absorb([]);
    expect(await p.ours.metrics()).toContain('api_cache_requests_total{route="/kpis",result="hit"} 1');
  });
});
