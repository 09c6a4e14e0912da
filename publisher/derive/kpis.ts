// The KPI document (GOLD_SPEC §3, KPI_DOCUMENT): one document so /kpis is a single read.
import type { FactTotals } from './fact-aggregator.js';

export const KPI_ID = 'kpis';

export interface KpiDocument {
  readonly _id: typeof KPI_ID;
  readonly total_ca: number;
  readonly total_achats: number;
  readonly total_clients: number;
  readonly panier_moyen: number;
  readonly expected_total: number | null;
  readonly dataset_size: number;
}

/**
 * `expectedTotal` is Σ expected_value_12m over client_scores, null when that table is absent.
 * total_ca comes exact to the cent from the aggregator (sums.ts); panier_moyen is a mean, not a
 * money sum, so it is not rounded to the cent (GOLD_SPEC §3: total_ca / total_achats).
 */
export function kpiDocument(totals: FactTotals, expectedTotal: number | null): KpiDocument {
  return {
    _id: KPI_ID,
    total_ca: totals.totalCa,
    total_achats: totals.totalAchats,
    total_clients: totals.totalClients,
    panier_moyen: totals.totalAchats === 0 ? 0 : totals.totalCa / totals.totalAchats,
    expected_total: expectedTotal,
    dataset_size: totals.totalAchats,
  };
}
