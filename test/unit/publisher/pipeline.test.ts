// The pipeline driven by tiny in-memory fakes of the Parquet edge and the sinks (no I/O).
import { describe, expect, it } from 'vitest';
import type { Document } from 'mongodb';
import type { SinkFactory } from '../../../publisher/load/sink.js';
import type { ParquetBatch, ParquetColumnInfo, ParquetSchemaInfo } from '../../../publisher/parquet/types.js';
import { runPipeline } from '../../../publisher/pipeline.js';
import type { DiscoveryResult, ParquetFile, TableSource } from '../../../publisher/sources/types.js';
import type { ParquetReader } from '../../../publisher/types.js';

type Columns = Record<string, unknown[]>;

/** A "file" whose content is columns in memory, read back in batches of `batch` rows. */
function fakeFile(uri: string, columns: Columns): ParquetFile & { columns: Columns } {
  return { uri, size: 1, version: 'v1', columns, open: () => Promise.reject(new Error('not used')) };
}

const reader = (batch: number): ParquetReader => ({
  async readSchema(file) {
    const columns = (file as ReturnType<typeof fakeFile>).columns;
    const infos: ParquetColumnInfo[] = Object.keys(columns).map((name) => ({ name, physicalType: 'X', nullable: true }));
    return { numRows: Object.values(columns)[0]?.length ?? 0, rowGroups: 1, columns: infos } satisfies ParquetSchemaInfo;
  },
  async *readBatches(file, opts): AsyncGenerator<ParquetBatch> {
    const columns = (file as ReturnType<typeof fakeFile>).columns;
    const n = Object.values(columns)[0]?.length ?? 0;
    for (let start = 0; start < n; start += batch) {
      const end = Math.min(n, start + batch);
      const out = new Map((opts?.columns ?? Object.keys(columns)).map((c) => [c, (columns[c] ?? []).slice(start, end)] as const));
      yield { rowOffset: start, numRows: end - start, columns: out };
    }
  },
});

function discovery(tables: Record<string, Columns[]>): DiscoveryResult {
  const map = new Map<string, TableSource>();
  for (const [table, files] of Object.entries(tables)) {
    map.set(table, { table, origin: 'local', location: `/gold/${table}.parquet`, layout: files.length > 1 ? 'folder' : 'file', files: files.map((c, i) => fakeFile(`/gold/${table}.parquet/part-${i}.parquet`, c)) });
  }
  return { tables: map, missing: [], notes: [] };
}

function capture(): SinkFactory & { written: Map<string, Document[]> } {
  const written = new Map<string, Document[]>();
  return {
    written,
    async open(collection) {
      const docs: Document[] = [];
      written.set(collection, docs);
      return { write: async (batch) => void docs.push(...batch), close: async () => docs.length };
    },
  };
}

const fact = (ids: number[], montants: number[]): Columns => ({
  id_achat: ids,
  id_client: ids.map((i) => i % 2),
  date_achat: ids.map((i) => new Date(Date.UTC(2026, 0, i))),
  montant: montants,
  produit: ids.map(() => 'Four'),
  pays: ids.map(() => 'France'),
  mois: ids.map(() => '2026-01'),
});

describe('the publish pipeline', () => {
  it('streams a multi-file table in batches and derives every view and the KPIs', async () => {
    const sinks = capture();
    const result = await runPipeline(
      discovery({
        fact_achats: [fact([1, 2, 3], [10, 20, 30]), fact([4, 5], [40, 50])],
        ca_monthly: [{ mois: ['2026-02', '2026-01'], ca: [150, 100] }],
        client_scores: [{ id_client: [1, 2], prob_reachat_12m: [0.5, 0.5], expected_value_12m: [1.5, 2.5], value_at_risk_12m: [0, 0], segment_label: ['VIP', 'VIP'], recency_days: [1, 1], freq_12m: [1, 1], monetary_12m: [1, 1] }],
      }),
      reader(2),
      sinks,
      { onInvalid: 'fail' },
    );
    expect(result.ok).toBe(true);
    expect(result.tables.fact_achats).toMatchObject({ rows: 5, rejected: 0, layout: 'folder' });
    expect(sinks.written.get('gold_fact_achats')?.map((d) => d._id)).toEqual([1, 2, 3, 4, 5]);
    expect(sinks.written.get('gold_daily')).toHaveLength(5);
    expect(sinks.written.get('gold_weekly')?.map((d) => [d.semaine, d.achats])).toEqual([['2025-12-29', 4], ['2026-01-05', 1]]);
    expect(sinks.written.get('gold_distribution')).toHaveLength(12);
    expect(sinks.written.get('gold_kpis')).toEqual([{ _id: 'kpis', total_ca: 150, total_achats: 5, total_clients: 2, panier_moyen: 30, expected_total: 4, dataset_size: 5 }]);
    expect(sinks.written.get('gold_monthly_growth')?.map((d) => [d._id, d.prev_ca, d.growth_pct])).toEqual([['2026-01', null, null], ['2026-02', 100, 0.5]]);
    expect(result.collections.gold_fact_achats).toBe(5);
  });

  it('under fail: stops writing at the first violation, still counts all, derives nothing', async () => {
    const sinks = capture();
    const result = await runPipeline(discovery({ fact_achats: [fact([1, 2, 3, 4, 5, 6], [10, -1, 30, 40, 0, 60])] }), reader(2), sinks, { onInvalid: 'fail' });
    expect(result.ok).toBe(false);
    expect(result.tables.fact_achats?.rejected).toBe(2);
    expect(result.tables.fact_achats?.violations.samples.map((s) => [s.file, s.row])).toEqual([['/gold/fact_achats.parquet/part-0.parquet', 1], ['/gold/fact_achats.parquet/part-0.parquet', 4]]);
    expect(sinks.written.get('gold_fact_achats')?.map((d) => d._id)).toEqual([]);
    expect(sinks.written.has('gold_kpis')).toBe(false);
  });

  it('under skip: drops bad rows from the collection and from the views', async () => {
    const sinks = capture();
    const result = await runPipeline(discovery({ fact_achats: [fact([1, 2, 3, 3], [10, -1, 30, 40])] }), reader(3), sinks, { onInvalid: 'skip' });
    expect(result.ok).toBe(true);
    expect(sinks.written.get('gold_fact_achats')?.map((d) => [d._id, d.montant])).toEqual([[1, 10], [3, 30]]);
    expect(sinks.written.get('gold_kpis')?.[0]).toMatchObject({ total_ca: 40, total_achats: 2, expected_total: null });
    expect(sinks.written.has('gold_monthly_growth')).toBe(false);
  });
});
