// Streams a list query as CSV or NDJSON straight from the MongoDB cursor, honouring
// backpressure, so a 50k-row reactivation list never sits in memory as a whole.
import type { Response } from 'express';
import type { Logger } from 'pino';
import { dataEmpty } from '../api-errors.js';
import type { GoldReader, PublishMeta } from '../data/gold-reader.js';
import { toApiError } from '../data/mongo-errors.js';
import type { FindPlan } from '../query/mongo-find.js';
import type { ExportFormat } from '../query/parse-list-query.js';
import { csvLine, csvRow, ndjsonRow } from './row-format.js';

const CONTENT_TYPES: Readonly<Record<Exclude<ExportFormat, 'json'>, string>> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};
/** Rows are written in chunks of about this many bytes (one write per row is slow). */
const CHUNK_BYTES = 64 * 1024;

export interface ExportRequest {
  readonly format: Exclude<ExportFormat, 'json'>;
  readonly collection: string;
  readonly fields: readonly string[];
  readonly plan: FindPlan;
  /** File name stem for Content-Disposition, e.g. "scores". */
  readonly name: string;
}

export async function streamExport(res: Response, reader: GoldReader, request: ExportRequest, meta: PublishMeta | null, logger: Logger): Promise<void> {
  const stage = `export ${request.collection}`;
  const cursor = reader.openCursor(request.collection, request.plan, meta);
  let clientGone = false;
  res.on('close', () => {
    if (!res.writableFinished) clientGone = true;
  });
  try {
    let first: Record<string, unknown> | null;
    try {
      first = await cursor.next();
    } catch (error) {
      throw toApiError(error, stage);
    }
    if (first === null && (await reader.isEmpty(request.collection, meta))) throw dataEmpty(request.collection);

    res.status(200).set({
      'Content-Type': CONTENT_TYPES[request.format],
      'Content-Disposition': `attachment; filename="${request.name}.${request.format === 'csv' ? 'csv' : 'ndjson'}"`,
      'Cache-Control': 'no-store',
      ...(meta ? { 'X-Data-Version': meta.version } : {}),
    });
    const encode = request.format === 'csv' ? csvRow : ndjsonRow;
    let chunk = request.format === 'csv' ? csvLine(request.fields) : '';
    let rows = 0;
    for (let row = first; row !== null && !clientGone; row = await cursor.next()) {
      chunk += encode(row, request.fields);
      rows++;
      if (chunk.length >= CHUNK_BYTES) {
        const ok = res.write(chunk);
        chunk = '';
        if (!ok && !clientGone) await drainOrClose(res);
      }
    }
    if (!clientGone) res.end(chunk);
    logger.debug({ collection: request.collection, format: request.format, rows, aborted: clientGone }, 'export streamed');
  } catch (error) {
    if (!res.headersSent) throw toApiError(error, stage);
    // Headers are gone: the only honest signal left is an aborted (truncated) response.
    logger.error({ err: error, collection: request.collection }, 'export failed mid-stream');
    res.destroy(error instanceof Error ? error : undefined);
  } finally {
    await cursor.close().catch(() => undefined);
  }
}

/**
 * Resolves on the response's next 'drain' or 'close', removing both listeners either way (a race
 * of two `once()` promises left the loser's listeners attached: hundreds of them, and Node's
 * MaxListenersExceededWarning, over a large export to a slow client).
 */
function drainOrClose(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
