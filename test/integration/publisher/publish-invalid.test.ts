// Bad gold inputs: the default policy fails the publish with a report naming table, column,
// row and value and swaps nothing; `--on-invalid skip` drops the bad rows and counts them per
// rule; unreadable files and missing columns fail with exit-2 errors whatever the policy.
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYSTEM_COLLECTIONS } from '../../../src/catalog/gold-catalog.js';
import { exitCodeOf } from '../../../publisher/summary.js';
import type { TableSummary } from '../../../publisher/types.js';
import { sharedPath } from '../../support/paths.js';
import { copyFixtures, publishFrom, tempDir, truncatedCopy, writeWithDuckDb } from './gold-inputs.js';
import { publishFailure, servedBaseline } from './served-baseline.js';

const baseline = servedBaseline('publisher-invalid');
const failure = publishFailure;
const expectUntouched = () => baseline.expectStillServed();

const BAD_FACT_SQL = `SELECT * REPLACE (
    CASE WHEN id_achat = 3 THEN -12.5 WHEN id_achat = 7 THEN 10000.01 ELSE montant END AS montant,
    CASE WHEN id_achat = 9 THEN 8 ELSE id_achat END AS id_achat)
  FROM {src} ORDER BY id_achat`;

describe('invalid rows', () => {
  it('fail the publish by default with a report naming table, column, row and value, swapping nothing', async () => {
    const { dir, remove } = await tempDir('bad-rows');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', BAD_FACT_SQL);
      const error = await failure(publishFrom(baseline.t.db, [dir], { force: true }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(exitCodeOf(error)).toBe(2);
      expect(error.message).toMatch(/fact_achats\.montant montant: 2 row\(s\) \(first: .*fact_achats\.parquet row 2 value -12\.5\)/);
      const fact = (error.details as { tables: Record<string, TableSummary> }).tables.fact_achats;
      expect(fact?.violations.counts).toEqual([
        { column: 'montant', rule: 'montant', count: 2 },
        { column: 'id_achat', rule: 'unique', count: 1 },
      ]);
      expect(fact?.violations.samples).toEqual([
        expect.objectContaining({ table: 'fact_achats', row: 2, column: 'montant', value: -12.5 }),
        expect.objectContaining({ row: 6, column: 'montant', value: 10000.01 }),
        expect.objectContaining({ row: 8, column: 'id_achat', rule: 'unique', value: 8 }),
      ]);
      await expectUntouched();
    } finally {
      await remove();
    }
  });

  it('fail the publish when jour, mois or annee contradict date_achat, naming the row and both values', async () => {
    const { dir, remove } = await tempDir('calendar-rows');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(
        dir,
        'fact_achats',
        `SELECT * REPLACE (
          CASE WHEN id_achat = 5 THEN '2019-01-01' ELSE jour END AS jour,
          CASE WHEN id_achat = 11 THEN '2019-01' ELSE mois END AS mois,
          CASE WHEN id_achat = 12 THEN annee - 1 ELSE annee END AS annee)
        FROM {src} ORDER BY id_achat`,
      );
      const error = await failure(publishFrom(baseline.t.db, [dir], { force: true }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(exitCodeOf(error)).toBe(2);
      const fact = (error.details as { tables: Record<string, TableSummary> }).tables.fact_achats;
      expect(fact?.violations.counts).toEqual([
        { column: 'jour', rule: 'calendar', count: 1 },
        { column: 'mois', rule: 'calendar', count: 1 },
        { column: 'annee', rule: 'calendar', count: 1 },
      ]);
      expect(fact?.violations.samples[0]).toMatchObject({ row: 4, column: 'jour', rule: 'calendar', value: expect.stringMatching(/^2019-01-01 \(date_achat \d{4}-\d{2}-\d{2}T/) });
      await expectUntouched();
    } finally {
      await remove();
    }
  });

  it('are dropped and counted per rule with --on-invalid skip', async () => {
    const { dir, remove } = await tempDir('skip-rows');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', BAD_FACT_SQL);
      const summary = await publishFrom(baseline.t.db, [dir], { force: true, onInvalid: 'skip' });
      expect(summary.status).toBe('published');
      expect(summary.tables.fact_achats).toMatchObject({ rows: 400, rejected: 3 });
      expect(summary.collections.gold_fact_achats).toBe(397);
      const ids = (await baseline.t.db.collection('gold_fact_achats').find({ _id: { $in: [3, 7, 8] } as never }).toArray()).map((d) => d._id);
      expect(ids, 'the first id 8 is kept, the duplicate and the bad amounts dropped').toEqual([8]);
      const kpis = await baseline.t.db.collection('gold_kpis').findOne({});
      expect(kpis?.total_achats).toBe(397);
      const meta = await baseline.t.db.collection(SYSTEM_COLLECTIONS.meta).findOne({ _id: 'current' as never });
      expect(meta?.tables.fact_achats.rejected).toBe(3);
    } finally {
      await remove();
      await baseline.republish();
    }
  });

  it('are all reported by --check, which writes nothing', async () => {
    const { dir, remove } = await tempDir('check');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', BAD_FACT_SQL);
      await writeWithDuckDb(dir, 'client_scores', "SELECT * REPLACE (CASE WHEN id_client = 1 THEN 1.5 ELSE prob_reachat_12m END AS prob_reachat_12m, CASE WHEN id_client = 2 THEN 'Gold' ELSE segment_label END AS segment_label) FROM {src}");
      const summary = await publishFrom(baseline.t.db, [dir], { check: true });
      expect(summary).toMatchObject({ status: 'checked', valid: false, version: null });
      expect(summary.tables.fact_achats?.rejected).toBe(3);
      expect(summary.tables.client_scores?.violations.counts).toEqual(
        expect.arrayContaining([
          { column: 'prob_reachat_12m', rule: 'probability', count: 1 },
          { column: 'segment_label', rule: 'segment', count: 1 },
        ]),
      );
      expect(summary.tables.dim_clients?.rejected).toBe(0);
      await expectUntouched();
    } finally {
      await remove();
    }
  });
});

describe('unusable files', () => {
  it('a missing required column fails with COLUMN_MISSING naming the file and column', async () => {
    const { dir, remove } = await tempDir('no-column');
    try {
      await copyFixtures(dir);
      await writeWithDuckDb(dir, 'fact_achats', 'SELECT * EXCLUDE (montant) FROM {src}');
      const error = await failure(publishFrom(baseline.t.db, [dir], { force: true, onInvalid: 'skip' }));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(exitCodeOf(error)).toBe(2);
      expect(error.message).toMatch(/fact_achats.*lacks required column\(s\) montant/);
      const fact = (error.details as { tables: Record<string, TableSummary> }).tables.fact_achats;
      expect(fact?.error).toMatchObject({ code: 'COLUMN_MISSING', details: { missing: ['montant'] } });
      await expectUntouched();
    } finally {
      await remove();
    }
  });

  it('a truncated file fails with PARQUET_INVALID naming the file', async () => {
    const { dir, remove } = await tempDir('truncated');
    try {
      await copyFixtures(dir);
      await truncatedCopy(dir, 'fact_achats', 0.6);
      const error = await failure(publishFrom(baseline.t.db, [dir], { force: true }));
      expect(exitCodeOf(error)).toBe(2);
      const fact = (error.details as { tables: Record<string, TableSummary> }).tables.fact_achats;
      expect(fact?.error?.code).toBe('PARQUET_INVALID');
      expect(error.message).toMatch(/fact_achats\.parquet/);
      await expectUntouched();
    } finally {
      await remove();
    }
  });

  const { path: badData, present: hasBadData } = sharedPath('the parquet-testing bad_data case', 'data', 'parquet-testing', 'bad_data');
  it.skipIf(!hasBadData)('a parquet-testing bad_data file in place of fact_achats fails with exit 2', async () => {
    const { dir, remove } = await tempDir('bad-data');
    try {
      await copyFixtures(dir, 'pandas', ['ca_monthly']);
      await cp(path.join(badData, 'PARQUET-1481.parquet'), path.join(dir, 'fact_achats.parquet'));
      const error = await failure(publishFrom(baseline.t.db, [dir], { force: true }));
      expect(exitCodeOf(error)).toBe(2);
      expect(error.message).toMatch(/fact_achats/);
      await expectUntouched();
    } finally {
      await remove();
    }
  });
});
