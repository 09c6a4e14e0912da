// Container health probe, run by the image's HEALTHCHECK and the compose `api` service:
//   node docker/healthcheck.js [/readyz]
// Exits 0 when GET http://127.0.0.1:$PORT<path> answers 2xx, 1 otherwise (error, non-2xx,
// or no answer within HEALTHCHECK_TIMEOUT_MS). Plain node:http so the image needs no curl.
import http from 'node:http';

const path = process.argv[2] ?? '/readyz';
const port = Number(process.env.PORT ?? 5000);
const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS ?? 4000);

const request = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (response) => {
  const status = response.statusCode ?? 0;
  response.resume();
  const healthy = status >= 200 && status < 300;
  console.log(`healthcheck GET ${path} on port ${port}: ${status}`);
  process.exit(healthy ? 0 : 1);
});
request.on('timeout', () => {
  console.log(`healthcheck GET ${path} on port ${port}: no answer within ${timeoutMs} ms`);
  request.destroy();
  process.exit(1);
});
request.on('error', (error) => {
  console.log(`healthcheck GET ${path} on port ${port}: ${error.message}`);
  process.exit(1);
});
