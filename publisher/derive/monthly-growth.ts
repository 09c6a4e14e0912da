// gold_monthly_growth from ca_monthly (GOLD_SPEC §3): sorted by mois; prev_ca is the previous
// row's ca (null for the first), growth_abs = ca − prev_ca, growth_pct = growth_abs / prev_ca,
// null when prev_ca is null or 0. "Previous" is the previous row, as pandas' shift(1) does,
// not the previous calendar month.
// growth_abs is exact to the cent when both months' ca are whole cents (ca − prev_ca in doubles
// printed 257661.41000000003 on the seed data); when either has more than 2 decimals it is the
// plain difference, as before. growth_pct is a ratio and stays unrounded, computed from that
// growth_abs so the published fields agree. ca and prev_ca are ca_monthly's values as given.
import { moneyDifference } from './sums.js';

export interface MonthlyCa {
  readonly mois: string;
  readonly ca: number;
}

export interface MonthlyGrowth {
  readonly mois: string;
  readonly ca: number;
  readonly prev_ca: number | null;
  readonly growth_abs: number | null;
  readonly growth_pct: number | null;
}

export function monthlyGrowth(rows: readonly MonthlyCa[]): MonthlyGrowth[] {
  const sorted = [...rows].sort((a, b) => (a.mois < b.mois ? -1 : a.mois > b.mois ? 1 : 0));
  return sorted.map((row, i) => {
    const prev = i > 0 ? (sorted[i - 1] as MonthlyCa).ca : null;
    const growthAbs = prev === null ? null : moneyDifference(row.ca, prev);
    const growthPct = prev === null || prev === 0 || growthAbs === null ? null : growthAbs / prev;
    return { mois: row.mois, ca: row.ca, prev_ca: prev, growth_abs: growthAbs, growth_pct: growthPct };
  });
}
