// The front thread's version tracker: the app's reads, served within their interval, with the
// next check asked for ahead of time and once.
import { describe, expect, it } from 'vitest';
import type { PublishMeta } from '../../../src/api/data/gold-reader.js';
import { createRemoteTracker } from '../../../src/server/front-thread/remote-tracker.js';

const v1 = { version: 'v1', publishedAt: new Date(0) } as PublishMeta;
const v2 = { version: 'v2', publishedAt: new Date(1) } as PublishMeta;

function setup(intervalMs = 1000) {
  let now = 10_000;
  let asks = 0;
  const tracker = createRemoteTracker(intervalMs, () => asks++, () => now);
  return { tracker, asks: () => asks, advance: (ms: number) => (now += ms), now: () => now };
}

describe('remote version tracker', () => {
  it('has nothing fresh before the first answer, and asks for it once however many requests wait', async () => {
    const t = setup();
    expect(t.tracker.fresh()).toBeUndefined();
    const waiting = [t.tracker.current(), t.tracker.current()];
    expect(t.asks()).toBe(1);
    t.tracker.seen(v1, t.now());
    expect(await Promise.all(waiting)).toEqual([v1, v1]);
    expect(t.tracker.fresh()).toBe(v1);
    expect(t.tracker.peek()).toBe(v1);
  });

  it('serves a value within its interval from the read time given, and asks ahead in the last tenth, once', () => {
    const t = setup(1000);
    // Read 500 ms before it arrived here: its age counts from the read.
    t.tracker.seen(v1, t.now() - 500);
    expect(t.tracker.fresh()).toBe(v1);
    expect(t.asks()).toBe(0);
    t.advance(400); // age 900: the last tenth
    expect(t.tracker.fresh()).toBe(v1);
    expect(t.tracker.fresh()).toBe(v1);
    expect(t.asks()).toBe(1);
    t.advance(100); // age 1000: expired
    expect(t.tracker.fresh()).toBeUndefined();
    t.tracker.seen(v2, t.now());
    expect(t.tracker.fresh()).toBe(v2);
  });

  it('resolves current() at once while fresh, and waits for the answer once expired', async () => {
    const t = setup(1000);
    t.tracker.seen(v1, t.now());
    expect(await t.tracker.current()).toBe(v1);
    expect(t.asks()).toBe(0);
    t.advance(1000);
    const pending = t.tracker.current();
    expect(t.asks()).toBe(1);
    t.tracker.seen(v2, t.now());
    expect(await pending).toBe(v2);
  });

  it('rejects the waiting requests when the app could not read, and asks again on the next one', async () => {
    const t = setup(1000);
    const pending = t.tracker.current();
    t.tracker.failed(new Error('MongoDB down'));
    await expect(pending).rejects.toThrow('MongoDB down');
    expect(t.tracker.fresh()).toBeUndefined();
    void t.tracker.current().catch(() => undefined);
    expect(t.asks()).toBe(2);
  });

  it('never calls a value fresh with a zero interval (every request checks)', () => {
    const t = setup(0);
    t.tracker.seen(v1, t.now());
    expect(t.tracker.fresh()).toBeUndefined();
  });
});
