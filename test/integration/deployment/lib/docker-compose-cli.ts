// Runs Debian's `docker-compose` (v1.29, python; no Docker engine needed for `config`).
// The environment is reduced to PATH/HOME so the developer's shell or .env cannot change results:
// only the env file given (or none) and the explicit variables are seen.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INSTALL_HINT =
  'docker-compose is not installed: install Debian\'s package (`apt-get install docker-compose`; .ci/run does it in CI). ' +
  'The deployment tests validate docker-compose.serving.yml with it and do not skip without it.';

let version: { value: string | undefined } | undefined;

/** `docker-compose --version`, asked once per test file (each run costs a Python start-up). */
export function dockerComposeVersion(): string | undefined {
  version ??= { value: askVersion() };
  return version.value;
}

function askVersion(): string | undefined {
  const result = spawnSync('docker-compose', ['--version'], { encoding: 'utf8', env: minimalEnv({}) });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim();
}

export interface ComposeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ComposeConfigOptions {
  /** Compose files, relative to `cwd`. */
  readonly files: readonly string[];
  readonly cwd: string;
  /** Contents of the env file compose reads; '' = an empty file (defaults only). */
  readonly envFileText: string;
  readonly env?: Readonly<Record<string, string>>;
}

function minimalEnv(extra: Readonly<Record<string, string>>): Record<string, string> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
  return { ...base, ...extra };
}

export function composeConfig(options: ComposeConfigOptions): ComposeRun {
  const dir = mkdtempSync(join(tmpdir(), 'gold-compose-'));
  const envFile = join(dir, 'env');
  writeFileSync(envFile, options.envFileText);
  const args = ['--env-file', envFile, ...options.files.flatMap((f) => ['-f', f]), 'config'];
  try {
    const result = spawnSync('docker-compose', args, {
      cwd: options.cwd,
      encoding: 'utf8',
      env: minimalEnv(options.env ?? {}),
      timeout: 60_000,
    });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(INSTALL_HINT);
    if (result.error) throw result.error;
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
