// The `parquet` side of refresh_benchmark.json: the same dashboard round computed by reading gold
// Parquet files directly with hyparquet (what a consumer without the API would do).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import type { BasicType } from 'hyparquet-writer';
import { TABLES, type ColumnType } from '../src/catalog/gold-catalog.js';
import type { GoldData } from './api-gold-data.js';

const PARQUET_TYPES: Readonly<Record<ColumnType, BasicType>> = {
  int: 'INT32',
  double: 'DOUBLE',
  string: 'STRING',
  day: 'STRING',
  month: 'STRING',
  date: 'TIMESTAMP',
};

/** Writes each gold table of `data` as `<dir>/<table>.parquet` (Pandas single-file layout). */
export function writeGoldParquet(data: GoldData, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const table of TABLES) {
    const rows = data[table.name] ?? [];
    parquetWriteFile({
      filename: path.join(dir, `${table.parquet ?? table.name}.parquet`),
      columnData: table.columns.map((c) => ({ name: c.name, type: PARQUET_TYPES[c.type], nullable: true, data: rows.map((r) => r[c.name] ?? null) })),
    });
  }
}

type Row = Record<string, unknown>;

async function read(dir: string, table: string, columns?: string[]): Promise<Row[]> {
  const file = await asyncBufferFromFile(path.join(dir, `${table}.parquet`));
  return (await parquetReadObjects({ file, ...(columns ? { columns } : {}) })) as Row[];
}

const byDesc = (field: string) => (a: Row, b: Row) => (b[field] as number) - (a[field] as number);

/** The dashboard's round computed from the Parquet files; returns ms per endpoint. */
export async function parquetRound(dir: string): Promise<Record<string, number>> {
  const breakdown: Record<string, number> = {};
  const time = async (name: string, run: () => Promise<unknown>) => {
    const t = performance.now();
    await run();
    breakdown[name] = performance.now() - t;
  };
  await time('/kpis', async () => {
    const fact = await read(dir, 'fact_achats', ['montant', 'id_client']);
    const scores = await read(dir, 'client_scores', ['expected_value_12m']);
    const total = fact.reduce((a, r) => a + (r.montant as number), 0);
    return { total, clients: new Set(fact.map((r) => r.id_client)).size, expected: scores.reduce((a, r) => a + (r.expected_value_12m as number), 0) };
  });
  await time('/monthly', async () => (await read(dir, 'ca_monthly')).sort((a, b) => String(a.mois).localeCompare(String(b.mois))));
  await time('/by_country', async () => (await read(dir, 'ca_country')).sort(byDesc('ca')));
  await time('/by_product', async () => (await read(dir, 'ca_product')).sort(byDesc('ca')));
  await time('/segments', async () => (await read(dir, 'segment_summary')).sort(byDesc('expected_value_12m')));
  await time('/scores', async () => (await read(dir, 'client_scores')).sort(byDesc('expected_value_12m')).slice(0, 5000));
  await time('/distribution', async () => {
    const amounts = (await read(dir, 'fact_achats', ['montant'])).map((r) => r.montant as number);
    const lo = Math.min(...amounts);
    const hi = Math.max(...amounts);
    const counts = new Array<number>(12).fill(0);
    for (const a of amounts) counts[Math.min(11, Math.max(0, Math.ceil(((a - lo) / (hi - lo)) * 12) - 1))]!++;
    return counts;
  });
  await time('/cohort', async () => (await read(dir, 'cohort_first_purchase')).sort((a, b) => String(a.first_purchase_month).localeCompare(String(b.first_purchase_month))));
  return breakdown;
}
