// Requests node:http cannot parse get the API's JSON error body, not node's bare status line.
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrors } from '../../../src/server/client-errors.js';

let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer((_req, res) => res.end('ok'));
  answerClientErrors(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Sends `bytes` on a fresh connection; resolves with everything the server wrote before closing. */
async function raw(bytes: Buffer): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {});
  socket.write(bytes);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('utf8');
}

function parse(response: string): { status: number; headers: string; body: Record<string, unknown> } {
  const [head = '', body = ''] = response.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head, body: JSON.parse(body) as Record<string, unknown> };
}

describe('requests node:http cannot parse', () => {
  it('answers raw non-ASCII bytes in the URL with a JSON 400 naming the problem, and closes', async () => {
    const res = parse(await raw(Buffer.concat([Buffer.from('GET /scores?pays='), Buffer.from([0xc3, 0xa9]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')])));
    expect(res.status).toBe(400);
    expect(res.headers).toMatch(/content-type: application\/json; charset=utf-8/i);
    expect(res.headers).toMatch(/connection: close/i);
    // Like every API response: a request id (generated: nothing of the request was read) and the
    // security headers.
    expect(res.headers).toMatch(/^x-request-id: [0-9a-f]{16}-[0-9a-z]+$/im);
    expect(res.headers).toMatch(/^x-content-type-options: nosniff$/im);
    expect(res.headers).toMatch(/^content-security-policy: default-src 'none';frame-ancestors 'none'$/im);
    expect(res.body).toMatchObject({ code: 'BAD_REQUEST', error: expect.stringContaining('malformed'), details: { status: 400 } });
  });

  it('answers headers over the size limit with a JSON 431', async () => {
    const res = parse(await raw(Buffer.from(`GET /kpis HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)));
    expect(res.status).toBe(431);
    expect(res.body).toMatchObject({ code: 'BAD_REQUEST', details: { status: 431, parser: 'HPE_HEADER_OVERFLOW' } });
  });

  it('answers an Expect other than 100-continue with a JSON 417 naming the header', async () => {
    const res = parse(await raw(Buffer.from('GET /kpis HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nConnection: close\r\n\r\n')));
    expect(res.status).toBe(417);
    expect(res.body).toMatchObject({ code: 'BAD_REQUEST', details: { header: 'Expect', value: 'foo' } });
    expect(res.headers).toMatch(/^x-request-id: [0-9a-f]{16}-[0-9a-z]+$/im);
  });

  it('still serves well-formed requests on other connections', async () => {
    expect(await (await fetch(`http://127.0.0.1:${port}/kpis`)).text()).toBe('ok');
  });
});
