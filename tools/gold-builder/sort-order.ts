// Stable ascending order of a numeric column. When every (value − min) / step · n + index fits
// in a double's 53-bit integer range, the order comes from one native Float64Array sort of
// packed keys (fast for 1M rows); otherwise from a comparator sort with the index as tie-breaker.

export function stableOrder(values: Float64Array): Uint32Array {
  const n = values.length;
  const order = new Uint32Array(n);
  if (n === 0) return order;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let wholeSeconds = true;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (wholeSeconds && v % 1000 !== 0) wholeSeconds = false;
  }
  const step = wholeSeconds ? 1000 : 1;
  const span = (hi - lo) / step;
  if (Number.isInteger(span) && Number.isFinite(span) && (span + 1) * n < Number.MAX_SAFE_INTEGER && allWhole(values, lo, step)) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i += 1) keys[i] = (((values[i] as number) - lo) / step) * n + i;
    keys.sort();
    for (let k = 0; k < n; k += 1) order[k] = (keys[k] as number) % n;
    return order;
  }
  for (let i = 0; i < n; i += 1) order[i] = i;
  return order.sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
}

function allWhole(values: Float64Array, lo: number, step: number): boolean {
  for (const v of values) if (!Number.isInteger((v - lo) / step)) return false;
  return true;
}
