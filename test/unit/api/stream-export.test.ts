// The export streamer over a fake cursor and a small concrete fake response: exports of many
// 64 KiB chunks hold every row exactly once and in order, the streamer waits for 'drain'
// whenever a write returns false (the cursor is not read meanwhile), and CSV fields survive a
// strict RFC 4180 reading (quotes, commas, CR/LF, edge spaces).
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import type { FindCursor } from 'mongodb';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { GoldReader } from '../../../src/api/data/gold-reader.js';
import { streamExport, type ExportRequest } from '../../../src/api/export/stream-export.js';
import { csvObjects } from '../../support/csv-parse.js';

type Row = Record<string, unknown>;

/** A cursor over `rows` that records how far it was read. */
function fakeCursor(rows: readonly Row[]) {
  const state = { read: 0, closed: false };
  const cursor = {
    next: async () => (state.read < rows.length ? rows[state.read++]! : null),
    close: async () => {
      state.closed = true;
    },
  };
  return { cursor: cursor as unknown as FindCursor<Row>, state };
}

function fakeReader(cursor: FindCursor<Row>): GoldReader {
  return {
    openCursor: () => cursor,
    isEmpty: async () => false,
  } as unknown as GoldReader;
}

/**
 * Just what the streamer uses of an Express response. Every `refuseEvery`-th write returns
 * false and 'drain' follows a few ticks later; a write while a drain is pending is a violation.
 */
class FakeResponse extends EventEmitter {
  readonly chunks: string[] = [];
  statusCode = 0;
  headers: Record<string, string> = {};
  headersSent = false;
  writableFinished = false;
  drainsPending = 0;
  writesWhileFull = 0;
  cursorReadsWhileFull: number[] = [];
  private writes = 0;

  constructor(
    private readonly refuseEvery: number,
    private readonly cursorState: { read: number },
  ) {
    super();
  }

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  set(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }

  write(chunk: string): boolean {
    if (this.drainsPending > 0) this.writesWhileFull++;
    this.headersSent = true;
    this.chunks.push(chunk);
    this.writes++;
    if (this.writes % this.refuseEvery !== 0) return true;
    this.drainsPending++;
    const readAtRefusal = this.cursorState.read;
    setTimeout(() => {
      // Still where it was when the write was refused: the streamer waited.
      this.cursorReadsWhileFull.push(this.cursorState.read - readAtRefusal);
      this.drainsPending--;
      this.emit('drain');
    }, 2);
    return false;
  }

  end(chunk?: string): this {
    if (chunk) this.chunks.push(chunk);
    this.headersSent = true;
    this.writableFinished = true;
    this.emit('finish');
    return this;
  }

  destroy(): this {
    this.emit('close');
    return this;
  }

  get text(): string {
    return this.chunks.join('');
  }
}

const fields = ['id', 'label', 'amount', 'seen'];
const manyRows = (n: number): Row[] =>
  Array.from({ length: n }, (_, i) => ({
    id: i,
    label: `row ${i}, "quoted"\r\nsecond line`,
    amount: i / 7,
    seen: i % 5 === 0 ? null : new Date(Date.UTC(2025, 0, 1) + i * 60_000),
  }));

async function runExport(format: ExportRequest['format'], rows: readonly Row[], refuseEvery: number) {
  const { cursor, state } = fakeCursor(rows);
  const res = new FakeResponse(refuseEvery, state);
  const request: ExportRequest = { format, collection: 'gold_test', fields, plan: { filter: {}, sort: {}, projection: {}, skip: 0, limit: 0 }, name: 'test' };
  await streamExport(res as unknown as Response, fakeReader(cursor), request, null, pino({ level: 'silent' }));
  return { res, state };
}

describe('a streamed export larger than one 64 KiB chunk', () => {
  const rows = manyRows(6_000);

  it('holds every row exactly once, in cursor order, as NDJSON', async () => {
    const { res, state } = await runExport('ndjson', rows, 1_000_000);
    expect(res.chunks.length).toBeGreaterThan(5);
    expect(res.statusCode).toBe(200);
    const lines = res.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Row);
    expect(lines.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(lines[5]).toEqual({ id: 5, label: rows[5]!.label, amount: 5 / 7, seen: null });
    expect(lines[6]!.seen).toBe((rows[6]!.seen as Date).toISOString());
    expect(state.closed).toBe(true);
  });

  it('holds every row exactly once, in cursor order, as CSV with one header', async () => {
    const { res } = await runExport('csv', rows, 1_000_000);
    expect(res.chunks.length).toBeGreaterThan(5);
    const { header, rows: parsed } = csvObjects(res.text);
    expect(header).toEqual(fields);
    expect(parsed.map((r) => Number(r.id))).toEqual(rows.map((r) => r.id));
    expect(parsed.every((r, i) => r.label === rows[i]!.label && Number(r.amount) === rows[i]!.amount)).toBe(true);
  });

  it('waits for drain after every refused write and reads no row meanwhile', async () => {
    const { res, state } = await runExport('ndjson', rows, 2);
    expect(res.cursorReadsWhileFull.length).toBeGreaterThan(2);
    expect(res.writesWhileFull).toBe(0);
    expect(res.cursorReadsWhileFull.every((n) => n === 0)).toBe(true);
    const ids = res.text.trimEnd().split('\n').map((l) => (JSON.parse(l) as Row).id);
    expect(ids).toEqual(rows.map((r) => r.id));
    expect(state.closed).toBe(true);
  });

  it('leaves no drain or close listener behind after each wait, however many there are', async () => {
    const { res } = await runExport('ndjson', manyRows(30_000), 1);
    expect(res.cursorReadsWhileFull.length).toBeGreaterThan(20);
    // The streamer's own 'close' listener (client gone) stays; nothing per wait does.
    expect([res.listenerCount('drain'), res.listenerCount('close')]).toEqual([0, 1]);
  });
});

describe('CSV fields of an export', () => {
  it('read back exactly through a strict RFC 4180 parser, whatever they hold', async () => {
    const labels = [' leading space', 'trailing space ', '\ttab', 'a,b', 'say "hi"', 'cr\rlf\n', 'plain text', ''];
    const rows = labels.map((label, id) => ({ id, label, amount: -0.5, seen: null }));
    const { res } = await runExport('csv', rows, 1_000_000);
    const { rows: parsed } = csvObjects(res.text);
    expect(parsed).toEqual(rows.map((r) => ({ id: String(r.id), label: r.label, amount: '-0.5', seen: '' })));
  });

  it('are quoted when they start or end with a space, and only then among plain text', async () => {
    const rows = [' lead', 'trail ', 'in side'].map((label, id) => ({ id, label, amount: 1, seen: null }));
    const { res } = await runExport('csv', rows, 1_000_000);
    expect(res.text).toBe('id,label,amount,seen\r\n0," lead",1,\r\n1,"trail ",1,\r\n2,in side,1,\r\n');
  });
});
