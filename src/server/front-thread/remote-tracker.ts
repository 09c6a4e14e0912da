// The front thread's view of the publish version: the app's tracker (version-tracker.ts) reads
// MongoDB, this one asks the app for what it read. Same contract as that tracker's `fresh` and
// `current` (the hot path's): a value is served only within the check interval of its read, and
// in the last tenth of the interval the next check is asked for ahead, so steady traffic never
// waits for it. The read time comes from the app, so both threads agree on a value's age.
// Pure: the asking is a callback, time an argument.
import type { VersionTracker } from '../../api/cache/version-tracker.js';
import type { PublishMeta } from '../../api/data/gold-reader.js';

export interface RemoteTracker extends Pick<VersionTracker, 'current' | 'fresh' | 'peek'> {
  /** The app's answer: the version and when it was read. */
  seen(meta: PublishMeta | null, checkedAt: number): void;
  /** The app could not read the version: whoever waits for it is told so. */
  failed(error: Error): void;
}

export function createRemoteTracker(intervalMs: number, ask: () => void, now: () => number = Date.now): RemoteTracker {
  let value: PublishMeta | null = null;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let asked = false;
  let waiting: Array<{ resolve: (meta: PublishMeta | null) => void; reject: (error: Error) => void }> = [];
  const aheadMs = intervalMs * 0.9;

  const askOnce = (): void => {
    if (asked) return;
    asked = true;
    ask();
  };
  const settle = (): typeof waiting => {
    asked = false;
    const settled = waiting;
    waiting = [];
    return settled;
  };

  return {
    peek: () => value,
    fresh: () => {
      const age = now() - checkedAt;
      if (age >= intervalMs) return undefined;
      if (age >= aheadMs) askOnce();
      return value;
    },
    current: () => {
      if (now() - checkedAt < intervalMs) return Promise.resolve(value);
      askOnce();
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    seen: (meta, at) => {
      value = meta;
      checkedAt = at;
      for (const waiter of settle()) waiter.resolve(meta);
    },
    failed: (error) => {
      for (const waiter of settle()) waiter.reject(error);
    },
  };
}
