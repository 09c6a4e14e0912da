// What the app exchanges with a front thread that answers its cache hits in another V8 isolate
// (src/server/front-thread): the app hands it every response it may replay, answers its version
// checks, and adds its metrics to /metrics. The app sees only this interface.
import type { CacheStats } from './cache/response-cache.js';
import type { VersionTracker } from './cache/version-tracker.js';
import type { HotPath } from './http/hot-path.js';
import type { RequestPathSnapshot } from './metrics/api-metrics.js';

/** The front thread's own figures, for /metrics. */
export interface FrontReport {
  readonly metrics: RequestPathSnapshot;
  readonly hotCache: CacheStats;
}

export interface FrontLink {
  /** A response the front thread may replay (HotPath.remember's arguments, sent to the thread). */
  readonly remember: HotPath['remember'];
  /** The thread's figures; null when it does not answer in time (the last ones then stand). */
  report(): Promise<FrontReport | null>;
  /** Called once by createApp: the thread's version checks are answered with this tracker. */
  serveVersionChecks(tracker: Pick<VersionTracker, 'renew' | 'checkedAt'>): void;
}
