// The app's side of the front-thread link, with a fake thread: what crosses to it, and when.
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { PublishMeta } from '../../../src/api/data/gold-reader.js';
import { createFrontLink } from '../../../src/server/front-thread/app-link.js';
import type { ToFront } from '../../../src/server/front-thread/protocol.js';

function fakeThread() {
  const posted: ToFront[] = [];
  const listeners: Array<(message: unknown) => void> = [];
  const worker = { postMessage: (m: ToFront) => posted.push(m), on: (_: string, l: (m: unknown) => void) => listeners.push(l) };
  return { worker: worker as unknown as Worker, posted, emit: (m: unknown) => listeners.forEach((l) => l(m)) };
}

const entry = (etag: string) => ({ body: Buffer.from('{}'), etag, contentType: 'application/json', version: 'v1' });

describe('front link (the app side)', () => {
  it('sends a response to the thread once per representation, not on each of the app’s own hits', () => {
    const thread = fakeThread();
    const link = createFrontLink();
    link.connect(thread.worker);
    for (let i = 0; i < 3; i++) link.remember('/kpis', '/kpis', entry('"a"'), {});
    link.remember('/kpis', '/kpis', entry('"b"'), {});
    link.remember('/monthly', '/monthly', entry('"a"'), {});
    expect(thread.posted.map((m) => (m.type === 'remember' ? `${m.url} ${m.entry.etag}` : m.type))).toEqual(['/kpis "a"', '/kpis "b"', '/monthly "a"']);
  });

  it("answers the thread's version check with the app tracker's value and read time, or says the read failed", async () => {
    const thread = fakeThread();
    const link = createFrontLink();
    link.connect(thread.worker);
    const meta = { version: 'v7', publishedAt: new Date(0) } as PublishMeta;
    let fail = false;
    link.serveVersionChecks({ renew: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve(meta)), checkedAt: () => 1234 });
    thread.emit({ type: 'check' });
    await new Promise((resolve) => setImmediate(resolve));
    fail = true;
    thread.emit({ type: 'check' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(thread.posted).toEqual([{ type: 'version', meta, checkedAt: 1234 }, { type: 'version-failed' }]);
  });

  it('gives /metrics nothing (null) when no thread is connected', async () => {
    expect(await createFrontLink().report()).toBeNull();
  });
});
