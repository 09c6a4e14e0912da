// Small pure computations the page does on API rows (no DOM, no fetch).

/**
 * Equal-width histogram of values in [0, 1] (probabilities): `bins` bins, the last one closed on
 * the right so that 1 is counted. Non-numbers are ignored.
 * @returns {{ lo: number, hi: number, count: number }[]}
 */
export function probabilityHistogram(values, bins = 20) {
  const out = Array.from({ length: bins }, (_, i) => ({ lo: i / bins, hi: (i + 1) / bins, count: 0 }));
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const clamped = Math.min(Math.max(v, 0), 1);
    const index = Math.min(Math.floor(clamped * bins), bins - 1);
    out[index].count += 1;
  }
  return out;
}

/**
 * Clients to reactivate: highest value at risk first, then the longest since the last purchase
 * (recency_days descending), then id_client for a stable order.
 */
export function byValueAtRiskThenRecency(a, b) {
  return (
    (b.value_at_risk_12m ?? 0) - (a.value_at_risk_12m ?? 0) ||
    (b.recency_days ?? 0) - (a.recency_days ?? 0) ||
    (a.id_client ?? 0) - (b.id_client ?? 0)
  );
}

/** Groups rows by `key`, keeping the first-seen order of groups. */
export function groupBy(rows, key) {
  const groups = new Map();
  for (const row of rows) {
    const k = row[key] ?? '—';
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(row);
  }
  return groups;
}
