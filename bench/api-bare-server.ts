// Baseline for the API benchmark: a bare node:http server, in its own process, answering each
// path with the exact bytes (and content type) the API returned for it. Reads the responses
// from the JSON file named on the command line and prints its port on stdout.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Captured {
  readonly contentType: string;
  readonly bodyBase64: string;
}

const file = process.argv[2];
if (!file) throw new Error('usage: api-bare-server.ts <responses.json>');
const captured = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Captured>;
const routes = new Map(Object.entries(captured).map(([path, c]) => [path, { type: c.contentType, body: Buffer.from(c.bodyBase64, 'base64') }]));

const server = http.createServer((req, res) => {
  const route = routes.get(req.url ?? '');
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': route.type, 'Content-Length': route.body.length });
  res.end(route.body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
