// `npm run generate -- --clients N --purchases-per-client M --seed S --out DIR [--end DATE|now]`
// Writes clients.csv and achats.csv in the seed's format.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError, isAppError } from '../../src/errors/app-error.js';
import { intOption, parseArgs, stringOption } from '../shared/cli-args.js';
import { TOOL_ERROR_CODES } from '../shared/tool-errors.js';
import { DEFAULT_END_MS, type GenerateOptions, generateSources } from './generate.js';

const TOOL = 'generate';
const USAGE = 'usage: npm run generate -- --clients N --purchases-per-client M --seed S --out DIR [--end YYYY-MM-DD|now]';

export interface GenerateResult {
  readonly outDir: string;
  readonly clients: number;
  readonly purchases: number;
}

/** Generates the two CSVs into `outDir` (created if needed). */
export async function writeSources(outDir: string, options: GenerateOptions): Promise<GenerateResult> {
  const sources = generateSources(options);
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'clients.csv'), sources.clientsCsv);
  await writeFile(join(outDir, 'achats.csv'), sources.achatsCsv);
  return { outDir, clients: options.clients, purchases: sources.purchases };
}

function parseEnd(raw: string): number {
  if (raw === 'now') return Date.now();
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(ms)) throw new AppError(TOOL_ERROR_CODES.BAD_ARGUMENT, `${TOOL}: --end must be a date (YYYY-MM-DD), an ISO time or "now", got "${raw}"`, { status: 2 });
  return ms;
}

export async function main(argv: readonly string[]): Promise<GenerateResult> {
  const args = parseArgs(argv, { clients: { value: true }, 'purchases-per-client': { value: true }, seed: { value: true }, out: { value: true }, end: { value: true } }, TOOL);
  return writeSources(stringOption(args, 'out', 'data/sources'), {
    clients: intOption(args, 'clients', 1_500, 1, 10_000_000, TOOL),
    purchasesPerClient: intOption(args, 'purchases-per-client', 15, 1, 10_000, TOOL),
    seed: intOption(args, 'seed', 42, 0, 2 ** 32 - 1, TOOL),
    endMs: args.end === undefined ? DEFAULT_END_MS : parseEnd(stringOption(args, 'end', '')),
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (r) => console.log(`Wrote ${r.clients} clients and ${r.purchases} purchases to ${join(r.outDir, 'clients.csv')} and ${join(r.outDir, 'achats.csv')}`),
    (error: unknown) => {
      console.error(isAppError(error) ? `${error.code}: ${error.message}` : error);
      if (isAppError(error) && error.code === TOOL_ERROR_CODES.BAD_ARGUMENT) console.error(USAGE);
      process.exitCode = isAppError(error) && error.status < 100 ? error.status : 1;
    },
  );
}
