// Numerics chosen to reproduce NumPy/pandas bit for bit where it can matter (segment
// thresholds compare values against quantiles of the same values).

/**
 * Quantile of ascending `sorted` values with linear interpolation, exactly as
 * `numpy.quantile(method='linear')` computes it (pandas `Series.quantile` default): virtual
 * index (n − 1)·q, and NumPy's two-sided lerp that is exact at both ends.
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * q;
  const lo = Math.floor(virtual);
  const gamma = virtual - lo;
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, n - 1)] as number;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

export function quantile(values: Float64Array, q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}

/** Median like pandas: the middle value, or the mean (a + b) / 2 of the two middle values. */
export function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Grouped sums with Kahan compensation, as pandas' groupby `sum`/`mean` do: `group[i]` is the
 * group of `values[i]` (negative = skip). Returns the sums; `counts` receives row counts.
 */
export function groupSum(values: Float64Array, group: Int32Array, groups: number, counts?: Float64Array): Float64Array {
  const sum = new Float64Array(groups);
  const comp = new Float64Array(groups);
  for (let i = 0; i < values.length; i += 1) {
    const g = group[i] as number;
    if (g < 0) continue;
    const y = (values[i] as number) - (comp[g] as number);
    const t = (sum[g] as number) + y;
    comp[g] = t - (sum[g] as number) - y;
    sum[g] = t;
    if (counts) counts[g] = (counts[g] as number) + 1;
  }
  return sum;
}

/** Kahan sum of a whole column. */
export function kahanSum(values: ArrayLike<number>): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < values.length; i += 1) {
    const y = (values[i] as number) - comp;
    const t = sum + y;
    comp = t - sum - y;
    sum = t;
  }
  return sum;
}

/** (x − min)/(max − min) clipped to [0, 1]; all zeros when max = min (GOLD_SPEC §4). */
export function minMax(values: Float64Array): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Float64Array(values.length);
  if (!(hi > lo)) return out;
  const span = hi - lo;
  for (let i = 0; i < values.length; i += 1) out[i] = clip(((values[i] as number) - lo) / span, 0, 1);
  return out;
}

export function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
