// The montant values of fact_achats as counts per distinct amount, for the distribution view:
// pandas' bins depend on the global min and max, so every value must be kept until the end,
// but amounts are cents up to MONTANT_MAX — a fixed 4 MB table of counts per cent replaces
// 8 bytes a row (40 MB at 5M rows). A value that is not exactly a number of cents (c / 100 in
// binary floating point) is kept as is, so the buckets are exactly pandasCut's over all rows.
import { MONTANT_MAX } from '../../src/catalog/gold-catalog.js';
import { weightedCut, type DistributionBucket } from './distribution.js';
import { wholeCents } from './sums.js';

const MAX_CENTS = Math.round(MONTANT_MAX * 100);

export class AmountCounts {
  private cents: Uint32Array | null = null;
  private others = new Float64Array(1024);
  private otherCount = 0;
  private total = 0;

  get size(): number {
    return this.total;
  }

  /** Adds `x`; `c` is wholeCents(x), passed by a caller that already worked it out. */
  add(x: number, c: number = wholeCents(x)): void {
    this.total++;
    // NaN (not whole cents) fails both comparisons.
    if (c >= 0 && c <= MAX_CENTS) {
      this.cents ??= new Uint32Array(MAX_CENTS + 1);
      this.cents[c] = (this.cents[c] as number) + 1;
      return;
    }
    if (this.otherCount === this.others.length) {
      const next = new Float64Array(this.others.length * 2);
      next.set(this.others);
      this.others = next;
    }
    this.others[this.otherCount++] = x;
  }

  /** pandas.cut buckets of every value added. */
  buckets(): DistributionBucket[] {
    const { cents, others, otherCount } = this;
    return weightedCut((visit) => {
      if (cents) for (let c = 0; c < cents.length; c++) if (cents[c] !== 0) visit(c / 100, cents[c] as number);
      for (let i = 0; i < otherCount; i++) visit(others[i] as number, 1);
    });
  }
}
