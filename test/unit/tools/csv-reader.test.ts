import { describe, expect, test } from 'vitest';
import { readCsvColumns } from '../../../tools/gold-builder/csv-reader.js';

const values = (text: string, wanted: string[]) => {
  const csv = readCsvColumns(text, wanted, 'test.csv');
  return wanted.map((w) => Array.from({ length: csv.rows }, (_, i) => csv.columns.get(w)?.get(i)));
};

describe('readCsvColumns', () => {
  test('keeps only the wanted columns, in any header order', () => {
    expect(values('b,a,c\n1,2,3\n4,5,6\n', ['a', 'c'])).toEqual([
      ['2', '5'],
      ['3', '6'],
    ]);
  });

  test('handles quotes, doubled quotes, commas and newlines inside quotes, CRLF, BOM and blank lines', () => {
    const text = '\ufeffid,nom\r\n1,"Smith, ""Jr"""\r\n\r\n2,"two\nlines"\r\n3,plain';
    expect(values(text, ['id', 'nom'])).toEqual([
      ['1', '2', '3'],
      ['Smith, "Jr"', 'two\nlines', 'plain'],
    ]);
  });

  test('a short row reads as empty fields', () => {
    expect(values('a,b\n1\n', ['a', 'b'])).toEqual([['1'], ['']]);
  });

  test('a missing column is an error naming the file, the column and the header', () => {
    expect(() => readCsvColumns('a,b\n1,2\n', ['a', 'zz'], 'clients.csv')).toThrow(/clients\.csv: missing column\(s\) zz \(header has: a, b\)/);
  });

  test('an unterminated quote is an error naming the line', () => {
    expect(() => readCsvColumns('a\n"oops\n', ['a'], 'achats.csv')).toThrow(/achats\.csv: unterminated quoted field at line 2/);
  });
});
