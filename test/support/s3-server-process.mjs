// Child process running s3rver for the tests (see README.md for why a child process).
// Started by s3-server.ts with `node --openssl-legacy-provider`: s3rver encrypts listing
// continuation tokens with DES, which OpenSSL 3 only offers from its legacy provider.
// Prints one JSON line {"port": n} once listening; exits on SIGTERM/SIGINT or when stdin closes.
import S3rver from 's3rver';

const directory = process.argv[2];
if (!directory) {
  process.stderr.write('usage: s3-server-process.mjs <data-directory>\n');
  process.exit(2);
}

const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
const address = await server.run();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await server.close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin open: if it dies without stopping us, we go too.
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
