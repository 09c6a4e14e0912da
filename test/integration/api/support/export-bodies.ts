// Reading export bodies back into JSON-shaped rows: CSV through a strict RFC 4180 parser with
// each cell typed from the catalog column (numbers, ISO date strings, null for an empty cell),
// NDJSON line by line. Used to compare exports with the JSON rows, every column, values exact.
import type request from 'supertest';
import type { ColumnSpec } from '../../../../src/catalog/gold-catalog.js';
import { csvObjects } from '../../../support/csv-parse.js';
import type { Row } from './expected-endpoints.js';

function typedCell(column: ColumnSpec | undefined, cell: string): unknown {
  if (!column) throw new Error('CSV column not in the catalog');
  if (cell === '' && column.type !== 'string') return null;
  switch (column.type) {
    case 'int':
    case 'double': {
      const n = Number(cell);
      if (!Number.isFinite(n)) throw new Error(`not a number: ${JSON.stringify(cell)}`);
      return n;
    }
    case 'date':
      if (new Date(cell).toISOString() !== cell) throw new Error(`not an ISO 8601 UTC date: ${JSON.stringify(cell)}`);
      return cell;
    default:
      return cell;
  }
}

/** The header and the rows of a CSV export, typed like the JSON rows. */
export function csvRows(text: string, columns: readonly ColumnSpec[]): { header: string[]; rows: Row[] } {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const { header, rows } = csvObjects(text);
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((name) => [name, typedCell(byName.get(name), r[name]!)]))) };
}

/** The rows of an NDJSON export (every line one JSON object, the body ending with a newline). */
export function ndjsonRows(text: string): Row[] {
  if (text !== '' && !text.endsWith('\n')) throw new Error('NDJSON body does not end with a newline');
  return text === '' ? [] : text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Row);
}

/** supertest: buffer the body as text whatever its type (supertest leaves NDJSON unread). */
export function asText(test: request.Test): request.Test {
  return test.buffer(true).parse((res, cb) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => cb(null, text));
  });
}
