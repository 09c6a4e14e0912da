// Tiny `--name value` / `--flag` parser shared by the tools' CLIs: each CLI declares what it
// accepts, so a typo is an error naming the option instead of a silently ignored argument.
import { AppError } from '../../src/errors/app-error.js';
import { TOOL_ERROR_CODES } from './tool-errors.js';

export interface OptionSpec {
  /** Takes a value (`--out dir`) rather than being a boolean flag (`--upload`). */
  readonly value: boolean;
}

export type ParsedArgs = Record<string, string | boolean>;

export function parseArgs(argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>, tool: string): ParsedArgs {
  const parsed: ParsedArgs = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      throw new AppError(TOOL_ERROR_CODES.BAD_ARGUMENT, `${tool}: unexpected argument "${arg}" (options start with --)`, { status: 2 });
    }
    const [rawName = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    const spec = specs[rawName];
    if (!spec) {
      const known = Object.keys(specs).map((k) => `--${k}`).join(', ');
      throw new AppError(TOOL_ERROR_CODES.BAD_ARGUMENT, `${tool}: unknown option "--${rawName}" (known: ${known})`, { status: 2 });
    }
    if (!spec.value) {
      parsed[rawName] = true;
      continue;
    }
    const value = inline ?? argv[i + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw new AppError(TOOL_ERROR_CODES.BAD_ARGUMENT, `${tool}: option --${rawName} needs a value`, { status: 2 });
    }
    if (inline === undefined) i += 1;
    parsed[rawName] = value;
  }
  return parsed;
}

/** A whole number option within [min, max], or the fallback when absent. */
export function intOption(args: ParsedArgs, name: string, fallback: number, min: number, max: number, tool: string): number {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new AppError(TOOL_ERROR_CODES.BAD_ARGUMENT, `${tool}: --${name} must be a whole number in [${min}, ${max}], got "${String(raw)}"`, { status: 2 });
  }
  return value;
}

export function stringOption(args: ParsedArgs, name: string, fallback: string): string {
  const raw = args[name];
  return typeof raw === 'string' ? raw : fallback;
}
