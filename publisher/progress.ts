// A progress bar (cli-progress, on stderr) when stderr is a terminal; nothing otherwise (the
// JSON logs say what happens).
import cliProgress from 'cli-progress';
import type { ProgressEvent } from './types.js';

export interface ProgressReporter {
  readonly onProgress?: (event: ProgressEvent) => void;
  stop(): void;
}

export function createProgress(isTty: boolean): ProgressReporter {
  if (!isTty) return { stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: '{phase} {table} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted}', hideCursor: true, clearOnComplete: false, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let table = '';
  return {
    onProgress(event) {
      if (event.table) table = event.table;
      if (!started) {
        bar.start(Math.max(event.totalRows, 1), event.rows, { phase: event.phase, table });
        started = true;
      }
      bar.update(event.rows, { phase: event.phase, table });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
