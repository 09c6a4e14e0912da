#!/usr/bin/env node
// `publish-gold`: thin entry around runPublish. Reads the configuration from the environment,
// connects to MongoDB, shows progress, prints one human line, writes --report, and exits
// 0 (published / nothing changed), 2 (invalid input), 1 (anything else) or 3 (published, but
// --report could not be written afterwards). The --report folder is checked before anything else.
// SIGTERM/SIGINT stop a run: the publish lock is released at once and the process exits 143/130
// with the served publish unchanged (the next run drops the staging left behind) — unless the
// swap has begun, which is let finish (a few renames) so readers never see half of it.
import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../src/config/config.js';
import { AppError, isAppError } from '../src/errors/app-error.js';
import { createLogger } from '../src/logging/logger.js';
import { EXIT_REPORT_NOT_WRITTEN, USAGE, parseCliArgs } from './cli-args.js';
import { PUBLISH_ERRORS } from './errors.js';
import { releaseOwnLock } from './load/lock.js';
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
    // Fail fast: a report that cannot be written must not turn a publish into a failed run after
    // the new version is served.
    if (args.report) await assertReportWritable(args.report);
    report = args.report;
    const config = loadConfig(process.env);
    // On a terminal the bar shows progress, so only warnings are logged.
    const logger = createLogger({ level: process.stderr.isTTY && config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, name: 'publish-gold' });
    if (!args.options.check) {
      const selectionMs = config.MONGO_SERVER_SELECTION_TIMEOUT_MS;
      client = new MongoClient(config.MONGO_URI, { serverSelectionTimeoutMS: selectionMs, connectTimeoutMS: 5_000 });
      await client.connect().catch((error: unknown) => {
        // The driver's message names host:port, never the credentials of MONGO_URI.
        const why = error instanceof Error ? error.message : String(error);
        throw new AppError(PUBLISH_ERRORS.MONGO_UNREACHABLE, `mongo: cannot connect for database ${config.MONGO_DB} within ${selectionMs / 1000} s: ${why}`, { status: 503, cause: error });
      });
    }
    let phase = '';
    const connected = client;
    stopOnSignals(() => phase, connected ? () => releaseOwnLock(connected.db(config.MONGO_DB)) : undefined);
    const summary = await runPublish(args.options, {
      config,
      logger,
      ...(client ? { client, mongoUri: config.MONGO_URI } : {}),
      onProgress: (event) => {
        phase = event.phase;
        progress.onProgress?.(event);
      },
    });
    progress.stop();
    const written = report ? await writeFile(report, `${JSON.stringify(summary, null, 2)}\n`).then(() => null, (error: unknown) => error) : null;
    process.stdout.write(`${humanLine(summary, (performance.now() - started) / 1000)}\n`);
    if (!summary.valid) return EXIT.invalid;
    if (report && written !== null) {
      // The run itself succeeded (for 'published', the new version is served): say so, and exit
      // with the code of its own, not the failure code a scheduler would retry or alert on.
      const why = written instanceof Error ? written.message : String(written);
      const outcome = `${summary.status} (served version ${summary.version ?? 'none'})`;
      logger.error({ report: path.resolve(report), version: summary.version, status: summary.status, err: why }, `report: could not write ${path.resolve(report)} after the run: ${why}`);
      process.stderr.write(`publish-gold: ${outcome}, but the report could not be written to ${path.resolve(report)}: ${why} (exit ${EXIT_REPORT_NOT_WRITTEN})\n`);
      return EXIT_REPORT_NOT_WRITTEN;
    }
    return EXIT.ok;
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

const SIGNAL_EXIT: Readonly<Record<'SIGTERM' | 'SIGINT', number>> = Object.freeze({ SIGTERM: 143, SIGINT: 130 });

/**
 * SIGTERM/SIGINT: release the lock (when `release` is given) and exit 143/130, unless the run is
 * swapping (then it finishes; a second signal exits at once). Without this, node's default ended
 * the process with the lock held for its 2-minute expiry, and a publisher in another container
 * (another host name, so no dead-process takeover) failed with LOCK_HELD meanwhile (found by an
 * audit). Staging left behind is dropped by the next run, as after a crash.
 */
function stopOnSignals(phase: () => string, release: (() => Promise<boolean>) | undefined): void {
  let received = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      const code = SIGNAL_EXIT[signal];
      if (received) process.exit(code);
      received = true;
      if (phase() === 'swap' || phase() === 'done') {
        process.stderr.write(`publish-gold: ${signal} received during the swap; finishing it (a second signal stops at once)\n`);
        return;
      }
      process.stderr.write(`publish-gold: ${signal} received: stopping; the served publish is unchanged${release ? ', releasing the publish lock' : ''} (exit ${code})\n`);
      const released = release ? release().catch(() => false) : Promise.resolve(false);
      void released.finally(() => process.exit(code));
    });
  }
}

/** The --report file's folder exists and is writable, and the file (if any) is a writable file. */
async function assertReportWritable(file: string): Promise<void> {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const refuse = (why: string, cause?: unknown): AppError =>
    new AppError(PUBLISH_ERRORS.REPORT_UNWRITABLE, `report: cannot write --report ${target}: ${why}; nothing was published`, {
      status: 400,
      details: { report: target },
      ...(cause === undefined ? {} : { cause }),
    });
  const folder = await stat(dir).catch(() => null);
  if (!folder) throw refuse(`folder ${dir} does not exist`);
  if (!folder.isDirectory()) throw refuse(`${dir} is not a folder`);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw refuse('it is a folder');
  // An existing file is overwritten in place (its folder need not be writable); a new one is created.
  const [checked, why] = existing ? [target, 'the file is not writable'] : [dir, `folder ${dir} is not writable`];
  await access(checked, constants.W_OK).catch((error: unknown) => {
    throw refuse(why, error);
  });
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
