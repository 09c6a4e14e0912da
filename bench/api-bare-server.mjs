// Baseline for the API benchmark: a bare node:http server, in its own process, answering each
// path with the exact bytes (and content type) the API returned for it — in `full` mode also
// with every header the API sent (security, CORS, caching, rate limit), i.e. the same response
// bytes, which is the floor for serving that response with node:http. Reads the responses from
// the JSON file named on the command line and prints its port on stdout.
// Plain JavaScript run by plain `node`, like the API under test (dist/src/main.js): no loader in
// either process, so the two are compared on equal terms.
// Usage: node bench/api-bare-server.mjs <responses.json> [body|full]
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [file, mode = 'body'] = process.argv.slice(2);
if (!file || (mode !== 'body' && mode !== 'full')) throw new Error('usage: node bench/api-bare-server.mjs <responses.json> [body|full]');
/** @type {Record<string, { contentType: string, headers: Record<string, string>, bodyBase64: string }>} */
const captured = JSON.parse(readFileSync(file, 'utf8'));
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
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
