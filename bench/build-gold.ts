// Benchmark of the gold builder: generates ~1M purchases with the generator (once, cached under
// the OS temp dir), then builds the 9 gold tables and prints wall time, CPU time and the time
// per step. Figures only — no assertion. The target: ≤ 10 s wall on a 2-core machine.
//   npm exec tsx bench/build-gold.ts -- [--purchases 1000000] [--runs 3] [--layout pandas|spark] [--codec snappy|uncompressed]
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { intOption, parseArgs, stringOption } from '../tools/shared/cli-args.js';
import { writeSources } from '../tools/generator/cli.js';
import { DEFAULT_END_MS } from '../tools/generator/generate.js';
import { buildGold } from '../tools/gold-builder/build-gold.js';
import type { GoldLayout } from '../tools/gold-builder/gold-writer.js';
import type { ParquetCodec } from '../tools/gold-builder/parquet-encode.js';

const args = parseArgs(process.argv.slice(2), { purchases: { value: true }, runs: { value: true }, layout: { value: true }, codec: { value: true } }, 'bench:build-gold');
const purchases = intOption(args, 'purchases', 1_000_000, 1_000, 50_000_000, 'bench:build-gold');
const runs = intOption(args, 'runs', 3, 1, 20, 'bench:build-gold');
const layout = stringOption(args, 'layout', 'pandas') as GoldLayout;
const codec = stringOption(args, 'codec', 'snappy').toUpperCase() as ParquetCodec;

// 16 purchases per client on average (uniform 1..32 → mean 16.5), like the seed's shape.
const perClient = 16;
const clients = Math.round(purchases / (perClient + 0.5));
const sourcesDir = join(tmpdir(), `gold-bench-sources-${clients}x${perClient}`);
if (!existsSync(join(sourcesDir, 'achats.csv'))) {
  const t = performance.now();
  const r = await writeSources(sourcesDir, { clients, purchasesPerClient: perClient, seed: 20_260_120, endMs: DEFAULT_END_MS });
  console.log(`generated ${r.clients} clients / ${r.purchases} purchases into ${sourcesDir} in ${Math.round(performance.now() - t)} ms`);
}

const outDir = await mkdtemp(join(tmpdir(), 'gold-bench-out-'));
console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
try {
  for (let run = 1; run <= runs; run += 1) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const report = await buildGold({ sourcesDir, outDir, layout, codec });
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const rows = report.tables.find((t) => t.name === 'fact_achats')?.rows ?? 0;
    const steps = Object.entries(report.timings)
      .filter(([k]) => k !== 'total')
      .map(([k, v]) => `${k} ${Math.round(v)}`)
      .join(', ');
    console.log(
      `run ${run}: ${rows} purchases → 9 tables (${layout}, ${codec.toLowerCase()}) in ${(wall / 1000).toFixed(2)} s wall, ` +
        `${(cpu.user / 1e6).toFixed(2)} s user + ${(cpu.system / 1e6).toFixed(2)} s system CPU; load ${loadavg()[0]?.toFixed(1)}; steps (ms): ${steps}; fact encoded on ${report.factEncodedOn}`,
    );
  }
} finally {
  await rm(outDir, { recursive: true, force: true });
}
