// `npm run build-gold -- --sources DIR --out DIR [--layout pandas|spark] [--upload]`
// Builds the 9 gold tables from clients.csv + achats.csv, prints the quality report.
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../src/config/config.js';
import { AppError, isAppError } from '../../src/errors/app-error.js';
import { createS3Client } from '../../publisher/sources/s3-client.js';
import { parseArgs, stringOption } from '../shared/cli-args.js';
import { TOOL_ERROR_CODES } from '../shared/tool-errors.js';
import { type BuildGoldReport, buildGold } from './build-gold.js';
import { GOLD_LAYOUTS, type GoldLayout } from './gold-writer.js';
import type { ParquetCodec } from './parquet-encode.js';
import { formatQualityReport } from './quality-report.js';

const TOOL = 'build-gold';
const USAGE = 'usage: npm run build-gold -- --sources DIR --out DIR [--layout pandas|spark] [--codec snappy|uncompressed] [--upload]';

export function formatBuildReport(report: BuildGoldReport): string {
  const lines = [formatQualityReport(report.quality), `Gold (${report.layout} layout) in ${report.outDir}, ref = ${report.referenceDate}:`];
  for (const t of report.tables) lines.push(`  ${t.name.padEnd(22)} ${String(t.rows).padStart(9)} rows ${String(t.bytes).padStart(10)} bytes`);
  if (report.uploadedKeys.length > 0) lines.push(`Uploaded ${report.uploadedKeys.length} objects.`);
  const steps = Object.entries(report.timings).map(([step, ms]) => `${step} ${Math.round(ms)} ms`);
  lines.push(`Timings: ${steps.join(', ')} (fact_achats encoded on the ${report.factEncodedOn === 'worker' ? 'worker thread' : 'main thread'})`);
  return lines.join('\n');
}

export async function main(argv: readonly string[], env: Record<string, string | undefined> = process.env): Promise<BuildGoldReport> {
  const args = parseArgs(argv, { sources: { value: true }, out: { value: true }, layout: { value: true }, codec: { value: true }, upload: { value: false }, help: { value: false } }, TOOL);
  if (args.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const layout = stringOption(args, 'layout', 'pandas');
  if (!(GOLD_LAYOUTS as readonly string[]).includes(layout)) {
    throw new AppError(TOOL_ERROR_CODES.BAD_ARGUMENT, `${TOOL}: --layout must be pandas or spark, got "${layout}"`, { status: 2 });
  }
  const codec = stringOption(args, 'codec', 'snappy').toUpperCase();
  if (codec !== 'SNAPPY' && codec !== 'UNCOMPRESSED') {
    throw new AppError(TOOL_ERROR_CODES.BAD_ARGUMENT, `${TOOL}: --codec must be snappy or uncompressed, got "${codec.toLowerCase()}"`, { status: 2 });
  }
  let upload;
  if (args.upload) {
    const config = loadConfig(env);
    upload = { client: createS3Client(config), bucket: config.GOLD_BUCKET, prefix: config.GOLD_PREFIX };
  }
  const report = await buildGold({
    sourcesDir: stringOption(args, 'sources', 'data/sources'),
    outDir: stringOption(args, 'out', 'data/gold'),
    layout: layout as GoldLayout,
    codec: codec as ParquetCodec,
    ...(upload ? { upload } : {}),
  });
  upload?.client.destroy();
  return report;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).then(
    (report) => console.log(formatBuildReport(report)),
    (error: unknown) => {
      console.error(isAppError(error) ? `${error.code}: ${error.message}` : error);
      if (isAppError(error) && error.code === TOOL_ERROR_CODES.BAD_ARGUMENT) console.error(USAGE);
      process.exitCode = isAppError(error) && error.status < 100 ? error.status : 1;
    },
  );
}
