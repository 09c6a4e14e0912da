// The builder's rules on a small hand-computed input: every drop reason, duplicates, a client
// without purchases, title-casing, the window boundary, day rounding, quantiles and segments.
import { describe, expect, test } from 'vitest';
import { computeGold, type GoldResult } from '../../../tools/gold-builder/compute-gold.js';
import type { GoldTable } from '../../../tools/gold-builder/gold-table.js';
import { CLIENT_DROP_REASONS as C, PURCHASE_DROP_REASONS as P } from '../../../tools/gold-builder/quality-report.js';

const CLIENTS = `id_client,nom,email,date_inscription,pays
1, Alice Martin ,ALICE@Example.COM ,2024-01-10,france
2,Bob,bob@example.com,2024-02-01,UK
3,Carl,carl@example.com,2023-05-05,north-rhine
2,Bobby,bobby@example.com,2024-03-01,Spain
x,NoId,x@example.com,2024-01-01,France
4,,d@example.com,2024-01-01,France
5,Eve,,2024-01-01,France
6,Fay,fay@example.com,2024-01-01,
7,Gus,gus@example.com,not-a-date,France
8,Hal,hal@example.com,1999-12-31,France
9,Ian,ian.example.com,2024-01-01,France
`;

const ACHATS = `id_achat,id_client,date_achat,montant,produit
1,1,2025-06-01 10:00:00,100.0,laptop
2,1,2025-06-01 09:00:00,50.5, 3d printer
3,2,2024-06-01 10:00:00,200,mouse
4,2,2024-06-01 09:59:59,10,MOUSE
a,1,2025-01-01 00:00:00,10,x
10,z,2025-01-01 00:00:00,10,x
11,1,2025-01-01 00:00:00,abc,x
12,1,,10,x
13,1,2025-01-01 00:00:00,10,
14,1,2025-13-01 00:00:00,10,x
15,1,2099-01-01 00:00:00,10,x
16,1,2025-01-01 00:00:00,0,x
17,1,2025-01-01 00:00:00,10000.01,x
18,99,2025-01-01 00:00:00,10,x
19,2,2025-01-01 00:00:00,10,x
19,2,2025-01-02 00:00:00,30,keyboard
`;

const NOW = Date.UTC(2026, 0, 1);
const ms = (iso: string) => Date.parse(`${iso}Z`);

function rows(table: GoldTable | undefined): Array<Record<string, unknown>> {
  if (!table) throw new Error('table missing');
  return Array.from({ length: table.rows }, (_, i) =>
    Object.fromEntries(
      table.columns.map((c) => {
        const v = c.values[i];
        return [c.name, typeof v === 'number' && Number.isNaN(v) ? null : v];
      }),
    ),
  );
}

describe('computeGold on a hand-computed example', () => {
  const gold: GoldResult = computeGold({ clientsCsv: CLIENTS, achatsCsv: ACHATS }, NOW);
  const table = (name: string) => rows(gold.tables.find((t) => t.name === name));

  test('writes the 9 gold tables in catalog order', () => {
    expect(gold.tables.map((t) => t.name)).toEqual([
      'fact_achats', 'dim_clients', 'client_features', 'client_scores', 'segment_summary',
      'ca_monthly', 'ca_country', 'ca_product', 'cohort_first_purchase',
    ]);
  });

  test('counts one drop per client rule, duplicates keeping the first by id', () => {
    const [clients] = gold.quality;
    expect(clients).toMatchObject({ input: 'clients', read: 11, kept: 3 });
    for (const reason of Object.values(C)) expect(clients?.dropped[reason], reason).toBe(1);
    expect(table('dim_clients').map((r) => r.nom)).toEqual(['Alice Martin', 'Bob', 'Carl']);
  });

  test('counts one drop per purchase rule (two for montant range), duplicates keeping the last', () => {
    const achats = gold.quality[1];
    expect(achats).toMatchObject({ input: 'achats', read: 16, kept: 5 });
    expect(achats?.dropped).toEqual({
      [P.idAchatNotNumeric]: 1, [P.idClientNotNumeric]: 1, [P.montantNotNumeric]: 1, [P.dateMissing]: 1,
      [P.produitMissing]: 1, [P.dateInvalid]: 1, [P.dateOutOfRange]: 1, [P.montantOutOfRange]: 2,
      [P.unknownClient]: 1, [P.duplicateId]: 1,
    });
    expect(table('fact_achats').find((r) => r.id_achat === 19)).toMatchObject({ montant: 30, produit: 'Keyboard' });
  });

  test('fact_achats: sorted by date, normalised text, calendar columns', () => {
    expect(table('fact_achats')).toEqual([
      { id_achat: 4, id_client: 2, date_achat: ms('2024-06-01T09:59:59'), montant: 10, produit: 'Mouse', pays: 'Uk', jour: '2024-06-01', mois: '2024-06', annee: 2024 },
      { id_achat: 3, id_client: 2, date_achat: ms('2024-06-01T10:00:00'), montant: 200, produit: 'Mouse', pays: 'Uk', jour: '2024-06-01', mois: '2024-06', annee: 2024 },
      { id_achat: 19, id_client: 2, date_achat: ms('2025-01-02T00:00:00'), montant: 30, produit: 'Keyboard', pays: 'Uk', jour: '2025-01-02', mois: '2025-01', annee: 2025 },
      { id_achat: 2, id_client: 1, date_achat: ms('2025-06-01T09:00:00'), montant: 50.5, produit: '3D Printer', pays: 'France', jour: '2025-06-01', mois: '2025-06', annee: 2025 },
      { id_achat: 1, id_client: 1, date_achat: ms('2025-06-01T10:00:00'), montant: 100, produit: 'Laptop', pays: 'France', jour: '2025-06-01', mois: '2025-06', annee: 2025 },
    ]);
    expect(gold.referenceMs).toBe(ms('2025-06-01T10:00:00'));
  });

  test('client_features: window includes ref − 365 days exactly, days round down, a client without purchases gets 365/0', () => {
    const ref = ms('2025-06-01T00:00:00');
    expect(table('client_features')).toEqual([
      { id_client: 1, freq_12m: 2, monetary_12m: 150.5, monetary_avg_12m: 75.25, product_diversity_12m: 2, last_purchase: ms('2025-06-01T10:00:00'), first_purchase: ms('2025-06-01T09:00:00'), recency_days: 0, tenure_days: 0, total_orders_all: 2, total_spend_all: 150.5, avg_order_value_all: 75.25, reference_date: ref },
      // purchase 3 sits exactly at ref − 365 days (in the window), purchase 4 one second before (out)
      { id_client: 2, freq_12m: 2, monetary_12m: 230, monetary_avg_12m: 115, product_diversity_12m: 2, last_purchase: ms('2025-01-02T00:00:00'), first_purchase: ms('2024-06-01T09:59:59'), recency_days: 150, tenure_days: 365, total_orders_all: 3, total_spend_all: 240, avg_order_value_all: 80, reference_date: ref },
      { id_client: 3, freq_12m: 0, monetary_12m: 0, monetary_avg_12m: 0, product_diversity_12m: 0, last_purchase: null, first_purchase: null, recency_days: 365, tenure_days: 0, total_orders_all: 0, total_spend_all: 0, avg_order_value_all: 0, reference_date: ref },
    ]);
  });

  test('client_scores: the score formula, months_active clipping and the first segment rule that holds', () => {
    // f = [1, 1, 0] (q95 = 2), r = [1, 1 − 150/365, 0], m = [150.5/230, 1, 0], d = [1, 1, 0]
    const p1 = 0.45 + 0.3 + 0.15 * (150.5 / 230) + 0.1;
    const p2 = 0.45 + 0.3 * (1 - 150 / 365) + 0.15 + 0.1;
    const scores = table('client_scores');
    expect(scores.map((s) => s.prob_reachat_12m)).toEqual([expect.closeTo(p1, 12), expect.closeTo(p2, 12), 0]);
    // client 1: tenure 0 → months_active 1; client 2: tenure 365 → 365/30
    expect(scores.map((s) => s.expected_value_12m)).toEqual([expect.closeTo(150.5 * 12 * p1, 9), expect.closeTo((230 / (365 / 30)) * 12 * p2, 9), 0]);
    expect(scores.map((s) => s.value_at_risk_12m)).toEqual([expect.closeTo(150.5 * (1 - p1), 9), expect.closeTo(230 * (1 - p2), 9), 0]);
    // mon_hi = q75(0, 150.5, 230) = 190.25; rec_lo = 75, rec_hi = 257.5; freq_hi = 2
    expect(scores.map((s) => s.segment_label)).toEqual(['Actifs', 'VIP', 'Dormants']);
  });

  test('segment_summary: one row per segment present, by expected value descending', () => {
    const summary = table('segment_summary');
    expect(summary.map((s) => [s.segment_label, s.clients, s.ca_12m, s.freq_med, s.recency_med])).toEqual([
      ['Actifs', 1, 150.5, 2, 0],
      ['VIP', 1, 230, 2, 150],
      ['Dormants', 1, 0, 0, 365],
    ]);
  });

  test('dim_clients: tenure from sign-up, nulls for a client who never bought', () => {
    expect(table('dim_clients')).toEqual([
      { id_client: 1, nom: 'Alice Martin', email: 'alice@example.com', pays: 'France', date_inscription: ms('2024-01-10T00:00:00'), first_purchase: ms('2025-06-01T09:00:00'), last_purchase: ms('2025-06-01T10:00:00'), recency_days: 0, tenure_days: 508, total_orders: 2, total_spend: 150.5, avg_order_value: 75.25, product_count: 2 },
      { id_client: 2, nom: 'Bob', email: 'bob@example.com', pays: 'Uk', date_inscription: ms('2024-02-01T00:00:00'), first_purchase: ms('2024-06-01T09:59:59'), last_purchase: ms('2025-01-02T00:00:00'), recency_days: 150, tenure_days: 486, total_orders: 3, total_spend: 240, avg_order_value: 80, product_count: 2 },
      { id_client: 3, nom: 'Carl', email: 'carl@example.com', pays: 'North-Rhine', date_inscription: ms('2023-05-05T00:00:00'), first_purchase: null, last_purchase: null, recency_days: 365, tenure_days: 758, total_orders: null, total_spend: null, avg_order_value: 0, product_count: null },
    ]);
  });

  test('revenue tables and cohorts', () => {
    expect(table('ca_monthly')).toEqual([{ mois: '2024-06', ca: 210 }, { mois: '2025-01', ca: 30 }, { mois: '2025-06', ca: 150.5 }]);
    expect(table('ca_country')).toEqual([{ pays: 'Uk', ca: 240 }, { pays: 'France', ca: 150.5 }]);
    expect(table('ca_product')).toEqual([{ produit: 'Mouse', ca: 210 }, { produit: 'Laptop', ca: 100 }, { produit: '3D Printer', ca: 50.5 }, { produit: 'Keyboard', ca: 30 }]);
    expect(table('cohort_first_purchase')).toEqual([
      { first_purchase_month: '2024-06', clients: 1, ca: 240 },
      { first_purchase_month: '2025-06', clients: 1, ca: 150.5 },
    ]);
  });

  test('no purchase left after cleaning is an error naming the file', () => {
    expect(() => computeGold({ clientsCsv: CLIENTS, achatsCsv: 'id_achat,id_client,date_achat,montant,produit\n1,99,2025-01-01,10,x\n' }, NOW)).toThrow(
      /no purchase of achats\.csv survived cleaning \(read 1 rows\)/,
    );
  });
});
