// Follows the publish version in the meta document, reading it once per interval (slightly
// sooner under traffic, see `fresh`) and never twice concurrently: about one tiny MongoDB read
// per second.
import type { PublishMeta } from '../data/gold-reader.js';

export interface VersionTracker {
  /** The current publish (null: none yet), re-read when older than the interval. */
  current(): Promise<PublishMeta | null>;
  /** Last value seen, without I/O (for metrics). */
  peek(): PublishMeta | null;
  /**
   * The current publish when it was checked within the interval, else undefined (no waiting).
   * In the last tenth of the interval it also starts the next read (once), so that under steady
   * traffic the value is renewed before it expires: the cache lanes then do not hand requests
   * to the slow path just to wait for the periodic read (the front lane ran 7–13% slower at
   * saturation with those detours, docs/api.md).
   */
  fresh(): PublishMeta | null | undefined;
  /**
   * The value re-read when it is in the last tenth of the interval or older (the point where
   * `fresh` reads ahead), else the current one: for the front thread, which reads ahead through
   * this tracker (src/server/front-thread).
   */
  renew(): Promise<PublishMeta | null>;
  /** When the current value was read (ms since the epoch; -Infinity before the first read). */
  checkedAt(): number;
}

export function createVersionTracker(
  readMeta: () => Promise<PublishMeta | null>,
  intervalMs: number,
  onChange: (meta: PublishMeta | null) => void,
  now: () => number = Date.now,
): VersionTracker {
  let value: PublishMeta | null = null;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<PublishMeta | null> | null = null;
  const aheadMs = intervalMs * 0.9;

  const refresh = (): Promise<PublishMeta | null> => {
    pending ??= readMeta()
      .then((meta) => {
        if (meta?.version !== value?.version) onChange(meta);
        value = meta;
        checkedAt = now();
        return meta;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };

  return {
    current: () => (now() - checkedAt < intervalMs ? Promise.resolve(value) : refresh()),
    renew: () => (now() - checkedAt < aheadMs ? Promise.resolve(value) : refresh()),
    checkedAt: () => checkedAt,
    peek: () => value,
    fresh: () => {
      const age = now() - checkedAt;
      if (age >= intervalMs) return undefined;
      // A failed read is not reported here: the next request past the interval takes the slow
      // path, whose own read reports it (503 when MongoDB is down).
      if (age >= aheadMs && !pending) refresh().catch(() => undefined);
      return value;
    },
  };
}
