// Row encoders of the streamed exports (pure). Dates are ISO 8601 in every format, as in JSON.

function plain(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR/LF or edge spaces. */
export function csvField(value: unknown): string {
  const v = plain(value);
  if (v === null || v === undefined) return '';
  const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export function csvRow(row: Readonly<Record<string, unknown>>, fields: readonly string[]): string {
  return csvLine(fields.map((f) => row[f]));
}

export function ndjsonRow(row: Readonly<Record<string, unknown>>, fields: readonly string[]): string {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = plain(row[f]) ?? null;
  return `${JSON.stringify(out)}\n`;
}
