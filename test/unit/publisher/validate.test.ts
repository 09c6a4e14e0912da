import { describe, expect, it } from 'vitest';
import { datasetByName } from '../../../src/catalog/gold-catalog.js';
import { normaliseBatch, planTable } from '../../../publisher/normalise/normalise-batch.js';
import type { ParquetColumnInfo } from '../../../publisher/parquet/types.js';
import { NumberSet } from '../../../publisher/validate/number-set.js';
import { KeyTracker, numberSatisfies, validateBatch } from '../../../publisher/validate/rules.js';
import { ViolationLog, describeReport } from '../../../publisher/validate/violations.js';

const info = (name: string): ParquetColumnInfo => ({ name, physicalType: 'DOUBLE', nullable: true });

function check(table: string, raw: Record<string, unknown[]>, opts: { keys?: KeyTracker; log?: ViolationLog; rowOffset?: number } = {}) {
  const dataset = datasetByName(table);
  const plan = planTable(dataset, Object.keys(raw).map(info));
  const n = Object.values(raw)[0]?.length ?? 0;
  const log = opts.log ?? new ViolationLog(table, 5);
  log.beginBatch(`${table}.parquet`, opts.rowOffset ?? 0, n);
  const batch = normaliseBatch(plan, n, new Map(Object.entries(raw)), log);
  validateBatch(plan, batch, opts.keys ?? new KeyTracker(), log);
  return log;
}

const fact = (over: Partial<Record<string, unknown[]>> = {}) => ({
  id_achat: [1, 2, 3],
  id_client: [1, 1, 2],
  date_achat: [new Date('2026-01-01T10:00:00Z'), new Date('2026-01-02T10:00:00Z'), new Date('2026-01-03T10:00:00Z')],
  montant: [10, 20, 30],
  produit: ['a', 'b', 'c'],
  pays: ['France', 'France', 'Uk'],
  mois: ['2026-01', '2026-01', '2026-01'],
  ...over,
});

describe('value rules', () => {
  it('montant must be in (0, 10 000]', () => {
    expect([0, 0.01, 10_000, 10_000.01, -5].map((x) => numberSatisfies('montant', x))).toEqual([false, true, true, false, false]);
  });

  it('flags a negative, a zero and a too large montant, naming row and value', () => {
    const log = check('fact_achats', fact({ montant: [-1, 0, 10_000.5] }), { rowOffset: 100 });
    const report = log.report();
    expect(report.invalidRows).toBe(3);
    expect(report.counts).toEqual([{ column: 'montant', rule: 'montant', count: 3 }]);
    expect(report.samples.map((s) => [s.row, s.value])).toEqual([[100, -1], [101, 0], [102, 10_000.5]]);
    expect(describeReport(report)[0]).toBe('fact_achats.montant montant: 3 row(s) (first: fact_achats.parquet row 100 value -1)');
  });

  it('flags null in a non-nullable column the file carries', () => {
    const report = check('fact_achats', fact({ pays: ['France', null, 'Uk'] })).report();
    expect(report.counts).toEqual([{ column: 'pays', rule: 'null', count: 1 }]);
  });

  it('counts a value that could not be converted once, under its conversion rule, not also as null', () => {
    const report = check('fact_achats', fact({ montant: [10, '12,50', 30], date_achat: [new Date('2026-01-01T10:00:00Z'), 'March 7', new Date('2026-01-03T10:00:00Z')], pays: ['France', null, 'Uk'] })).report();
    expect(report.counts).toEqual([
      { column: 'date_achat', rule: 'type', count: 1 },
      { column: 'montant', rule: 'type', count: 1 },
      { column: 'pays', rule: 'null', count: 1 },
    ]);
    expect(report.invalidRows).toBe(1);
  });

  it('flags jour, mois and annee that contradict date_achat (UTC) as calendar, leaving consistent and derived ones alone', () => {
    const report = check('fact_achats', fact({ jour: ['2026-01-01', '2026-01-03', null], mois: ['2026-01', '2026-01', '2025-12'], annee: [2026, 2026, 2025] })).report();
    expect(report.counts).toEqual([
      { column: 'jour', rule: 'calendar', count: 1 },
      { column: 'mois', rule: 'calendar', count: 1 },
      { column: 'annee', rule: 'calendar', count: 1 },
    ]);
    expect(report.samples.map((s) => [s.row, s.column])).toEqual([[1, 'jour'], [2, 'mois'], [2, 'annee']]);
  });

  it('allows an optional column the file does not carry to be all null', () => {
    const log = check('client_features', {
      id_client: [1], freq_12m: [0], monetary_12m: [0], monetary_avg_12m: [0], product_diversity_12m: [0], recency_days: [365], tenure_days: [0],
    });
    expect(log.totalInvalidRows).toBe(0);
  });

  it('checks probabilities, segment labels and non-negative amounts', () => {
    const report = check('client_scores', {
      id_client: [1, 2, 3],
      prob_reachat_12m: [0.5, 1.2, 0],
      expected_value_12m: [1, 2, -3],
      value_at_risk_12m: [0, 0, 0],
      segment_label: ['VIP', 'Dormants', 'Gold'],
      recency_days: [1, 2, 3],
      freq_12m: [1, 1, 1],
      monetary_12m: [1, 1, 1],
    }).report();
    expect(report.counts.map((c) => `${c.column}:${c.rule}:${c.count}`).sort()).toEqual(['expected_value_12m:nonNegative:1', 'prob_reachat_12m:probability:1', 'segment_label:segment:1']);
    expect(report.invalidRows).toBe(2);
  });

  it('flags a repeated key across batches and keeps the first occurrence', () => {
    const keys = new KeyTracker();
    const log = new ViolationLog('fact_achats');
    check('fact_achats', fact(), { keys, log });
    expect(log.totalInvalidRows).toBe(0);
    check('fact_achats', fact({ id_achat: [4, 2, 4] }), { keys, log, rowOffset: 3 });
    expect(log.report().counts).toEqual([{ column: 'id_achat', rule: 'unique', count: 2 }]);
    expect([...log.mask.subarray(0, 3)]).toEqual([0, 1, 1]);
  });

  it('does not let a row dropped for another rule claim its key', () => {
    const keys = new KeyTracker();
    const log = check('fact_achats', fact({ id_achat: [5, 5, 6], montant: [-1, 10, 10] }), { keys });
    expect(log.report().counts).toEqual([{ column: 'montant', rule: 'montant', count: 1 }]);
  });

  it('keeps at most the sample limit but counts every violation', () => {
    const log = new ViolationLog('fact_achats', 2);
    log.beginBatch('f', 0, 10);
    for (let i = 0; i < 10; i++) log.add(i, 'montant', 'montant', -i);
    const report = log.report();
    expect(report.samples).toHaveLength(2);
    expect(report.counts[0]?.count).toBe(10);
    expect(report.invalidRows).toBe(10);
  });
});

describe('NumberSet', () => {
  it('behaves like a Set of numbers through growth', () => {
    const set = new NumberSet(4);
    const ref = new Set<number>();
    let seed = 12345;
    let disagreements = 0;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const key = i % 3 === 0 ? seed : i % 3 === 1 ? seed / 7 : -(seed % 5000);
      if (set.add(key) === ref.has(key)) disagreements++;
      ref.add(key);
    }
    expect(disagreements).toBe(0);
    expect(set.size).toBe(ref.size);
    expect(set.has(0.5)).toBe(ref.has(0.5));
  });

  it('treats 0 and -0 as the same key', () => {
    const set = new NumberSet();
    expect(set.add(0)).toBe(true);
    expect(set.add(-0)).toBe(false);
  });
});
