// Request and response classes for the API's HTTP server, shaped up front. Every request that
// goes through Express ends with different object shapes than a front-lane cache hit: Express
// swaps the prototype of `req` and `res`, and it, the router, pino-http, express-rate-limit,
// compression and on-finished add properties one by one. node:http's own functions (writeHead,
// _storeHeader, end, _send, resOnFinish, …) serve both lanes, so once a few dozen requests have
// gone through Express, V8 has recompiled them for every one of those shapes ("wrong map" in
// `node --trace-deopt`), and every later request pays for it, cache hits included: after 300
// probe, 404 and miss requests a cache hit cost ×1.64 the CPU of a bare server sending the same
// bytes, ×1.34–1.51 before any (docs/api.md, "Express traffic and node:http's compiled code").
//
// Here the constructors create, in a fixed order, every property the pipeline adds later (with
// the value it would otherwise inherit), and the prototypes are the ones Express installs, so
// the prototype swap is a no-op and the additions are plain stores: both lanes keep one shape,
// bar two private symbols (pino-http's, the router's). `bench:api-cpu` with
// BENCH_CPU_SIMULTANEOUS=1 and the build without this as BENCH_CPU_COMPARE_MAIN: that build costs
// 1.05–1.10× this one per cached request (medians of two runs; every run 1.02–1.12).
// test/integration/api/shaped-messages.test.ts fails when a library starts adding a property
// that is not declared here (an upgrade of Express, the router, pino-http, compression or the
// rate limiter).
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import { startTime } from 'pino-http';

/** The router's record of errors it already published to diagnostics channels (a registered symbol). */
const PUBLISHED_ERRORS = Symbol.for('router.tracing.publishedErrors');

/**
 * Own properties the pipeline may add that these classes cannot declare: private symbols of
 * pino-http (`reqObject`) and the router (`matchedRoute`). Each costs one more shape on the Express
 * path only; listed for the drift test.
 */
export const UNDECLARED_SYMBOLS = Object.freeze(['Symbol(reqObject)', 'Symbol(router.tracing.matchedRoute)']);

// node:http constructs responses with its options (highWaterMark, rejectNonStandardBodyWrites) as
// a second argument, which @types/node does not declare.
const BaseResponse = ServerResponse as unknown as new (req: IncomingMessage, options?: object) => ServerResponse;

/** `this` as the constructors write it: any property, any value. */
type Fields = Record<string | symbol, unknown>;

export interface ShapedMessages {
  readonly IncomingMessage: typeof IncomingMessage;
  readonly ServerResponse: typeof ServerResponse;
}

/**
 * The classes for `http.createServer({ IncomingMessage, ServerResponse }, listener)` serving
 * `app`. Points `app.request` and `app.response` at their prototypes (which inherit from
 * Express's), so Express's own prototype swap leaves the shape alone. Call once per app.
 */
export function shapedMessages(app: Express): ShapedMessages {
  // The values these properties have before the pipeline sets them (inherited).
  const response = app.response as unknown as ServerResponse;
  const { write, end, on, writeHead, statusCode, statusMessage } = response;

  class ShapedRequest extends IncomingMessage {
    constructor(socket: Socket) {
      super(socket);
      // Explicit `this.x =` stores (TypeScript's casts vanish from the output), not a loop, so V8
      // counts them and keeps the fields in-object. EventEmitter keeps its count on the prototype
      // (0) until a first listener is added.
      (this as Fields)._eventsCount = 0;
      (this as Fields).res = undefined;
      (this as Fields).next = undefined;
      (this as Fields).baseUrl = undefined;
      (this as Fields).originalUrl = undefined;
      (this as Fields)._parsedUrl = undefined;
      (this as Fields).params = undefined;
      (this as Fields).id = undefined;
      (this as Fields).rateLimit = undefined;
      (this as Fields).log = undefined;
      (this as Fields).allLogs = undefined;
      (this as Fields).route = undefined;
      (this as Fields)[PUBLISHED_ERRORS] = undefined;
    }
  }

  class ShapedResponse extends BaseResponse {
    constructor(req: IncomingMessage, options?: object) {
      super(req, options);
      (this as Fields).locals = undefined;
      (this as Fields).log = undefined;
      (this as Fields).allLogs = undefined;
      // compression and on-headers replace these per response; until then, the inherited ones.
      (this as Fields).flush = undefined;
      (this as Fields).write = write;
      (this as Fields).end = end;
      (this as Fields).on = on;
      (this as Fields).writeHead = writeHead;
      (this as Fields).statusCode = statusCode;
      (this as Fields).statusMessage = statusMessage;
      (this as Fields)[startTime] = undefined;
      // on-finished's listener queue (static files, finalhandler).
      (this as Fields).__onFinished = undefined;
    }
  }

  Object.setPrototypeOf(ShapedRequest.prototype, app.request);
  Object.setPrototypeOf(ShapedResponse.prototype, app.response);
  app.request = ShapedRequest.prototype as unknown as Express['request'];
  app.response = ShapedResponse.prototype as unknown as Express['response'];
  return { IncomingMessage: ShapedRequest, ServerResponse: ShapedResponse as unknown as typeof ServerResponse };
}
