// Baseline for the API benchmark: a bare node:http server, in its own process, answering each
// path with the exact bytes (and content type) the API returned for it — in `full` mode also
// with every header the API sent (security, CORS, caching), i.e. the same response bytes, which
// is the floor for serving that response with node:http. Reads the responses from the JSON file
// named on the command line and prints its port on stdout.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Captured {
  readonly contentType: string;
  readonly headers: Record<string, string>;
  readonly bodyBase64: string;
}

const [file, mode = 'body'] = process.argv.slice(2);
if (!file || (mode !== 'body' && mode !== 'full')) throw new Error('usage: api-bare-server.ts <responses.json> [body|full]');
const captured = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Captured>;
const routes = new Map(
  Object.entries(captured).map(([path, c]) => {
    const body = Buffer.from(c.bodyBase64, 'base64');
    const headers = mode === 'full' ? { ...c.headers, 'content-length': body.length } : { 'Content-Type': c.contentType, 'Content-Length': body.length };
    return [path, { headers, body }];
  }),
);

const server = http.createServer((req, res) => {
  const route = routes.get(req.url ?? '');
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, route.headers);
  res.end(route.body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
