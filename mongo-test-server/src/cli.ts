// `npm run mongo-test-server -- --port N`: runs the test server until SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { startMongoTestServer } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '27017' }, host: { type: 'string', default: '127.0.0.1' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`mongo-test-server: --port must be an integer in [0, 65535], got '${values.port}'`);
    process.exit(2);
  }
  const server = await startMongoTestServer({ port, host: values.host, logLevel: 'info' });
  console.log(`mongo-test-server ready at ${server.uri}`);
  const shutdown = (signal: string): void => {
    console.log(`mongo-test-server: ${signal} received, stopping`);
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('mongo-test-server failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
