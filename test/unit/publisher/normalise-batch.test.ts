import { describe, expect, it } from 'vitest';
import { datasetByName } from '../../../src/catalog/gold-catalog.js';
import { buildDocuments } from '../../../publisher/load/documents.js';
import { normaliseBatch, planTable, timeUnitOf } from '../../../publisher/normalise/normalise-batch.js';
import type { ParquetColumnInfo } from '../../../publisher/parquet/types.js';
import { ViolationLog } from '../../../publisher/validate/violations.js';

const FACT = datasetByName('fact_achats');
const col = (name: string, physicalType = 'INT64', extra: Partial<ParquetColumnInfo> = {}): ParquetColumnInfo => ({ name, physicalType, nullable: true, ...extra });
const factColumns = ['id_achat', 'id_client', 'date_achat', 'montant', 'produit', 'pays', 'mois'].map((n) => col(n));

function run(raw: Record<string, ArrayLike<unknown>>, n: number, columns = factColumns) {
  const plan = planTable(FACT, columns);
  const log = new ViolationLog('fact_achats');
  log.beginBatch('f.parquet', 0, n);
  const batch = normaliseBatch(plan, n, new Map(Object.entries(raw)), log);
  return { plan, batch, log };
}

const d = (iso: string): Date => new Date(`${iso}Z`);

describe('batch normalisation', () => {
  it('builds documents with every catalog column, _id = key, and jour/annee derived from date_achat', () => {
    const { plan, batch, log } = run(
      {
        id_achat: new BigInt64Array([7n, 8n]),
        id_client: [1n, 2n],
        date_achat: [d('2025-12-31T23:59:59'), d('2026-01-01T00:00:00')],
        montant: new Float64Array([10.5, 20]),
        produit: ['Mouse', 'Tv'],
        pays: ['France', null],
        mois: ['2025-12', '2026-01'],
      },
      2,
    );
    expect(log.totalInvalidRows).toBe(0);
    const docs = buildDocuments(plan, batch, new Uint8Array(0));
    expect(docs).toEqual([
      { _id: 7, id_achat: 7, id_client: 1, date_achat: d('2025-12-31T23:59:59'), montant: 10.5, produit: 'Mouse', pays: 'France', jour: '2025-12-31', mois: '2025-12', annee: 2025 },
      { _id: 8, id_achat: 8, id_client: 2, date_achat: d('2026-01-01T00:00:00'), montant: 20, produit: 'Tv', pays: null, jour: '2026-01-01', mois: '2026-01', annee: 2026 },
    ]);
    expect(Object.keys(docs[0] ?? {})).toEqual(['_id', ...FACT.columns.map((c) => c.name)]);
  });

  it('keeps a jour given by the file (Spark DATE) and derives only the nulls', () => {
    const columns = [...factColumns, col('jour', 'INT32', { logicalType: 'DATE' })];
    const { plan, batch } = run(
      {
        id_achat: [1, 2], id_client: [1, 1], date_achat: [d('2026-01-05T10:00:00'), d('2026-01-06T10:00:00')], montant: [1, 2],
        produit: ['a', 'b'], pays: ['x', 'y'], mois: ['2026-01', '2026-01'], jour: [new Date(Date.UTC(2026, 0, 5)), null],
      },
      2,
      columns,
    );
    expect(buildDocuments(plan, batch, new Uint8Array(0)).map((doc) => doc.jour)).toEqual(['2026-01-05', '2026-01-06']);
  });

  it('reports unconvertible cells with the file row and leaves them null', () => {
    const { batch, log } = run(
      { id_achat: [1n, 2n ** 60n], id_client: [1, 2.5], date_achat: [d('2026-01-05T10:00:00'), 'not a date'], montant: [1, 2], produit: ['a', 7], pays: ['x', 'y'], mois: ['2026-01', '2026/01'] },
      2,
    );
    const report = log.report();
    expect(report.invalidRows).toBe(1);
    expect(report.counts.map((c) => `${c.column}:${c.rule}`).sort()).toEqual(['date_achat:type', 'id_achat:int64_range', 'id_client:not_integer', 'mois:format', 'produit:type']);
    expect(report.samples[0]).toMatchObject({ table: 'fact_achats', file: 'f.parquet', row: 1, column: 'id_achat', value: String(2n ** 60n) });
    const ids = batch.columns[0];
    expect(ids?.kind).toBe('number');
    expect(ids?.kind === 'number' && ids.values[1]).toBeNaN();
  });

  it('lists required columns the file lacks, but not derivable ones', () => {
    const plan = planTable(FACT, factColumns.filter((c) => c.name !== 'montant' && c.name !== 'pays'));
    expect(plan.missingRequired).toEqual(['montant', 'pays']);
    expect(plan.read).not.toContain('jour');
  });

  it('reads the timestamp unit from the Parquet annotations', () => {
    expect(timeUnitOf(col('t', 'INT96'))).toBe('int96');
    expect(timeUnitOf(col('t', 'INT64', { logicalType: 'TIMESTAMP(NANOS)' }))).toBe('ns');
    expect(timeUnitOf(col('t', 'INT64', { convertedType: 'TIMESTAMP_MICROS' }))).toBe('us');
    expect(timeUnitOf(col('t', 'INT64', { logicalType: 'TIMESTAMP(MILLIS)' }))).toBe('ms');
  });
});
