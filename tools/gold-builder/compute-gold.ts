// Pure core of the builder: raw CSV text in, cleaned inputs' quality and the 9 gold tables out.
import { AppError } from '../../src/errors/app-error.js';
import { TOOL_ERROR_CODES } from '../shared/tool-errors.js';
import { CLIENT_COLUMNS, EARLIEST_DATE_MS, cleanClients } from './clean-clients.js';
import { PURCHASE_COLUMNS, cleanPurchases } from './clean-purchases.js';
import { buildClientFeatures, buildClientScores, buildDimClients } from './client-tables.js';
import { computeClientStats } from './client-stats.js';
import { readCsvColumns } from './csv-reader.js';
import { CalendarCache, buildFactTable } from './fact-table.js';
import type { GoldTable } from './gold-table.js';
import type { InputQuality } from './quality-report.js';
import { buildCohorts, buildSegmentSummary, revenueBy } from './summary-tables.js';

export interface GoldSources {
  readonly clientsCsv: string;
  readonly achatsCsv: string;
  /** Names used in messages (file paths). */
  readonly clientsName?: string;
  readonly achatsName?: string;
}

export interface GoldResult {
  /** The 9 tables, in catalog order. */
  readonly tables: readonly GoldTable[];
  readonly quality: readonly InputQuality[];
  /** ref = latest date_achat (epoch ms). */
  readonly referenceMs: number;
  /** Milliseconds per step, for the benchmark. */
  readonly timings: Readonly<Record<string, number>>;
}

export interface ComputeHooks {
  /** Called as soon as fact_achats is built, before the client tables (lets I/O start early). */
  readonly onFact?: (fact: GoldTable) => void;
}

/** `nowMs` bounds valid dates (GOLD_SPEC: dates lie in [2000-01-01, now]). */
export function computeGold(sources: GoldSources, nowMs: number, hooks: ComputeHooks = {}): GoldResult {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (step: string): void => {
    const t = performance.now();
    timings[step] = t - mark;
    mark = t;
  };
  const window = { min: EARLIEST_DATE_MS, max: nowMs };
  const clientsName = sources.clientsName ?? 'clients.csv';
  const achatsName = sources.achatsName ?? 'achats.csv';

  const rawClients = readCsvColumns(sources.clientsCsv, CLIENT_COLUMNS, clientsName);
  const rawAchats = readCsvColumns(sources.achatsCsv, PURCHASE_COLUMNS, achatsName);
  lap('parse');
  const { clients, quality: clientQuality } = cleanClients(rawClients.columns, rawClients.rows, window);
  const { purchases, quality: purchaseQuality } = cleanPurchases(rawAchats.columns, rawAchats.rows, clients, window);
  lap('clean');
  if (purchases.count === 0) {
    // Without a purchase there is no reference date, so no gold can be computed.
    throw new AppError(TOOL_ERROR_CODES.NO_PURCHASES, `build gold: no purchase of ${achatsName} survived cleaning (read ${rawAchats.rows} rows)`, {
      status: 2,
      details: { quality: [clientQuality, purchaseQuality] },
    });
  }

  const calendar = new CalendarCache();
  const fact = buildFactTable(purchases, clients, calendar);
  lap('fact_achats');
  hooks.onFact?.(fact);
  const stats = computeClientStats(purchases, clients.ids.length);
  const features = buildClientFeatures(clients, stats);
  const scores = buildClientScores(features);
  const dim = buildDimClients(clients, stats);
  lap('clients');
  const factCol = (name: string) => fact.columns.find((c) => c.name === name);
  const montant = factCol('montant');
  const mois = factCol('mois');
  const pays = factCol('pays');
  const produit = factCol('produit');
  if (montant?.type !== 'double' || mois?.type !== 'string' || pays?.type !== 'string' || produit?.type !== 'string') {
    throw new Error('fact_achats lacks montant/mois/pays/produit'); // unreachable: built just above
  }
  const keyed = (values: readonly (string | null)[]): string[] => values as string[];
  const tables: GoldTable[] = [
    fact,
    dim,
    features.table,
    scores.table,
    buildSegmentSummary(features, scores),
    revenueBy('ca_monthly', 'mois', keyed(mois.values), montant.values, 'key-asc'),
    revenueBy('ca_country', 'pays', keyed(pays.values), montant.values, 'ca-desc'),
    revenueBy('ca_product', 'produit', keyed(produit.values), montant.values, 'ca-desc'),
    buildCohorts(stats, purchases.client, purchases.montant, calendar),
  ];
  lap('aggregates');
  return { tables, quality: [clientQuality, purchaseQuality], referenceMs: stats.ref, timings };
}
