// gold_distribution: pandas `cut(montant, 12)` exactly — the bin edges, which value falls in
// which bin, and the labels pandas prints (GOLD_SPEC §3).
//  - edges: numpy.linspace(min, max, 13) (edge i = i·step + min, last = max), then the first
//    edge lowered by 0.1 % of (max − min); when min = max, both ends move by 0.1 % of |value|
//    (or 0.001 at zero) before linspace and nothing is lowered after.
//  - bins are right-closed (lo, hi]: bin = (first edge ≥ x) − 1 (searchsorted side='left').
//  - labels: each edge rounded with pandas' _round_frac at the smallest precision ≥ 3 that keeps
//    the rounded edges distinct (_infer_precision), printed with Python's float repr. The
//    rounded edges are the Interval bounds pandas reports, hence the min/max fields.
import { DISTRIBUTION_BINS } from '../../src/catalog/gold-catalog.js';
import { pythonFloatRepr } from './python-float.js';

export interface DistributionBucket {
  readonly bucket: string;
  readonly bucket_index: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** numpy.linspace(start, stop, num) with endpoint=True. */
export function linspace(start: number, stop: number, num: number): number[] {
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(step === 0 ? (i / div) * delta + start : i * step + start);
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** The exact (unrounded) edges pandas.cut uses for `bins` equal-width bins over [min, max]. */
export function cutEdges(min: number, max: number, bins = DISTRIBUTION_BINS): number[] {
  if (min === max) {
    const lo = min - (min !== 0 ? 0.001 * Math.abs(min) : 0.001);
    const hi = max + (max !== 0 ? 0.001 * Math.abs(max) : 0.001);
    return linspace(lo, hi, bins + 1);
  }
  const edges = linspace(min, max, bins + 1);
  edges[0] = (edges[0] as number) - (max - min) * 0.001;
  return edges;
}

/** numpy.around(x, decimals): scale, round half to even, unscale. */
export function npAround(x: number, decimals: number): number {
  if (decimals >= 0) {
    const f = 10 ** decimals;
    return roundHalfEven(x * f) / f;
  }
  const f = 10 ** -decimals;
  return roundHalfEven(x / f) * f;
}

function roundHalfEven(y: number): number {
  const r = Math.round(y); // rounds .5 up
  return r - y === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** pandas.core.reshape.tile._round_frac. */
export function roundFrac(x: number, precision: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const whole = Math.trunc(x);
  const frac = x - whole;
  const digits = whole === 0 ? -Math.floor(Math.log10(Math.abs(frac))) - 1 + precision : precision;
  return npAround(x, digits);
}

/** pandas.core.reshape.tile._infer_precision. */
export function inferPrecision(base: number, edges: readonly number[]): number {
  for (let p = base; p < 20; p++) {
    const levels = new Set(edges.map((e) => roundFrac(e, p)));
    if (levels.size === edges.length) return p;
  }
  return base;
}

/** Index of the right-closed bin holding x, or -1 outside (lo₀, hi_last]. */
export function binOf(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length; // first index with edges[k] >= x, in [0, length]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 || lo === edges.length ? -1 : lo - 1;
}

/** Buckets of `values[0..length)` (all finite); no buckets when there are no values. */
export function pandasCut(values: ArrayLike<number>, length = values.length, bins = DISTRIBUTION_BINS): DistributionBucket[] {
  return weightedCut((visit) => {
    for (let i = 0; i < length; i++) visit(values[i] as number, 1);
  }, bins);
}

/**
 * pandas.cut over a multiset given as (value, count) pairs: the same buckets as pandasCut over
 * the values repeated, for a caller that keeps counts of distinct values instead of every row.
 */
export function weightedCut(each: (visit: (x: number, count: number) => void) => void, bins = DISTRIBUTION_BINS): DistributionBucket[] {
  let min = Infinity;
  let max = -Infinity;
  let any = false;
  each((x, count) => {
    if (count <= 0) return;
    any = true;
    if (x < min) min = x;
    if (x > max) max = x;
  });
  if (!any) return [];
  const edges = cutEdges(min, max, bins);
  const counts = new Float64Array(bins);
  each((x, count) => {
    const b = binOf(edges, x);
    if (b >= 0 && count > 0) counts[b] = (counts[b] as number) + count;
  });
  const precision = inferPrecision(3, edges);
  const rounded = edges.map((e) => roundFrac(e, precision));
  return Array.from({ length: bins }, (_, i) => {
    const lo = rounded[i] as number;
    const hi = rounded[i + 1] as number;
    return { bucket: `(${pythonFloatRepr(lo)}, ${pythonFloatRepr(hi)}]`, bucket_index: i, min: lo, max: hi, count: counts[i] as number };
  });
}
