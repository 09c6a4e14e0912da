// The front thread: the API's public HTTP server, in a V8 isolate of its own. It answers cache
// hits (the front lane, src/api/http/hot-front.ts, with its own copy of the hot cache that the
// app fills) and forwards everything else to the app's thread (forwarder.ts).
//
// Why a thread: the same front lane costs ~1.35× as much per request in the app's isolate as in
// a process that runs nothing else. node:http's code is compiled there for every object shape
// Express, its middleware and the MongoDB driver make, and V8's inline caches and inlining
// decisions are per isolate (docs/api.md, "The rest of the gap is the process, not the lane").
// Here node:http only ever sees the front lane's requests.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { createHotPath } from '../../api/http/hot-path.js';
import { createFrontListener } from '../../api/http/hot-front.js';
import { requestPathMetrics } from '../../api/metrics/api-metrics.js';
import { PROBE_PATHS, rateLimitCounter } from '../../api/middleware/security.js';
import { createLogger } from '../../logging/logger.js';
import { answerClientErrors } from '../client-errors.js';
import { createForwarder } from './forwarder.js';
import type { FromFront, FrontSettings, ToFront } from './protocol.js';
import { createRemoteTracker } from './remote-tracker.js';

const port = parentPort;
if (!port) throw new Error('front-worker.ts runs as a worker thread (started by front-thread.ts)');
const settings = workerData as FrontSettings;
const post = (message: FromFront): void => port.postMessage(message);

// Same module binding as the app's API logger, so the access lines read the same.
const root = createLogger({ level: settings.logLevel, buffered: { flushMs: 1000, lock: settings.stdoutLock } });
const logger = root.child({ module: 'api' });
const metrics = requestPathMetrics();
const tracker = createRemoteTracker(settings.versionCheckMs, () => post({ type: 'check' }));
const rateLimiting = settings.rateLimitPerMinute > 0 ? { counter: rateLimitCounter(settings.rateLimitPerMinute), exempt: (path: string) => PROBE_PATHS.has(path) } : null;
const hot = createHotPath({
  tracker,
  metrics,
  logger,
  maxEntries: settings.cacheMaxEntries,
  maxBytes: settings.cacheMaxBytes,
  compressionThreshold: settings.compressionThreshold,
  rateLimitHeaders: rateLimiting !== null,
});
const forwarder = createForwarder({
  socketPath: settings.upstream,
  secret: settings.secret,
  rateLimiting,
  onError: (error, req) => logger.error({ err: error, method: req.method, url: req.url }, 'front thread: could not forward a request to the API thread'),
});
// node:http's own request and response classes: nothing but the front lane and the forwarder
// ever touches them in this isolate (the app's thread shapes its own, shaped-messages.ts).
const server = http.createServer(createFrontListener(forwarder.listener, { hot, logger, apiKeys: settings.apiKeys, rateLimiting }));
answerClientErrors(server);
server.on('error', (error: NodeJS.ErrnoException) => post({ type: 'listen-failed', message: error.message, code: error.code }));
server.listen(settings.port, settings.host, () => {
  const address = server.address();
  if (address && typeof address === 'object') post({ type: 'listening', address: address.address, port: address.port });
});

port.on('message', (message: ToFront) => {
  switch (message.type) {
    case 'remember':
      hot.remember(message.url, message.route, message.entry, message.headers);
      break;
    case 'version':
      tracker.seen(message.meta, message.checkedAt);
      break;
    case 'version-failed':
      tracker.failed(new Error('the API thread could not read the publish version'));
      break;
    case 'report':
      post({ type: 'report', id: message.id, report: { metrics: metrics.snapshot(), hotCache: hot.stats() } });
      break;
    case 'close':
      server.close(() => {
        forwarder.close();
        root.flush();
        post({ type: 'closed' });
      });
      server.closeIdleConnections();
      break;
    case 'close-idle':
      server.closeIdleConnections();
      break;
    case 'close-all':
      server.closeAllConnections();
      break;
  }
});
