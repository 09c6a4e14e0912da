// `npm run demo`: the whole product on sample data from one command, nothing to configure.
//   generate sources → build gold into data/gold → MongoDB (MONGO_URI if set, else an embedded
//   one) → publish → serve the API on PORT (default 5000) and print the URLs. Ctrl-C stops all.
// With MINIO_ENDPOINT set, the gold is also uploaded to that MinIO and published from it.
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoClient } from 'mongodb';
import type { Logger } from 'pino';
import { createApp } from '../src/app.js';
import { createLifecycle } from '../src/api/lifecycle.js';
import { loadConfig } from '../src/config/config.js';
import { AppError, isAppError } from '../src/errors/app-error.js';
import { createLogger } from '../src/logging/logger.js';
import { runPublish } from '../publisher/run.js';
import { createS3Client } from '../publisher/sources/s3-client.js';
import type { PublishSummary } from '../publisher/types.js';
import { DEMO_ERROR_CODES, type EmbeddedMongo, startEmbeddedMongo } from '../tools/demo/embedded-mongo.js';
import { writeSources } from '../tools/generator/cli.js';
import { DEFAULT_END_MS } from '../tools/generator/generate.js';
import { buildGold } from '../tools/gold-builder/build-gold.js';

export interface DemoOptions {
  /** Environment (default process.env): MONGO_URI, MINIO_*, PORT, HOST, LOG_LEVEL... */
  readonly env?: Record<string, string | undefined>;
  /** Folder holding data/sources and data/gold (default: the current directory). */
  readonly workDir?: string;
  /** Overrides PORT (0 = any free port). */
  readonly port?: number;
  readonly clients?: number;
  readonly purchasesPerClient?: number;
  readonly seed?: number;
  /** Where progress lines go (default console.log). */
  readonly say?: (line: string) => void;
  /** PATH searched for mongod (default process.env.PATH). */
  readonly path?: string;
}

export interface DemoHandle {
  readonly urls: { readonly api: string; readonly docs: string; readonly dashboard: string | null };
  readonly mongo: { readonly kind: 'configured' | EmbeddedMongo['kind']; readonly description: string };
  readonly publish: PublishSummary;
  stop(): Promise<void>;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoHandle> {
  const env = options.env ?? process.env;
  const say = options.say ?? ((line: string) => console.log(line));
  const workDir = resolve(options.workDir ?? process.cwd());
  const sourcesDir = join(workDir, 'data', 'sources');
  const goldDir = join(workDir, 'data', 'gold');
  const useMinio = Boolean(env.MINIO_ENDPOINT);
  // The publisher reads the gold this demo just built, unless the user pointed elsewhere.
  // Quiet logs (warn) unless LOG_LEVEL is set: the demo prints its own progress lines.
  const config = loadConfig({
    ...env,
    LOCAL_GOLD_DIRS: env.LOCAL_GOLD_DIRS ?? goldDir,
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    ...(options.port === undefined ? {} : { PORT: String(options.port) }),
  });
  const logger: Logger = createLogger({ level: config.LOG_LEVEL, name: 'gold-demo' });
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.splice(0).reverse()) await s().catch((error: unknown) => logger.error({ err: error }, 'demo: stop step failed'));
  };

  try {
    say('1/5 generate sample sources');
    const generated = await writeSources(sourcesDir, {
      clients: options.clients ?? 1_500,
      purchasesPerClient: options.purchasesPerClient ?? 15,
      seed: options.seed ?? 42,
      endMs: DEFAULT_END_MS,
    });
    say(`    ${generated.clients} clients, ${generated.purchases} purchases → ${sourcesDir}`);

    say(`2/5 build gold → ${goldDir}${useMinio ? ` and MinIO ${config.MINIO_ENDPOINT}/${config.GOLD_BUCKET}` : ''}`);
    const s3 = useMinio ? createS3Client(config) : null;
    const built = await buildGold({
      sourcesDir,
      outDir: goldDir,
      ...(s3 ? { upload: { client: s3, bucket: config.GOLD_BUCKET, prefix: config.GOLD_PREFIX } } : {}),
    });
    s3?.destroy();
    say(`    ${built.tables.length} tables in ${Math.round(built.timings.total ?? 0)} ms (ref ${built.referenceDate})`);

    say('3/5 MongoDB');
    let mongoUri = config.MONGO_URI;
    let mongo: DemoHandle['mongo'] = { kind: 'configured', description: `MONGO_URI (${redact(config.MONGO_URI)})` };
    if (!env.MONGO_URI) {
      const embedded = await startEmbeddedMongo({ ...(options.path === undefined ? {} : { path: options.path }), onNote: (n) => say(`    ${n}`) });
      stops.push(() => embedded.stop());
      mongoUri = embedded.uri;
      mongo = { kind: embedded.kind, description: embedded.description };
    }
    say(`    ${mongo.description}`);
    const client = new MongoClient(mongoUri, { serverSelectionTimeoutMS: config.MONGO_SERVER_SELECTION_TIMEOUT_MS, appName: 'gold-serving-demo' });
    await client.connect();
    stops.push(() => client.close());
    const db = client.db(config.MONGO_DB);

    say(`4/5 publish (${useMinio ? 'MinIO first, then local folders' : `local gold in ${config.LOCAL_GOLD_DIRS.join(', ')}`})`);
    const publish = await runPublish({ source: useMinio ? 'auto' : 'local', force: true }, { config, logger, db });
    const counts = Object.entries(publish.collections).map(([c, n]) => `${c} ${n}`).join(', ');
    say(`    published version ${publish.version}: ${counts}`);

    say('5/5 serve the API');
    const lifecycle = createLifecycle();
    // Per-request warnings (404s while browsing) are noise in a demo: errors only, unless LOG_LEVEL is set.
    const apiLogger = env.LOG_LEVEL ? logger : createLogger({ level: 'error', name: 'gold-demo' });
    const app = createApp({ db, config, logger: apiLogger, lifecycle });
    const server = await listen(app.listen.bind(app), config.PORT, config.HOST);
    stops.push(() => closeServer(server, lifecycle));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const base = `http://localhost:${port}`;
    const dashboard = (await fetch(`${base}/`).then((r) => r.ok && (r.headers.get('content-type') ?? '').includes('html')).catch(() => false)) ? `${base}/` : null;
    const urls = { api: `${base}/kpis`, docs: `${base}/docs`, dashboard };
    say('');
    say(`    API        ${urls.api}   (also /daily, /monthly, /scores, /segments, /health ...)`);
    say(`    API docs   ${urls.docs}`);
    say(dashboard ? `    Dashboard  ${dashboard}` : '    Dashboard  not available in this build (GET / is not the dashboard yet)');
    return { urls, mongo, publish, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

type Listen = (port: number, host: string, callback: () => void) => Server;

function listen(appListen: Listen, port: number, host: string): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = appListen(port, host, () => resolvePromise(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new AppError(DEMO_ERROR_CODES.PORT_IN_USE, `demo: port ${port} is already in use; set PORT to another port (e.g. PORT=5050 npm run demo)`, { cause: error })
          : error,
      );
    });
  });
}

function closeServer(server: Server, lifecycle: { shuttingDown: boolean }): Promise<void> {
  lifecycle.shuttingDown = true;
  return new Promise((resolvePromise) => {
    server.close(() => resolvePromise());
    server.closeAllConnections();
  });
}

function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runDemo().then(
    (demo) => {
      console.log('\nCtrl-C stops the API and the database.');
      let stopping = false;
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.on(signal, () => {
          if (stopping) return;
          stopping = true;
          console.log(`\n${signal}: stopping...`);
          demo.stop().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        });
      }
    },
    (error: unknown) => {
      console.error(isAppError(error) ? `demo failed: ${error.code}: ${error.message}` : error);
      process.exit(1);
    },
  );
}
