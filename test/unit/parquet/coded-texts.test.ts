// Dictionary-encoded text kept coded, from hand-built column chunks (no files): the flat
// decoder's cursor, then normalisation, validation and documents, each compared with the same
// values given as plain strings.
import { describe, expect, it } from 'vitest';
import { datasetByName } from '../../../src/catalog/gold-catalog.js';
import { buildDocuments } from '../../../publisher/load/documents.js';
import { normaliseBatch, planTable } from '../../../publisher/normalise/normalise-batch.js';
import { CodedTexts } from '../../../publisher/parquet/coded-texts.js';
import { FlatColumnCursor } from '../../../publisher/parquet/flat-column.js';
import type { ParquetColumnInfo } from '../../../publisher/parquet/types.js';
import { validateBatch } from '../../../publisher/validate/rules.js';
import { ViolationLog } from '../../../publisher/validate/violations.js';

// --- Thrift compact encoding of the PageHeader fields the decoder reads -----------------------
const varint = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    if (n < 0x80) return [...out, n];
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
};
const i32 = (delta: number, v: number): number[] => [(delta << 4) | 5, ...varint(v * 2)]; // zigzag, v ≥ 0
const struct = (delta: number, fields: number[]): number[] => [(delta << 4) | 12, ...fields, 0];

/** PageHeader { type, sizes, DataPageHeader (5) | DictionaryPageHeader (7) } + body (uncompressed). */
function page(type: 0 | 2, numValues: number, encoding: number, body: number[]): number[] {
  const sizes = [...i32(1, type), ...i32(1, body.length), ...i32(1, body.length)];
  const header = type === 2 ? struct(4, [...i32(1, numValues), ...i32(1, encoding)]) : struct(2, [...i32(1, numValues), ...i32(1, encoding), ...i32(1, 3), ...i32(1, 3)]);
  return [...sizes, ...header, 0, ...body];
}
const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const plainTexts = (values: string[]): number[] => values.flatMap((s) => [...new Uint8Array(Uint32Array.of(utf8(s).length).buffer), ...utf8(s)]);
/** One RLE run per value (bit width 8): simple and valid. */
const rleRuns = (values: number[]): number[] => values.flatMap((v) => [2, v]);
const dictionaryPage = (dict: string[]): number[] => page(2, dict.length, 0, plainTexts(dict));
const codedPage = (codes: number[]): number[] => page(0, codes.length, 8, [8, ...rleRuns(codes)]);
const plainPage = (values: string[]): number[] => page(0, values.length, 0, plainTexts(values));
/** A nullable page: RLE definition levels (length-prefixed), then the codes of the present rows. */
function nullableCodedPage(rows: Array<number | null>): number[] {
  const defs = rleRuns(rows.map((r) => (r === null ? 0 : 1)));
  return page(0, rows.length, 8, [...new Uint8Array(Uint32Array.of(defs.length).buffer), ...defs, 8, ...rleRuns(rows.filter((r): r is number => r !== null))]);
}

function cursor(pages: number[][], numValues: number, nullable = false): FlatColumnCursor {
  return new FlatColumnCursor({ kind: 'text', bytes: Uint8Array.from(pages.flat()), numValues, nullable, decompress: (input) => input, where: 'test chunk' });
}
const rows = (v: unknown): unknown[] => (v instanceof CodedTexts ? v.toArray() : Array.from(v as ArrayLike<unknown>));

describe('dictionary-encoded text in the flat decoder', () => {
  it('stays coded: the dictionary once, one code per row, slices of a page share it', () => {
    const c = cursor([dictionaryPage(['Four', 'Tv', 'Aspirateur']), codedPage([0, 1, 2, 1, 0])], 5);
    const first = c.read(2);
    const rest = c.read(3);
    expect(first).toBeInstanceOf(CodedTexts);
    expect(rest).toBeInstanceOf(CodedTexts);
    expect((first as CodedTexts).dict).toBe((rest as CodedTexts).dict);
    expect([...rows(first), ...rows(rest)]).toEqual(['Four', 'Tv', 'Aspirateur', 'Tv', 'Four']);
  });

  it('joins coded pages into one code array, and gives plain strings once a PLAIN page is involved', () => {
    const c = cursor([dictionaryPage(['a', 'b']), codedPage([0, 1, 1]), codedPage([1, 0]), plainPage(['x', 'y'])], 7);
    const joined = c.read(4); // 3 rows of page 1 + 1 of page 2
    expect(joined).toBeInstanceOf(CodedTexts);
    expect(rows(joined)).toEqual(['a', 'b', 'b', 'b']);
    const mixed = c.read(3); // last coded row + the PLAIN page (a writer's dictionary fallback)
    expect(Array.isArray(mixed)).toBe(true);
    expect(mixed).toEqual(['a', 'x', 'y']);
  });

  it('codes null rows as the dictionary entry it appends', () => {
    const c = cursor([dictionaryPage(['2026-01', '2026-02']), nullableCodedPage([1, null, 0, null])], 4, true);
    const values = c.read(4);
    expect(values).toBeInstanceOf(CodedTexts);
    expect(rows(values)).toEqual(['2026-02', null, '2026-01', null]);
  });

  it('refuses a code outside the dictionary, naming the chunk', () => {
    const c = cursor([dictionaryPage(['a', 'b']), codedPage([0, 2])], 2);
    expect(() => c.read(2)).toThrow(/test chunk.*dictionary index 2 outside a 2-entry dictionary/);
  });
});

describe('coded text columns through normalisation, validation and documents', () => {
  const FACT = datasetByName('fact_achats');
  const columns: ParquetColumnInfo[] = ['id_achat', 'id_client', 'date_achat', 'montant', 'produit', 'pays', 'jour', 'mois'].map((name) => ({
    name,
    physicalType: 'BYTE_ARRAY',
    nullable: true,
  }));
  const plan = planTable(FACT, columns);
  const base = {
    id_achat: new Float64Array([1, 2, 3, 4]),
    id_client: new Float64Array([5, 5, 6, 7]),
    date_achat: [new Date('2026-01-05T10:00:00Z'), new Date('2026-01-06T10:00:00Z'), new Date('2026-01-07T10:00:00Z'), new Date('2026-02-01T09:00:00Z')],
    montant: new Float64Array([10, 20.5, 30, 40]),
  };
  const coded = (codes: number[], dict: (string | null)[]): CodedTexts => new CodedTexts(Int32Array.from(codes), dict);
  const run = (text: Record<string, unknown>) => {
    const log = new ViolationLog('fact_achats');
    log.beginBatch('f.parquet', 0, 4);
    const batch = normaliseBatch(plan, 4, new Map(Object.entries({ ...base, ...text })), log);
    validateBatch(plan, batch, null, log);
    return { batch, report: log.report(), docs: buildDocuments(plan, batch, new Uint8Array(0)) };
  };

  it('gives the documents and the report that the same values as plain strings give', () => {
    // A bad month ('2026/02'), a null produit (required) and a null jour (derived from date_achat).
    const asCodes = run({
      produit: coded([0, 1, 2, 0], ['Four', 'Tv', null]),
      pays: coded([0, 0, 1, 1], ['France', 'Belgique', null]),
      jour: coded([0, 1, 2, 3], ['2026-01-05', '2026-01-06', '2026-01-07', null]),
      mois: coded([0, 0, 0, 1], ['2026-01', '2026/02', null]),
    });
    const asStrings = run({
      produit: ['Four', 'Tv', null, 'Four'],
      pays: ['France', 'France', 'Belgique', 'Belgique'],
      jour: ['2026-01-05', '2026-01-06', '2026-01-07', null],
      mois: ['2026-01', '2026-01', '2026-01', '2026/02'],
    });
    expect(asCodes.batch.columns.map((c) => c?.kind)).toContain('coded');
    expect(asCodes.docs).toEqual(asStrings.docs);
    expect(asCodes.report).toEqual(asStrings.report);
    // The bad month is reported once, under its conversion rule, then read as null (not
    // reported again as a null in a required column).
    expect(asCodes.report.counts.map((c) => `${c.column}:${c.rule}:${c.count}`).sort()).toEqual(['mois:format:1', 'produit:null:1']);
    expect(asCodes.docs[3]).toMatchObject({ jour: '2026-02-01', mois: null, produit: 'Four' });
  });
});
