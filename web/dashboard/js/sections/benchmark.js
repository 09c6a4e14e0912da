// Benchmark panel: data/metrics/refresh_benchmark.json (written by `npm run bench:api`), served by
// the dashboard router. Seed format: runs of { timestamp, source: 'api' | 'parquet', total_ms,
// breakdown_ms: { step: ms }, dataset_size }. One run, a list of runs, `{ runs: [...] }` or
// `{ <source>: run }` are all accepted.
import { drawChart, paletteColor, tooltipLabel } from '../charts.js';
import { renderTable } from '../dom.js';
import { formatDateTime, formatDecimal, formatInteger } from '../format.js';

const isRun = (v) => v !== null && typeof v === 'object' && typeof v.total_ms === 'number';

/** Normalises the file's content to a list of runs; [] when nothing usable is in it. */
export function benchmarkRuns(json) {
  let list;
  if (Array.isArray(json)) list = json;
  else if (isRun(json)) list = [json];
  else if (json && typeof json === 'object') {
    const nested = ['runs', 'results', 'entries'].map((k) => json[k]).find(Array.isArray);
    list = nested ?? Object.entries(json).map(([source, run]) => (isRun(run) ? { source, ...run } : null));
  } else list = [];
  return list.filter(isRun).map((r) => ({
    source: String(r.source ?? '?'),
    timestamp: r.timestamp ?? null,
    total_ms: r.total_ms,
    breakdown_ms: r.breakdown_ms && typeof r.breakdown_ms === 'object' ? r.breakdown_ms : {},
    dataset_size: typeof r.dataset_size === 'number' ? r.dataset_size : null,
  }));
}

const ms = (v) => (typeof v === 'number' ? `${formatDecimal(v)} ms` : '—');

export function renderBenchmark(section, json) {
  const runs = benchmarkRuns(json);
  if (runs.length === 0) return section.empty('Le fichier de benchmark ne contient aucune mesure exploitable (total_ms attendu).');
  const steps = [...new Set(runs.flatMap((r) => Object.keys(r.breakdown_ms)))];
  const runLabel = (r) => `${r.source}${r.dataset_size !== null ? ` (${formatInteger(r.dataset_size)} achats)` : ''}`;
  // With a breakdown: one group of bars per step, one bar per run. Without: one bar per run.
  const config = steps.length
    ? {
        labels: steps,
        datasets: runs.map((r, i) => ({ label: runLabel(r), data: steps.map((s) => r.breakdown_ms[s] ?? null), backgroundColor: paletteColor(i) })),
      }
    : { labels: runs.map(runLabel), datasets: [{ label: 'Total', data: runs.map((r) => r.total_ms), backgroundColor: runs.map((_, i) => paletteColor(i)) }] };
  drawChart('chart-benchmark', {
    type: 'bar',
    data: config,
    options: {
      scales: { y: { beginAtZero: true, title: { display: true, text: 'ms' } } },
      plugins: { legend: { display: steps.length > 0, position: 'bottom' }, tooltip: { callbacks: { label: tooltipLabel(ms) } } },
    },
  });
  renderTable(section.root.querySelector('#table-benchmark'), [
    { label: 'Source', value: (r) => r.source },
    { label: 'Mesuré le', value: (r) => formatDateTime(r.timestamp) },
    { label: 'Rafraîchissement complet', value: (r) => ms(r.total_ms), numeric: true },
    { label: 'Taille du jeu (achats)', value: (r) => formatInteger(r.dataset_size), numeric: true },
  ], runs);
  return section.ready('Durée d’un rafraîchissement complet du tableau de bord, par source de données.');
}
