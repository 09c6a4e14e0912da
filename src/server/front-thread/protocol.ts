// Messages between the app's thread (front-thread.ts) and the front thread (front-worker.ts).
// Everything here crosses a MessagePort by structured clone: plain data, Buffers and Dates.
import type { OutgoingHttpHeaders } from 'node:http';
import type { CachedResponse } from '../../api/cache/response-cache.js';
import type { PublishMeta } from '../../api/data/gold-reader.js';
import type { FrontReport } from '../../api/front-link.js';

/** The front thread's configuration (its workerData). */
export interface FrontSettings {
  /** The public address. */
  readonly port: number;
  readonly host: string;
  /** The app's private socket, where everything the front does not answer is forwarded. */
  readonly upstream: string;
  /** Opens the header of every forwarded request (src/api/middleware/forwarded.ts). */
  readonly secret: string;
  readonly apiKeys: readonly string[];
  readonly rateLimitPerMinute: number;
  readonly cacheMaxEntries: number;
  readonly cacheMaxBytes: number;
  readonly versionCheckMs: number;
  readonly compressionThreshold: number;
  readonly logLevel: string;
  /** The lock of the app's stdout writes (block-writer.ts), shared by structured clone. */
  readonly stdoutLock?: Int32Array;
}

/** From the app to the front thread. */
export type ToFront =
  | { readonly type: 'remember'; readonly url: string; readonly route: string; readonly entry: CachedResponse; readonly headers: OutgoingHttpHeaders }
  /** The publish version and when it was read: the answer to a `check`. */
  | { readonly type: 'version'; readonly meta: PublishMeta | null; readonly checkedAt: number }
  /** The version could not be read (MongoDB down): requests waiting for it are forwarded. */
  | { readonly type: 'version-failed' }
  | { readonly type: 'report'; readonly id: number }
  /** Shutdown: stop accepting, answer `closed` once every connection has ended. */
  | { readonly type: 'close' }
  | { readonly type: 'close-idle' }
  | { readonly type: 'close-all' };

/** From the front thread to the app. */
export type FromFront =
  | { readonly type: 'listening'; readonly address: string; readonly port: number }
  | { readonly type: 'listen-failed'; readonly message: string; readonly code: string | undefined }
  /** A version check is due (see remote-tracker.ts). */
  | { readonly type: 'check' }
  | { readonly type: 'report'; readonly id: number; readonly report: FrontReport }
  | { readonly type: 'closed' };
