// The page's pure browser modules (formatting, histogram, ranking, benchmark parsing), imported
// straight from web/dashboard/js: they touch no DOM at import time, so Node runs them as shipped.
// (Kept beside the other dashboard tests; they do no I/O beyond the import.)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';

type Fmt = (v: unknown) => string;
interface FormatModule {
  formatEuro: Fmt;
  formatEuroCompact: Fmt;
  formatInteger: Fmt;
  formatPercent: Fmt;
  formatMonth: Fmt;
  formatDateTime: Fmt;
}
interface Row {
  id_client: number;
  value_at_risk_12m: number;
  recency_days: number;
}
interface StatsModule {
  probabilityHistogram(values: unknown[], bins?: number): Array<{ lo: number; hi: number; count: number }>;
  byValueAtRiskThenRecency(a: Row, b: Row): number;
}
interface BenchmarkModule {
  benchmarkRuns(json: unknown): Array<{ source: string; total_ms: number; breakdown_ms: Record<string, number>; dataset_size: number | null }>;
}

const JS_DIR = resolve('web/dashboard/js');
// A variable specifier keeps TypeScript from resolving (and demanding types for) the browser files.
const load = <T>(file: string): Promise<T> => import(pathToFileURL(resolve(JS_DIR, file)).href) as Promise<T>;
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

let fmt: FormatModule;
let stats: StatsModule;
let bench: BenchmarkModule;

beforeAll(async () => {
  [fmt, stats, bench] = await Promise.all([load<FormatModule>('format.js'), load<StatsModule>('stats.js'), load<BenchmarkModule>('sections/benchmark.js')]);
});

describe('French number formatting', () => {
  test('writes euros with thousands separators, a decimal comma and the sign after', () => {
    expect(plain(fmt.formatEuro(1234567.891))).toBe('1 234 567,89 €');
    expect(plain(fmt.formatInteger(23663))).toBe('23 663');
    expect(plain(fmt.formatPercent(0.4567))).toBe('45,7 %');
    expect(plain(fmt.formatEuroCompact(1_250_000))).toBe('1,3 M €');
  });

  test('shows a dash for missing or non-numeric values instead of NaN', () => {
    for (const v of [null, undefined, Number.NaN, '12']) expect(fmt.formatEuro(v)).toBe('—');
  });

  test('names months in French and reads naive timestamps as UTC', () => {
    expect(fmt.formatMonth('2025-01')).toBe('janv. 2025');
    expect(fmt.formatMonth('pas un mois')).toBe('pas un mois');
    expect(plain(fmt.formatDateTime('2026-01-20T10:39:43'))).toBe('20 janvier 2026 à 10:39:43 UTC');
    expect(plain(fmt.formatDateTime('2026-01-20T10:39:43.000Z'))).toBe('20 janvier 2026 à 10:39:43 UTC');
    expect(fmt.formatDateTime(null)).toBe('—');
  });
});

describe('the prob_reachat_12m histogram', () => {
  test('puts 0 in the first bin and 1 in the last, ignoring non-numbers', () => {
    const bins = stats.probabilityHistogram([0, 0.049, 0.05, 0.5, 0.999, 1, null, 'x'], 20);
    expect(bins).toHaveLength(20);
    expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(bins[19]).toMatchObject({ lo: 0.95, hi: 1 });
  });
});

describe('the reactivation ranking', () => {
  test('orders by value at risk, then by the longest time since the last purchase, then by client id', () => {
    const rows: Row[] = [
      { id_client: 1, value_at_risk_12m: 100, recency_days: 10 },
      { id_client: 2, value_at_risk_12m: 300, recency_days: 5 },
      { id_client: 3, value_at_risk_12m: 100, recency_days: 200 },
      { id_client: 4, value_at_risk_12m: 100, recency_days: 200 },
    ];
    expect([...rows].sort(stats.byValueAtRiskThenRecency).map((r) => r.id_client)).toEqual([2, 3, 4, 1]);
  });
});

describe('the benchmark file parser', () => {
  const run = { timestamp: '2026-01-20T10:39:43', source: 'api', total_ms: 4.2, breakdown_ms: { kpis: 0.4 }, dataset_size: 23663 };

  test('accepts one run, a list of runs, a runs field or runs keyed by source', () => {
    expect(bench.benchmarkRuns(run)).toHaveLength(1);
    expect(bench.benchmarkRuns([run, { ...run, source: 'parquet' }]).map((r) => r.source)).toEqual(['api', 'parquet']);
    expect(bench.benchmarkRuns({ runs: [run] })).toHaveLength(1);
    const { source: _source, ...withoutSource } = run;
    expect(bench.benchmarkRuns({ parquet: withoutSource }).map((r) => r.source)).toEqual(['parquet']);
  });

  test('drops entries without a numeric total_ms and tolerates a missing breakdown', () => {
    expect(bench.benchmarkRuns([{ source: 'api' }, { total_ms: '3' }, null, 42])).toEqual([]);
    expect(bench.benchmarkRuns({ total_ms: 7 })).toEqual([{ source: '?', timestamp: null, total_ms: 7, breakdown_ms: {}, dataset_size: null }]);
    expect(bench.benchmarkRuns('nonsense')).toEqual([]);
  });
});
