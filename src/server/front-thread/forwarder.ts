// The front thread's way to the app: every request the front does not answer from its cache is
// sent, as it came, to the app's private socket, and the app's response is streamed back as it
// comes (exports included: backpressure both ways, a client that goes away cancels the app's
// response, and a response the app cuts off is cut off for the client too, never completed).
//
// Rate limiting is counted here, once per request, in the front thread's counter, the only one
// (see src/api/middleware/forwarded.ts): the request carries its client's key and the window it
// was counted in, and the app's pipeline answers with the same headers and 429 as when it counts.
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { API_ERROR_CODES } from '../../api/api-errors.js';
import { encodeForwarded, FORWARDED_HEADER } from '../../api/middleware/forwarded.js';
import { newRequestId } from '../../api/middleware/observability.js';
import { clientKey } from '../../api/middleware/rate-limit-store.js';
import type { RateLimiting } from '../../api/middleware/security.js';
import { errorResponse } from '../client-errors.js';

export interface ForwarderOptions {
  /** The app's private socket (a Unix socket path). */
  readonly socketPath: string;
  /** The process's forwarding secret (forwarded.ts). */
  readonly secret: string;
  readonly rateLimiting: Pick<RateLimiting, 'counter' | 'exempt'> | null;
  /** A request could not be handed to the app (logged by the caller). */
  readonly onError: (error: Error, req: IncomingMessage) => void;
}

export interface Forwarder {
  readonly listener: RequestListener;
  /** Closes the idle connections to the app (at shutdown, once the public server has closed). */
  close(): void;
}

/** Connection-level headers: each hop has its own (RFC 9110 7.6.1); node:http sets them on both. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-connection', 'expect']);

/** A raw header list without the hop-by-hop headers and without `drop` (lower case). */
function endToEnd(raw: readonly string[], drop?: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(name) && name !== drop) kept.push(raw[i]!, raw[i + 1]!);
  }
  return kept;
}

/**
 * The path of a request target, as Express's `req.path` reads it (so that the probes the app
 * exempts are exempt here): up to `?` or `#`, and the path of an absolute-form target.
 */
export function pathOf(url: string): string {
  if (!url.startsWith('/')) {
    try {
      return new URL(url).pathname;
    } catch {
      return url;
    }
  }
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

export function createForwarder(options: ForwarderOptions): Forwarder {
  const { rateLimiting } = options;
  const agent = new http.Agent({ keepAlive: true, scheduling: 'lifo' });

  const unavailable = (res: ServerResponse): void => {
    const { headers, body } = errorResponse('the API thread did not answer; retry shortly', { stage: 'front thread → API thread' }, newRequestId(), API_ERROR_CODES.INTERNAL);
    res.writeHead(503, { ...headers, 'Retry-After': '1' }).end(body);
  };

  const listener: RequestListener = (req, res) => {
    const key = clientKey(req);
    const window = rateLimiting && !rateLimiting.exempt(pathOf(req.url ?? '')) ? rateLimiting.counter.hit(key) : undefined;
    // A client's own x-gold-front is dropped: only the front says what the header says.
    const headers = endToEnd(req.rawHeaders, FORWARDED_HEADER);
    headers.push(FORWARDED_HEADER, encodeForwarded({ key, window }, options.secret));
    // A body sent chunked is forwarded chunked: node's client sends a GET's body unframed
    // otherwise, and the app would read it as more requests (found by an audit). One sent with
    // Content-Length keeps it (an end-to-end header).
    if (req.headers['transfer-encoding'] !== undefined) headers.push('Transfer-Encoding', 'chunked');
    let upstream: http.ClientRequest;
    try {
      upstream = http.request({ socketPath: options.socketPath, agent, method: req.method, path: req.url, headers, setHost: false });
    } catch (error) {
      // node:http's client refuses what its server accepted (a header or target it will not send).
      options.onError(error as Error, req);
      unavailable(res);
      return;
    }
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
      answer.pipe(res);
      // Cut off by the app (e.g. an export whose cursor failed): cut off here too.
      answer.on('close', () => {
        if (!answer.complete) res.destroy();
      });
    });
    upstream.on('error', (error) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // The client went away first (the `close` handler below ended the forwarding): not a fault.
      if (res.destroyed) return;
      options.onError(error, req);
      unavailable(res);
    });
    // The client went away before the response was sent: stop the app's work on it.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  return { listener, close: () => agent.destroy() };
}
