// Follows the publish version in the meta document, reading it at most once per interval and
// never twice concurrently, so the cache costs one tiny MongoDB read per second at most.
import type { PublishMeta } from '../data/gold-reader.js';

export interface VersionTracker {
  /** The current publish (null: none yet), re-read when older than the interval. */
  current(): Promise<PublishMeta | null>;
  /** Last value seen, without I/O (for metrics). */
  peek(): PublishMeta | null;
  /** The current publish when it was checked within the interval, else undefined (no I/O). */
  fresh(): PublishMeta | null | undefined;
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
    peek: () => value,
    fresh: () => (now() - checkedAt < intervalMs ? value : undefined),
  };
}
