// Worker thread that encodes one gold table to Parquet, so the big fact table is encoded on
// the second core while the main thread computes and encodes the client tables.
import { parentPort } from 'node:worker_threads';
import { encodeParquet } from './parquet-encode.js';
import { unpackTable, type EncodeRequest } from './table-transfer.js';

parentPort?.on('message', (request: EncodeRequest) => {
  try {
    const buffer = encodeParquet(unpackTable(request.table), request.codec);
    parentPort?.postMessage({ ok: true, buffer }, [buffer]);
  } catch (error) {
    parentPort?.postMessage({ ok: false, message: (error as Error).message });
  }
});
