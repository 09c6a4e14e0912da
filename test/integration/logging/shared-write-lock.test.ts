// Two threads writing one pipe (the API's stdout with the front thread): with the shared lock no
// line of one lands inside a line of the other, also for blocks and lines longer than PIPE_BUF,
// while the pipe is full and writes come back partial or EAGAIN.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createBlockWriter, createWriteLock, fdSink } from '../../../src/logging/block-writer.js';

const LINES = 300;
/** Lines of 300 B to 12 KB, so blocks of 64 KiB and lines longer than a block both occur. */
const line = (writer: string, i: number) => `{"writer":"${writer}","i":${i},"pad":"${'x'.repeat(300 + ((i * 977) % 12_000))}"}\n`;

// The other thread: the same writer module (loaded through tsx, as the front thread is in tests).
const workerCode = (blockWriterUrl: string) => `
  const { workerData, parentPort } = require('node:worker_threads');
  import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(blockWriterUrl)}); }).then((m) => {
    const writer = m.createBlockWriter({ sink: m.fdSink(workerData.fd), lock: workerData.lock, retryMs: 1 });
    const line = ${line.toString()};
    for (let i = 0; i < ${LINES}; i++) writer.write(line('front', i));
    writer.flush();
    parentPort.postMessage('done');
  });`;

async function writeFromTwoThreads(withLock: boolean): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shared-lock-'));
  const out = path.join(dir, 'out.jsonl');
  try {
    // A reader that starts late, so the pipe fills and writes come back short.
    const reader = spawn(process.execPath, ['-e', `setTimeout(() => process.stdin.pipe(require('fs').createWriteStream(${JSON.stringify(out)})), 300)`], { stdio: ['pipe', 'ignore', 'inherit'] });
    const fd = (reader.stdin as unknown as { _handle: { fd: number } })._handle.fd;
    const lock = withLock ? createWriteLock() : undefined;
    const worker = new Worker(workerCode(new URL('../../../src/logging/block-writer.ts', import.meta.url).href), { eval: true, workerData: { fd, lock } });
    const done = new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const writer = createBlockWriter({ sink: fdSink(fd), lock, retryMs: 1 });
    for (let i = 0; i < LINES; i++) writer.write(line('app', i));
    writer.flush();
    await done;
    await worker.terminate();
    const exited = new Promise((resolve) => reader.once('exit', resolve));
    reader.stdin!.end();
    await exited;
    return readFileSync(out, 'utf8').split('\n').slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the shared write lock', () => {
  it("keeps every line of two threads whole in one pipe, each thread's lines in order", async () => {
    const lines = await writeFromTwoThreads(true);
    expect(lines).toHaveLength(2 * LINES);
    const parsed = lines.map((text) => JSON.parse(text) as { writer: string; i: number });
    for (const writer of ['app', 'front']) expect(parsed.filter((p) => p.writer === writer).map((p) => p.i)).toEqual([...Array(LINES).keys()]);
    for (const [k, text] of lines.entries()) expect(`${text}\n`).toBe(line(parsed[k]!.writer, parsed[k]!.i));
  }, 60_000);
});
