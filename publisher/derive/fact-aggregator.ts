// The views and KPI measures of fact_achats, accumulated in the same streaming pass that loads
// the table (no read-back from MongoDB): per-day and per-week sums/counts, the montant values
// for the distribution (as counts per amount, see amount-counts.ts: pandas' bins depend on the
// global min/max), total_ca, total_achats and the distinct clients. Money sums are exact to
// the cent when every amount is a whole number of cents (sums.ts). The single-thread and
// worker-parallel loads both feed one aggregator, rows in file order, so they agree exactly.
import { dayString, epochDay, mondayOf } from './calendar.js';
import { AmountCounts } from './amount-counts.js';
import { DistinctNumbers } from './distinct-numbers.js';
import type { DistributionBucket } from './distribution.js';
import { GroupSums, wholeCents } from './sums.js';

export interface PeriodRow {
  readonly key: string;
  readonly ca: number;
  readonly achats: number;
}

export interface FactTotals {
  readonly totalCa: number;
  readonly totalAchats: number;
  readonly totalClients: number;
}

export interface FactViews {
  readonly daily: readonly PeriodRow[];
  readonly weekly: readonly PeriodRow[];
  readonly distribution: readonly DistributionBucket[];
  readonly totals: FactTotals;
}

/** Sums keyed by an integer period (epoch day), with a last-key cache: facts arrive date-sorted. */
class PeriodSums {
  private readonly index = new Map<number, number>();
  private readonly keys: number[] = [];
  private readonly sums = new GroupSums();
  private lastKey = Number.NaN;
  private lastGroup = -1;

  add(key: number, x: number, cents: number): void {
    if (key !== this.lastKey) {
      let g = this.index.get(key);
      if (g === undefined) {
        g = this.sums.addGroup();
        this.index.set(key, g);
        this.keys.push(key);
      }
      this.lastKey = key;
      this.lastGroup = g;
    }
    this.sums.add(this.lastGroup, x, cents);
  }

  rows(): PeriodRow[] {
    return this.keys
      .map((key, g) => ({ day: key, g }))
      .sort((a, b) => a.day - b.day)
      .map(({ day, g }) => ({ key: dayString(day), ca: this.sums.sum(g), achats: this.sums.count(g) }));
  }
}

export class FactAggregator {
  private readonly daily = new PeriodSums();
  private readonly weekly = new PeriodSums();
  private readonly total = new GroupSums();
  private readonly clients = new DistinctNumbers();
  private readonly amounts = new AmountCounts();

  constructor() {
    this.total.addGroup();
  }

  /**
   * Adds the rows i of a batch with skip[i] === 0 (skip may be shorter than the batch only when
   * empty). Columns are the normalised date_achat (epoch ms), montant and id_client.
   */
  addBatch(n: number, dateMs: Float64Array, montant: Float64Array, client: Float64Array, skip: Uint8Array): void {
    const useSkip = skip.length >= n;
    let lastMs = Number.NaN;
    let day = 0;
    let monday = 0;
    for (let i = 0; i < n; i++) {
      if (useSkip && skip[i] === 1) continue;
      const ms = dateMs[i] as number;
      const x = montant[i] as number;
      if (ms !== lastMs) {
        lastMs = ms;
        day = epochDay(ms);
        monday = mondayOf(day);
      }
      // ca sums are exact to the cent while every amount is whole cents (see sums.ts); the
      // cents of a row are worked out once for its three sums.
      const cents = wholeCents(x);
      this.daily.add(day, x, cents);
      this.weekly.add(monday, x, cents);
      this.total.add(0, x, cents);
      this.clients.add(client[i] as number);
      this.amounts.add(x, cents);
    }
  }

  result(): FactViews {
    return {
      daily: this.daily.rows(),
      weekly: this.weekly.rows(),
      distribution: this.amounts.buckets(),
      totals: { totalCa: this.total.sum(0), totalAchats: this.amounts.size, totalClients: this.clients.size },
    };
  }
}
