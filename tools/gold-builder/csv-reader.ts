// Columnar CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF or LF). Rather than one
// object per row, or even one string per field, it records where each field of the wanted
// columns lies in the text; values are parsed straight from there (see source-values.ts),
// which keeps a 1M-row build fast and its memory flat.
import { AppError } from '../../src/errors/app-error.js';
import { TOOL_ERROR_CODES } from '../shared/tool-errors.js';

/** One column's fields: text[start[i], end[i]) unless the field was quoted (then in `quoted`). */
export class CsvColumn {
  constructor(
    readonly text: string,
    readonly start: Int32Array,
    readonly end: Int32Array,
    /** Unescaped values of quoted fields, by row. */
    readonly quoted: ReadonlyMap<number, string>,
  ) {}

  get(row: number): string {
    if (this.quoted.size > 0) {
      const q = this.quoted.get(row);
      if (q !== undefined) return q;
    }
    return this.text.slice(this.start[row], this.end[row]);
  }
}

export interface CsvColumns {
  /** Number of data rows (header excluded, blank lines skipped). */
  readonly rows: number;
  readonly columns: ReadonlyMap<string, CsvColumn>;
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Upper bound of the records in `text` from `from`: its line feeds and carriage returns + 1. */
function maxRecords(text: string, from: number): number {
  let count = 1;
  for (let i = text.indexOf('\n', from); i >= 0; i = text.indexOf('\n', i + 1)) count += 1;
  if (count === 1) for (let i = text.indexOf('\r', from); i >= 0; i = text.indexOf('\r', i + 1)) count += 1; // CR-only files
  return count;
}

/**
 * Indexes the `wanted` columns of `text`. `source` names the file in errors. A row with fewer
 * fields than the header gets empty fields (read as missing); extra fields are ignored.
 */
export function readCsvColumns(text: string, wanted: readonly string[], source: string): CsvColumns {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0; // tolerate a UTF-8 BOM
  const header: string[] = [];
  const headerEnd = scanRecord(text, bom, (_f, s, e, q) => header.push(q ?? text.slice(s, e)), source, 1);
  const names = header.map((h) => h.trim());
  const missing = wanted.filter((w) => !names.includes(w));
  if (missing.length > 0) {
    throw new AppError(
      TOOL_ERROR_CODES.SOURCE_COLUMN_MISSING,
      `read ${source}: missing column(s) ${missing.join(', ')} (header has: ${names.filter(Boolean).join(', ') || 'nothing'})`,
      { status: 2, details: { file: source, missing, header: names } },
    );
  }
  const slots = Int32Array.from(names, (n) => wanted.indexOf(n)); // field index -> wanted index, or -1
  const capacity = maxRecords(text, headerEnd);
  const starts = wanted.map(() => new Int32Array(capacity));
  const ends = wanted.map(() => new Int32Array(capacity));
  const quoted = wanted.map(() => new Map<number, string>());
  const n = text.length;
  let rows = 0;
  let pos = headerEnd;
  let line = 1;
  while (pos < n) {
    line += 1;
    // Blank line: skip.
    const first = text.charCodeAt(pos);
    if (first === LF || first === CR) {
      pos += first === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
      continue;
    }
    let field = 0;
    for (;;) {
      const slot = field < slots.length ? (slots[field] as number) : -1;
      let end: number;
      if (text.charCodeAt(pos) === QUOTE) {
        const q = readQuoted(text, pos, source, line);
        end = q.end;
        if (slot >= 0) (quoted[slot] as Map<number, string>).set(rows, q.value);
      } else {
        end = pos;
        // The hot loop: plain fields, no allocation.
        for (let c = text.charCodeAt(end); end < n && c !== COMMA && c !== LF && c !== CR; c = text.charCodeAt(++end));
      }
      if (slot >= 0) {
        (starts[slot] as Int32Array)[rows] = pos;
        (ends[slot] as Int32Array)[rows] = end;
      }
      field += 1;
      pos = end;
      if (text.charCodeAt(pos) === COMMA) {
        pos += 1;
        continue;
      }
      if (text.charCodeAt(pos) === CR) pos += 1;
      if (text.charCodeAt(pos) === LF) pos += 1;
      break;
    }
    // A short row: the fields it lacks stay empty (start = end = 0), i.e. missing.
    for (let f = field; f < slots.length; f += 1) {
      const slot = slots[f] as number;
      if (slot >= 0) {
        (starts[slot] as Int32Array)[rows] = 0;
        (ends[slot] as Int32Array)[rows] = 0;
      }
    }
    rows += 1;
  }
  const columns = new Map(
    wanted.map((w, i) => [w, new CsvColumn(text, (starts[i] as Int32Array).subarray(0, rows), (ends[i] as Int32Array).subarray(0, rows), quoted[i] as Map<number, string>)]),
  );
  return { rows, columns };
}

/** A quoted field from its opening quote: the unescaped value (plus any text up to the delimiter) and where it ends. */
function readQuoted(text: string, open: number, source: string, line: number): { value: string; end: number } {
  let value = '';
  let from = open + 1;
  for (;;) {
    const close = text.indexOf('"', from);
    if (close < 0) {
      throw new AppError(TOOL_ERROR_CODES.SOURCE_MALFORMED, `read ${source}: unterminated quoted field at line ${line}`, {
        status: 2,
        details: { file: source, line },
      });
    }
    value += text.slice(from, close);
    if (text.charCodeAt(close + 1) === QUOTE) {
      value += '"';
      from = close + 2;
      continue;
    }
    // Anything between the closing quote and the delimiter is kept, as lenient readers do.
    let end = close + 1;
    while (end < text.length && !isDelimiter(text.charCodeAt(end))) end += 1;
    return { value: value + text.slice(close + 1, end), end };
  }
}

type FieldSink = (field: number, start: number, end: number, quotedValue: string | undefined) => void;

/** Scans one record (the header) from `start`, reporting each field; returns the position after its line end. */
function scanRecord(text: string, start: number, sink: FieldSink, source: string, line: number): number {
  let pos = start;
  for (let field = 0; ; field += 1) {
    if (text.charCodeAt(pos) === QUOTE) {
      const q = readQuoted(text, pos, source, line);
      sink(field, pos, q.end, q.value);
      pos = q.end;
    } else {
      let end = pos;
      while (end < text.length && !isDelimiter(text.charCodeAt(end))) end += 1;
      sink(field, pos, end, undefined);
      pos = end;
    }
    const c = text.charCodeAt(pos);
    if (c === COMMA) {
      pos += 1;
      continue;
    }
    if (c === CR) pos += 1;
    if (text.charCodeAt(pos) === LF) pos += 1;
    return pos;
  }
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === LF || c === CR;
}
