// Command-line arguments of `publish-gold` (pure; unit-tested).
import { parseArgs } from 'node:util';
import { AppError } from '../src/errors/app-error.js';
import { PUBLISH_ERRORS } from './errors.js';
import type { SourceMode } from './sources/types.js';
import type { OnInvalid, PublishOptions } from './types.js';

export const USAGE = `usage: publish-gold [--source auto|s3|local] [--force] [--on-invalid fail|skip] [--allow-empty] [--check] [--report FILE]

  --source      where to read gold: auto (MinIO first, then LOCAL_GOLD_DIRS), s3, local (default auto);
                auto uses the local folders only when MinIO is unreachable, the bucket is missing or a
                table is absent there (refused credentials fail the run)
  --force       republish even when the inputs are unchanged since the served publish
  --on-invalid  fail (default): any invalid row fails the publish; skip: drop bad rows and count them
  --allow-empty publish fact_achats even when it has 0 rows (or none left after skip): empties
                gold_fact_achats and its views and sets the KPIs to 0; without it that fails (exit 2)
  --check       validate every source and report, writing nothing
  --report FILE write the JSON summary to FILE (its folder must exist and be writable: checked first)

Exit codes: 0 published or nothing changed; 2 invalid input (missing or empty fact_achats, missing
column, invalid rows, unreadable Parquet); 1 any other failure (another publisher running, MongoDB
or S3 unreachable, S3 refusing the credentials, bad configuration or arguments, --report FILE not
writable); 3 published (or checked) but the report could not be written afterwards.`;

/** Exit code when the run succeeded but writing --report failed afterwards (the folder vanished, disk full...). */
export const EXIT_REPORT_NOT_WRITTEN = 3;

export interface CliArgs {
  readonly options: PublishOptions;
  readonly report?: string;
  readonly help: boolean;
}

const SOURCES: readonly SourceMode[] = ['auto', 's3', 'local'];
const POLICIES: readonly OnInvalid[] = ['fail', 'skip'];

function usageError(message: string): AppError {
  return new AppError(PUBLISH_ERRORS.USAGE, `arguments: ${message}\n${USAGE}`, { status: 400 });
}

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        source: { type: 'string' },
        force: { type: 'boolean' },
        'on-invalid': { type: 'string' },
        'allow-empty': { type: 'boolean' },
        check: { type: 'boolean' },
        report: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  const source = values.source ?? 'auto';
  if (!(SOURCES as readonly string[]).includes(source)) throw usageError(`--source must be one of ${SOURCES.join(', ')}, got "${source}"`);
  const onInvalid = values['on-invalid'] ?? 'fail';
  if (!(POLICIES as readonly string[]).includes(onInvalid)) throw usageError(`--on-invalid must be one of ${POLICIES.join(', ')}, got "${onInvalid}"`);
  if (values.report === '') throw usageError('--report needs a file name');
  return {
    options: {
      source: source as SourceMode,
      force: values.force ?? false,
      onInvalid: onInvalid as OnInvalid,
      check: values.check ?? false,
      allowEmpty: values['allow-empty'] ?? false,
    },
    ...(values.report ? { report: values.report } : {}),
    help: values.help ?? false,
  };
}
