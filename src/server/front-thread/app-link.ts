// The app's side of its link to the front thread (FrontLink, src/api/front-link.ts): passes the
// thread every response it may replay (once per representation), answers its version checks
// with the app's tracker, and asks it for its figures when /metrics is scraped.
import type { Worker } from 'node:worker_threads';
import type { VersionTracker } from '../../api/cache/version-tracker.js';
import type { FrontLink, FrontReport } from '../../api/front-link.js';
import type { FromFront, ToFront } from './protocol.js';

/** How long /metrics waits for the thread's figures before serving without them. */
const REPORT_TIMEOUT_MS = 1000;
/** A response already sent to the thread is sent again after this long at the earliest. */
const RESEND_MS = 10_000;
/** URLs whose last sending is remembered (all forgotten past this: they are only sent again). */
const MAX_SENT = 10_000;

export type AppLink = FrontLink & { connect(worker: Worker): void };

/**
 * The app's side of the link, before there is a thread (createApp takes it); `startFrontThread`
 * connects it.
 */
export function createFrontLink(): AppLink {
  let worker: Worker | undefined;
  let tracker: Pick<VersionTracker, 'renew' | 'checkedAt'> | undefined;
  let nextReport = 0;
  const reports = new Map<number, (report: FrontReport) => void>();
  const send = (message: ToFront): void => worker?.postMessage(message);

  const answerCheck = (): void => {
    const appTracker = tracker;
    if (!appTracker) return;
    appTracker.renew().then(
      (meta) => send({ type: 'version', meta, checkedAt: appTracker.checkedAt() }),
      () => send({ type: 'version-failed' }),
    );
  };

  // What was last sent per URL: the app remembers a response on each of its own cache hits too
  // (HEAD, exports' Accept, a coding not kept yet…), and a body crosses to the thread by copy.
  // The same representation is sent again only after RESEND_MS, in case the thread evicted it.
  const sent = new Map<string, { readonly etag: string; readonly at: number }>();

  return {
    remember: (url, route, entry, headers) => {
      const now = Date.now();
      const last = sent.get(url);
      if (last?.etag === entry.etag && now - last.at < RESEND_MS) return;
      if (sent.size >= MAX_SENT) sent.clear();
      sent.set(url, { etag: entry.etag, at: now });
      send({ type: 'remember', url, route, entry, headers });
    },
    serveVersionChecks: (appTracker) => {
      tracker = appTracker;
    },
    report: () => {
      const thread = worker;
      if (!thread) return Promise.resolve(null);
      const id = ++nextReport;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          reports.delete(id);
          resolve(null);
        }, REPORT_TIMEOUT_MS);
        reports.set(id, (report) => {
          clearTimeout(timer);
          resolve(report);
        });
        thread.postMessage({ type: 'report', id } satisfies ToFront);
      });
    },
    connect: (thread) => {
      worker = thread;
      thread.on('message', (message: FromFront) => {
        if (message.type === 'check') answerCheck();
        else if (message.type === 'report') {
          reports.get(message.id)?.(message.report);
          reports.delete(message.id);
        }
      });
    },
  };
}
