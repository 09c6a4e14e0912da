// The flat-column decoder (readParquetBatches with `fast: true`, what the publisher uses) against
// hyparquet's decoding of the same files: the fixtures (DuckDB-written Pandas and Spark layouts)
// and every parquet-testing data/ file. Same values once the fast forms are mapped back (numbers
// and epoch ms as doubles, NaN for null); which columns the fast path took is checked too, and
// corrupt inputs — the bad_data/ files and seeded byte flips of a fixture — end in PARQUET_INVALID.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/app-error.js';
import { CodedTexts, plainValues, readParquetBatches } from '../../publisher/parquet/index.js';
import { EpochMsArray, NumberArray } from '../../publisher/parquet/flat-values.js';
import { localParquetFile } from '../../publisher/sources/local-file.js';
import type { ParquetFile } from '../../publisher/sources/types.js';
import { createRandom } from '../../tools/generator/prng.js';
import { FIXTURE_GOLD, sharedPath } from '../support/paths.js';
import { memoryFile } from '../unit/parquet/memory-file.js';

const corpus = sharedPath('the fast-path comparison on parquet-testing files', 'data', 'parquet-testing');

function parquetFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? parquetFiles(full) : name.endsWith('.parquet') ? [full] : [];
    })
    .sort();
}

interface Decoded {
  readonly columns: Map<string, unknown[]>;
  /** Column name → JS class of the arrays returned (first batch). */
  readonly kinds: Map<string, string>;
}

async function decode(file: ParquetFile, fast: boolean): Promise<Decoded> {
  const columns = new Map<string, unknown[]>();
  const kinds = new Map<string, string>();
  // Small batches: row slices across page boundaries are exercised too.
  for await (const batch of readParquetBatches(file, { fast, maxRows: 700 })) {
    for (const [name, data] of batch.columns) {
      if (!kinds.has(name)) kinds.set(name, data.constructor.name);
      const values = plainValues(data);
      const all = columns.get(name) ?? [];
      for (let i = 0; i < values.length; i++) all.push(values[i]);
      columns.set(name, all);
    }
  }
  return { columns, kinds };
}

/** hyparquet's value as the fast path gives it in a numeric or temporal array. */
function asDouble(v: unknown): number {
  if (v === null || v === undefined) return Number.NaN;
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'bigint') return Number(v);
  return v as number;
}

async function expectSameValues(file: ParquetFile): Promise<Decoded> {
  const [reference, fast] = await Promise.all([decode(file, false), decode(file, true)]);
  expect([...fast.columns.keys()]).toEqual([...reference.columns.keys()]);
  for (const [name, expected] of reference.columns) {
    const got = fast.columns.get(name) ?? [];
    const kind = fast.kinds.get(name);
    if (kind === NumberArray.name || kind === EpochMsArray.name) expect(got, `${file.uri} ${name}`).toEqual(expected.map(asDouble));
    else expect(got, `${file.uri} ${name}`).toEqual(expected);
  }
  return fast;
}

describe('the flat-column decoder', () => {
  const fixtures = parquetFiles(FIXTURE_GOLD);

  it.each(fixtures.map((f) => [path.relative(FIXTURE_GOLD, f), f]))('decodes the fixture %s like hyparquet, every column on the fast path', async (_name, full) => {
    const fast = await expectSameValues(await localParquetFile(full));
    for (const [name, kind] of fast.kinds) expect([NumberArray.name, EpochMsArray.name, Array.name, CodedTexts.name], `${full} ${name}`).toContain(kind);
  });

  const data = corpus.present ? parquetFiles(path.join(corpus.path, 'data')).filter((f) => !f.endsWith('nation.dict-malformed.parquet')) : [];
  it.skipIf(!corpus.present).each(data.map((f) => [path.basename(f), f]))('decodes parquet-testing %s like hyparquet', async (_name, full) => {
    await expectSameValues(await localParquetFile(full));
  });

  const bad = corpus.present ? parquetFiles(path.join(corpus.path, 'bad_data')).filter((f) => !f.endsWith('ARROW-GH-43605.parquet')) : [];
  it.skipIf(!corpus.present).each(bad.map((f) => [path.basename(f), f]))('refuses parquet-testing bad_data %s with PARQUET_INVALID', async (_name, full) => {
    const error = await decode(await localParquetFile(full), true).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.code).toBe('PARQUET_INVALID');
  });

  it('ends every one of 300 byte-flipped copies of a fixture in values or PARQUET_INVALID, never another error', async () => {
    const original = readFileSync(path.join(FIXTURE_GOLD, 'pandas', 'fact_achats.parquet'));
    const random = createRandom(20261125);
    const outcomes = { decoded: 0, invalid: 0 };
    for (let k = 0; k < 300; k++) {
      const bytes = new Uint8Array(original);
      // Flip 1–4 bytes among the column chunks (between the magic number and the footer).
      const flips = 1 + Math.floor(random.next() * 4);
      for (let f = 0; f < flips; f++) {
        const at = 4 + Math.floor(random.next() * (bytes.length * 0.8));
        bytes[at] = (bytes[at] as number) ^ (1 + Math.floor(random.next() * 255));
      }
      try {
        await decode(memoryFile(bytes, `mem://flip-${k}.parquet`), true);
        outcomes.decoded++;
      } catch (error) {
        expect(isAppError(error) && error.code, `flip ${k}: ${String(error)}`).toBe('PARQUET_INVALID');
        outcomes.invalid++;
      }
    }
    expect(outcomes.decoded + outcomes.invalid).toBe(300);
    expect(outcomes.invalid).toBeGreaterThan(0);
  });
});
