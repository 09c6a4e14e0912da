#!/usr/bin/env node
// `publish-gold`: thin entry around runPublish. Reads the configuration from the environment,
// connects to MongoDB, shows progress, prints one human line, writes --report, and exits
// 0 (published / nothing changed), 2 (invalid input) or 1 (anything else).
import { writeFile } from 'node:fs/promises';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../src/config/config.js';
import { AppError, isAppError } from '../src/errors/app-error.js';
import { createLogger } from '../src/logging/logger.js';
import { USAGE, parseCliArgs } from './cli-args.js';
import { PUBLISH_ERRORS } from './errors.js';
import { createProgress } from './progress.js';
import { runPublish } from './run.js';
import { EXIT, exitCodeOf, humanLine } from './summary.js';

async function main(argv: readonly string[]): Promise<number> {
  const started = performance.now();
  let report: string | undefined;
  let client: MongoClient | undefined;
  const progress = createProgress(Boolean(process.stderr.isTTY));
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    report = args.report;
    const config = loadConfig(process.env);
    // On a terminal the bar shows progress, so only warnings are logged.
    const logger = createLogger({ level: process.stderr.isTTY && config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, name: 'publish-gold' });
    if (!args.options.check) {
      client = new MongoClient(config.MONGO_URI, { serverSelectionTimeoutMS: 5_000, connectTimeoutMS: 5_000 });
      await client.connect().catch((error: unknown) => {
        // The driver's message names host:port, never the credentials of MONGO_URI.
        const why = error instanceof Error ? error.message : String(error);
        throw new AppError(PUBLISH_ERRORS.MONGO_UNREACHABLE, `mongo: cannot connect for database ${config.MONGO_DB} within 5 s: ${why}`, { status: 503, cause: error });
      });
    }
    const summary = await runPublish(args.options, {
      config,
      logger,
      ...(client ? { client, mongoUri: config.MONGO_URI } : {}),
      ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
    });
    progress.stop();
    if (report) await writeFile(report, `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(`${humanLine(summary, (performance.now() - started) / 1000)}\n`);
    return summary.valid ? EXIT.ok : EXIT.invalid;
  } catch (error) {
    progress.stop();
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (report) {
      const failure = { status: 'failed', exit_code: code, error: isAppError(error) ? { code: error.code, message, details: error.details } : { code: 'INTERNAL', message } };
      await writeFile(report, `${JSON.stringify(failure, null, 2)}\n`).catch(() => undefined);
    }
    process.stderr.write(`publish-gold failed (exit ${code}${isAppError(error) ? `, ${error.code}` : ''}): ${message}\n`);
    if (!isAppError(error) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return code;
  } finally {
    await client?.close().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`publish-gold crashed: ${String(error)}\n`);
    process.exitCode = EXIT.failure;
  },
);
