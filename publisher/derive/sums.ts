// Compensated (Neumaier) summation. Plain left-to-right double sums of 5M amounts drift by
// up to ~1e-7 €; pandas itself is not naive either (Series.sum is pairwise, groupby sums are
// Kahan-compensated), so a compensated sum is the closest order-independent match to what the
// gold producer computes. Grouped sums keep (sum, compensation) pairs in one growable array.

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
    }
    return this.n++;
  }

  add(group: number, x: number): void {
    const sum = this.sums[group] as number;
    const t = sum + x;
    this.comps[group] = (this.comps[group] as number) + (Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum);
    this.sums[group] = t;
    this.counts[group] = (this.counts[group] as number) + 1;
  }

  sum(group: number): number {
    return (this.sums[group] as number) + (this.comps[group] as number);
  }

  count(group: number): number {
    return this.counts[group] as number;
  }
}
