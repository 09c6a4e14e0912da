// Segmentation: expected value per segment (bars) and the distribution of prob_reachat_12m.
import { ACCENT, drawChart, euroTicks, integerTicks, segmentColor, tooltipLabel } from '../charts.js';
import { formatEuro, formatInteger, formatPercent } from '../format.js';
import { probabilityHistogram } from '../stats.js';

export function renderSegments(section, rows) {
  if (rows.length === 0) return section.empty('Aucun segment publié.');
  drawChart('chart-segments', {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.segment_label),
      datasets: [{ label: 'Valeur attendue 12m', data: rows.map((r) => r.expected_value_12m), backgroundColor: rows.map((r, i) => segmentColor(r.segment_label, i)) }],
    },
    options: {
      scales: { y: { beginAtZero: true, ticks: { callback: euroTicks } } },
      plugins: {
        tooltip: {
          callbacks: {
            label: tooltipLabel(formatEuro),
            afterLabel: (ctx) => `${formatInteger(rows[ctx.dataIndex]?.clients)} clients`,
          },
        },
      },
    },
  });
  const clients = rows.reduce((sum, r) => sum + (r.clients ?? 0), 0);
  return section.ready(`${formatInteger(rows.length)} segments, ${formatInteger(clients)} clients.`);
}

export function renderProbability(section, scores, note) {
  if (scores.length === 0) return section.empty('Aucun score client publié.');
  const bins = probabilityHistogram(scores.map((s) => s.prob_reachat_12m));
  drawChart('chart-probability', {
    type: 'bar',
    data: {
      labels: bins.map((b) => `${formatPercent(b.lo)} – ${formatPercent(b.hi)}`),
      datasets: [{ label: 'Clients', data: bins.map((b) => b.count), backgroundColor: ACCENT, barPercentage: 1, categoryPercentage: 1 }],
    },
    options: {
      scales: { y: { beginAtZero: true, ticks: { callback: integerTicks } }, x: { ticks: { autoSkip: true, maxRotation: 45 } } },
      plugins: { tooltip: { callbacks: { label: tooltipLabel(formatInteger) } } },
    },
  });
  return section.ready(`${formatInteger(scores.length)} clients${note}.`);
}
