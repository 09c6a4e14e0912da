import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLES } from '../../../src/catalog/gold-catalog.js';
import { loadConfig } from '../../../src/config/config.js';
import { discoverTables } from '../../../publisher/sources/discover.js';
import { expectedRows, FIXTURES, readTableRows } from './expected-rows.js';

const tableNames = TABLES.map((t) => t.parquet ?? t.name);
const config = (dirs: string) => loadConfig({ LOCAL_GOLD_DIRS: dirs, LOG_LEVEL: 'silent' });

describe.each([
  ['pandas', 'file'],
  ['spark', 'folder'],
] as const)('the %s fixtures read from local folders', (layout, expectedLayout) => {
  it(`finds all ${tableNames.length} tables as ${expectedLayout}s`, async () => {
    const result = await discoverTables({ mode: 'local', config: config(`missing-dir:${layout}`), tables: tableNames, cwd: FIXTURES });
    expect(result.missing).toEqual([]);
    expect([...result.tables.keys()]).toEqual(tableNames);
    for (const source of result.tables.values()) {
      expect(source).toMatchObject({ origin: 'local', layout: expectedLayout, location: path.join(FIXTURES, layout, `${source.table}.parquet`) });
    }
    expect(result.notes).toEqual([`local folder ${path.join(FIXTURES, 'missing-dir')} does not exist; skipped`]);
  });

  it.each(tableNames)('decodes %s to exactly the rows DuckDB wrote', async (table) => {
    const result = await discoverTables({ mode: 'local', config: config(layout), tables: [table], cwd: FIXTURES });
    const source = result.tables.get(table);
    expect(source).toBeDefined();
    expect(await readTableRows(source!)).toEqual(await expectedRows(table));
  });
});

describe('the Spark fixture folders', () => {
  it('list only part files, in name order, several for the big tables', async () => {
    const result = await discoverTables({ mode: 'local', config: config('spark'), tables: ['fact_achats', 'dim_clients'], cwd: FIXTURES });
    const fact = result.tables.get('fact_achats');
    expect(fact?.files.length).toBe(3);
    const names = fact!.files.map((f) => path.basename(f.uri));
    expect(names.every((n) => n.startsWith('part-') && n.endsWith('.snappy.parquet'))).toBe(true);
    expect([...names].sort()).toEqual(names);
    expect(result.tables.get('dim_clients')?.files.length).toBe(2);
  });
});
