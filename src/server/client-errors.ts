// Requests node:http rejects before any handler runs (a malformed request line, raw non-ASCII
// bytes in the URL, headers over the size limit, a request that timed out): node's default
// answer is a bare status line with an empty body; this sends the API's JSON error shape
// `{ error, code, details }` instead, so every 4xx a client can get is the same kind of body.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { API_ERROR_CODES } from '../api/api-errors.js';
import { newRequestId } from '../api/middleware/observability.js';

interface ClientError extends Error {
  code?: string;
}

const STATUS_TEXT: Readonly<Record<number, string>> = Object.freeze({ 400: 'Bad Request', 408: 'Request Timeout', 417: 'Expectation Failed', 431: 'Request Header Fields Too Large' });

/** The API's JSON error body with the headers every API response carries (a fresh request id, the security set). */
export function errorResponse(
  error: string,
  details: Record<string, unknown>,
  requestId: string,
  code: string = API_ERROR_CODES.BAD_REQUEST,
): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify({ error, code, details });
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none';frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Request-Id': requestId,
  };
  return { headers, body };
}

/**
 * The raw response for a request node:http could not parse (pure; `code` is the parser's error
 * code): the API's error shape, a fresh request id, and the security headers of every API response.
 */
export function clientErrorResponse(code: string | undefined, requestId: string): string {
  const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const error =
    status === 431 ? 'request headers too large' : status === 408 ? 'request not received in time' : `malformed HTTP request (${code ?? 'unparsable'}): a valid HTTP/1.1 request line and headers, with an ASCII, percent-encoded URL, were expected`;
  const { headers, body } = errorResponse(error, { status, parser: code ?? null }, requestId);
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\n${lines.join('')}Connection: close\r\n\r\n${body}`;
}

/**
 * Answers `server`'s client errors with clientErrorResponse (as node's default does, once, then
 * closes), and an `Expect` other than 100-continue with the JSON 417 node would send bare.
 */
export function answerClientErrors(server: Server): void {
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const details = { header: 'Expect', value: String(req.headers.expect ?? '').slice(0, 80) };
    const { headers, body } = errorResponse('unsupported Expect header: only 100-continue is supported', details, newRequestId());
    res.writeHead(417, headers).end(body);
  });
  server.on('clientError', (error: ClientError, socket: Duplex) => {
    // A reset or a half-sent response: nothing can be written (node's default does the same).
    if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error.code, newRequestId()));
  });
}
