import { describe, expect, it } from 'vitest';
import { isPartFileName, normalisePrefix, sortByName, tableEntryName } from '../../../publisher/sources/names.js';
import { pickTableObjects } from '../../../publisher/sources/s3-discovery.js';
import type { ListedObject } from '../../../publisher/sources/s3-discovery.js';

describe('part file names', () => {
  it('accepts Spark part files whatever their codec infix', () => {
    expect(isPartFileName('part-00000-6089fae2-6854-4495-a7d6-215455f45eab-c000.snappy.parquet')).toBe(true);
    expect(isPartFileName('part-00012.parquet')).toBe(true);
    expect(isPartFileName('part-00001-x.zstd.parquet')).toBe(true);
  });

  it('ignores Spark/Hadoop bookkeeping, hidden and underscore files, and non-parquet files', () => {
    for (const name of ['_SUCCESS', '_committed_123', '_started_123', '.part-00000-x.snappy.parquet.crc', 'part-00000-x.snappy.parquet.crc', '.hidden.parquet', '_tmp.parquet', 'part-00000.csv', 'data.parquet', '']) {
      expect(isPartFileName(name), name).toBe(false);
    }
  });

  it('sorts by name in code-unit order, like S3 listings', () => {
    const sorted = sortByName([{ name: 'part-00010.parquet' }, { name: 'part-00002.parquet' }, { name: 'part-00001.parquet' }]);
    expect(sorted.map((s) => s.name)).toEqual(['part-00001.parquet', 'part-00002.parquet', 'part-00010.parquet']);
  });

  it('normalises GOLD_PREFIX to empty or one trailing slash', () => {
    expect(normalisePrefix('')).toBe('');
    expect(normalisePrefix('/')).toBe('');
    expect(normalisePrefix('spark')).toBe('spark/');
    expect(normalisePrefix('/spark//')).toBe('spark/');
    expect(normalisePrefix('a/b/')).toBe('a/b/');
  });

  it('names a table entry <table>.parquet', () => {
    expect(tableEntryName('fact_achats')).toBe('fact_achats.parquet');
  });
});

const obj = (key: string, size = 10): ListedObject => ({ key, size, etag: `e-${key}` });

describe('picking a table out of an S3 listing', () => {
  it('takes the single object of the Pandas layout', () => {
    const picked = pickTableObjects('', 'ca_country', [obj('ca_country.parquet')]);
    expect(picked).toMatchObject({ layout: 'file', key: 'ca_country.parquet' });
  });

  it('takes only the direct part files of the Spark folder, sorted', () => {
    const picked = pickTableObjects('spark/', 'fact_achats', [
      obj('spark/fact_achats.parquet/_SUCCESS'),
      obj('spark/fact_achats.parquet/part-00001-a.snappy.parquet'),
      obj('spark/fact_achats.parquet/.part-00001-a.snappy.parquet.crc'),
      obj('spark/fact_achats.parquet/part-00000-a.snappy.parquet'),
      obj('spark/fact_achats.parquet/nested/part-00009.parquet'),
      obj('spark/fact_achats.parquet/_committed_1'),
    ]);
    expect(picked.layout).toBe('folder');
    if (picked.layout !== 'folder') return;
    expect(picked.key).toBe('spark/fact_achats.parquet/');
    expect(picked.objects.map((o) => o.key)).toEqual([
      'spark/fact_achats.parquet/part-00000-a.snappy.parquet',
      'spark/fact_achats.parquet/part-00001-a.snappy.parquet',
    ]);
  });

  it('does not mistake a longer name sharing the prefix for the table', () => {
    expect(pickTableObjects('', 'ca', [obj('ca.parquet.bak'), obj('ca.parquetx/part-0.parquet')])).toEqual({ layout: null, emptyFolder: false });
  });

  it('reports a folder without part files as an empty folder', () => {
    expect(pickTableObjects('', 'dim_clients', [obj('dim_clients.parquet/_SUCCESS')])).toEqual({ layout: null, emptyFolder: true });
  });
});
