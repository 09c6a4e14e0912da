// Money sums. Amounts are euros with cents (GOLD_SPEC §2), but a double cannot hold 0.1 €
// exactly, so even a perfectly compensated sum of the doubles can land one ulp off the decimal
// total (a seed day summed to 20740.170000000002 for 20740.17; "correct to the cent" is the
// product's promise). So grouped sums also add whole cents as integers: while every input is
// a whole number of cents, the result is Σcents / 100 — the exact decimal total, rounded once
// (the division is correctly rounded). Integers in a double are exact up to 2^53 ≈ 9e15 cents,
// far beyond realistic totals (1e12 cents = 10 billion €); a partial sum beyond that, like an
// input with more than 2 decimals, switches the group to the compensated sum. We sum integer
// cents rather than round the double sum to 2 decimals because the latter first needs an
// accurate double sum and then a ×100 that rounds again; the integer sum is exact by
// construction, whatever the order of the rows (so the worker-parallel path cannot differ).
//
// Otherwise (some amount with more than 2 decimals): compensated (Neumaier) summation, the
// behaviour before cents were tracked, kept unchanged. Plain left-to-right double sums of 5M
// amounts drift by up to ~1e-7 €; pandas itself is not naive either (Series.sum is pairwise,
// groupby sums are Kahan-compensated), so a compensated sum is the closest order-independent
// match to what the gold producer computes. Grouped sums keep (sum, compensation, cents)
// triples in growable arrays.

/**
 * The integer number of cents of `x` when `x` is the double nearest to a whole number of cents
 * (how a 2-decimal amount reads from Parquet, e.g. 0.1 → 10), else NaN (more than 2 decimals,
 * NaN, ±Infinity, beyond ±2^53 cents). AmountCounts counts amounts by it too.
 */
export function wholeCents(x: number): number {
  const c = Math.round(x * 100);
  return c / 100 === x && Number.isSafeInteger(c) ? c : Number.NaN;
}

/** a − b for money: exact to the cent when both are whole cents, else the plain double difference. */
export function moneyDifference(a: number, b: number): number {
  const cents = wholeCents(a) - wholeCents(b);
  return Number.isSafeInteger(cents) ? cents / 100 : a - b;
}

/** Sum of `values` with Neumaier's compensation. */
export function neumaierSum(values: ArrayLike<number>): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return sum + comp;
}

/** Compensated sums and counts for groups 0..n-1, grown on demand. */
export class GroupSums {
  private sums: Float64Array = new Float64Array(64);
  private comps: Float64Array = new Float64Array(64);
  private counts: Float64Array = new Float64Array(64);
  /** Σ whole cents per group; NaN once an input was not whole cents or a partial sum left ±2^53. */
  private cents: Float64Array = new Float64Array(64);
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** Adds a new group; returns its index. */
  addGroup(): number {
    if (this.n === this.sums.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.sums = grow(this.sums);
      this.comps = grow(this.comps);
      this.counts = grow(this.counts);
      this.cents = grow(this.cents);
    }
    return this.n++;
  }

  /** Adds `x`; `cents` is wholeCents(x), passed by a caller adding the same x to several groups. */
  add(group: number, x: number, cents: number = wholeCents(x)): void {
    const sum = this.sums[group] as number;
    const t = sum + x;
    this.comps[group] = (this.comps[group] as number) + (Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum);
    this.sums[group] = t;
    this.counts[group] = (this.counts[group] as number) + 1;
    // Every partial sum within ±(2^53 − 1) means every addition was exact; NaN sticks.
    const c = (this.cents[group] as number) + cents;
    this.cents[group] = Math.abs(c) <= Number.MAX_SAFE_INTEGER ? c : Number.NaN;
  }

  /** The group's sum: exact to the cent when every input was whole cents, else compensated. */
  sum(group: number): number {
    const c = this.cents[group] as number;
    return c === c ? c / 100 : (this.sums[group] as number) + (this.comps[group] as number);
  }

  count(group: number): number {
    return this.counts[group] as number;
  }
}
