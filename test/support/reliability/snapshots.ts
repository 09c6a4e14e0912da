// Dataset fingerprints as the API serves them. A snapshot maps a path to the canonical JSON of the
// response's data (list endpoints: `data`; /kpis: the document without `meta`, which carries
// per-request timings and the version). A read is good when it equals one known dataset's snapshot.

export type Snapshot = Readonly<Record<string, string>>;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Canonical JSON of a response body's data, or undefined when the body is not the expected shape. */
export function canonicalData(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  if (Array.isArray(record.data)) return JSON.stringify(sortKeys(record.data));
  const { meta: _meta, ...rest } = record;
  return JSON.stringify(sortKeys(rest));
}

export async function takeSnapshot(baseUrl: string, paths: readonly string[], headers?: Record<string, string>): Promise<Snapshot> {
  const out: Record<string, string> = {};
  for (const p of paths) {
    const res = await fetch(baseUrl + p, { headers, signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`snapshot: GET ${p} → ${res.status} ${body.slice(0, 300)}`);
    const canon = canonicalData(body);
    if (canon === undefined) throw new Error(`snapshot: GET ${p} is not a JSON object: ${body.slice(0, 300)}`);
    out[p] = canon;
  }
  return out;
}

/** Name of the dataset whose snapshot this body equals, or undefined (wrong or mixed data). */
export function matchDataset(path: string, body: string, datasets: Readonly<Record<string, Snapshot>>): string | undefined {
  const canon = canonicalData(body);
  if (canon === undefined) return undefined;
  return Object.keys(datasets).find((name) => datasets[name]?.[path] === canon);
}

/** Checks a single response against itself: list count = meta.count, KPI arithmetic holds. */
export function internalProblem(path: string, body: string): string | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return 'body is not JSON';
  }
  if (Array.isArray(parsed.data)) {
    const count = (parsed.meta as { count?: unknown } | undefined)?.count;
    if (typeof count === 'number' && count !== parsed.data.length) return `meta.count ${count} ≠ ${parsed.data.length} rows`;
    return undefined;
  }
  if (path.startsWith('/kpis')) {
    const { total_ca, total_achats, panier_moyen } = parsed as { total_ca?: unknown; total_achats?: unknown; panier_moyen?: unknown };
    if (typeof total_ca !== 'number' || typeof total_achats !== 'number' || typeof panier_moyen !== 'number') return 'KPI fields missing';
    const expected = total_achats === 0 ? 0 : total_ca / total_achats;
    if (Math.abs(expected - panier_moyen) > 1e-6 * Math.max(1, Math.abs(expected))) return `panier_moyen ${panier_moyen} ≠ total_ca/total_achats ${expected}`;
  }
  return undefined;
}
