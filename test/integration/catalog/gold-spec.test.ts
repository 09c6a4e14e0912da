// Reads the data contract itself (../shared/GOLD_SPEC.md §2) and checks the catalog against it,
// so a change of the contract that the catalog does not follow fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATASETS, datasetByName } from '../../../src/catalog/gold-catalog.js';
import { sharedPath } from '../../support/paths.js';

const { path: specPath, present: haveSpec } = sharedPath('the catalog-against-GOLD_SPEC.md tests', 'GOLD_SPEC.md');

interface SpecRow {
  source: string;
  collection: string;
  columns: string[];
  unique: string;
  endpoints: string[];
}

function parseTable(markdown: string): SpecRow[] {
  const section = markdown.split(/^## 2\./m)[1]?.split(/^## 3\./m)[0] ?? '';
  const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Parquet') && !l.startsWith('| ---'));
  return rows.map((line) => {
    const [source = '', collection = '', columns = '', endpoint = ''] = line.split('|').slice(1).map((c) => c.trim());
    const unique = /(\w+) \(unique/.exec(columns)?.[1] ?? '';
    const names = columns
      .replace(/\([^)]*\)/g, '')
      .replace(/`[^`]*`/g, '')
      .split(/[,+]/)
      .map((c) => c.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean);
    const endpoints = endpoint.match(/\/\w+/g) ?? [];
    return { source, collection, columns: names, unique, endpoints };
  });
}

describe.skipIf(!haveSpec)('the catalog against GOLD_SPEC.md §2', () => {
  const rows = haveSpec ? parseTable(readFileSync(specPath, 'utf8')) : [];

  it('finds the thirteen collections of the spec table', () => {
    expect(rows).toHaveLength(13);
    expect(rows.map((r) => r.collection).sort()).toEqual(DATASETS.map((d) => d.collection).sort());
  });

  it('has the same unique key for every collection', () => {
    const featuresKey = rows.find((r) => r.collection === datasetByName('client_features').collection)?.unique;
    for (const row of rows) {
      const spec = DATASETS.find((d) => d.collection === row.collection);
      // client_scores inherits its key with "every client_features column".
      const unique = row.unique || (row.columns.includes('every') ? featuresKey : undefined);
      expect(spec?.uniqueKey, row.collection).toEqual([unique]);
    }
  });

  it('has the same columns for every collection', () => {
    const features = datasetByName('client_features').columns.map((c) => c.name);
    for (const row of rows) {
      const spec = DATASETS.find((d) => d.collection === row.collection);
      // "every client_features column + …" in the spec is expanded from the client_features row.
      const expected = row.columns.flatMap((c) => (c === 'every' ? features : [c]));
      expect(spec?.columns.map((c) => c.name).sort(), row.collection).toEqual([...new Set(expected)].sort());
    }
  });

  it('maps Parquet tables and serving endpoints as the spec does', () => {
    for (const row of rows) {
      const spec = DATASETS.find((d) => d.collection === row.collection);
      if (!row.source.startsWith('derived')) expect(spec?.parquet, row.collection).toBe(row.source);
      else expect(spec?.kind).toBe('view');
      // /kpis is served from the KPI document, not from the collection itself.
      const own = row.endpoints.filter((e) => e !== '/kpis');
      const ownByRow = own.filter((e) => DATASETS.find((d) => d.endpoint?.path === e)?.collection === row.collection);
      if (spec?.endpoint) expect(ownByRow, row.collection).toContain(spec.endpoint.path);
    }
  });
});
