// Top opportunities (two tables) and recency vs expected value (scatter coloured by segment).
import { drawChart, euroTicks, integerTicks, segmentColor } from '../charts.js';
import { el, renderTable } from '../dom.js';
import { formatEuro, formatInteger, formatPercent } from '../format.js';
import { groupBy } from '../stats.js';

export const TOP_ROWS = 10;

const segmentCell = (row) => el('span', { className: 'segment-tag', text: row.segment_label ?? '—' });

const COLUMNS = [
  { label: 'Client', value: (r) => String(r.id_client ?? '—') },
  { label: 'Segment', value: segmentCell },
  { label: 'Prob. réachat 12m', value: (r) => formatPercent(r.prob_reachat_12m), numeric: true },
  { label: 'Valeur attendue 12m', value: (r) => formatEuro(r.expected_value_12m), numeric: true },
  { label: 'Valeur à risque 12m', value: (r) => formatEuro(r.value_at_risk_12m), numeric: true },
  { label: 'Récence (j)', value: (r) => formatInteger(r.recency_days), numeric: true },
  { label: 'Achats 12m', value: (r) => formatInteger(r.freq_12m), numeric: true },
  { label: 'CA 12m', value: (r) => formatEuro(r.monetary_12m), numeric: true },
];

/** `rows` already in the wanted order; draws the first TOP_ROWS. */
export function renderTopTable(section, containerId, rows, caption) {
  if (rows.length === 0) return section.empty('Aucun score client publié.');
  const container = section.root.querySelector(`#${containerId}`);
  renderTable(container, COLUMNS, rows.slice(0, TOP_ROWS));
  return section.ready(caption);
}

export function renderScatter(section, scores, note) {
  if (scores.length === 0) return section.empty('Aucun score client publié.');
  const groups = [...groupBy(scores, 'segment_label').entries()];
  drawChart('chart-scatter', {
    type: 'scatter',
    data: {
      datasets: groups.map(([label, rows], i) => ({
        label,
        data: rows.map((r) => ({ x: r.recency_days, y: r.expected_value_12m, id: r.id_client })),
        backgroundColor: segmentColor(label, i),
        pointRadius: 2.5,
      })),
    },
    options: {
      scales: {
        x: { title: { display: true, text: 'Récence (jours depuis le dernier achat)' }, beginAtZero: true, ticks: { callback: integerTicks } },
        y: { title: { display: true, text: 'Valeur attendue 12m' }, beginAtZero: true, ticks: { callback: euroTicks } },
      },
      plugins: {
        legend: { display: true, position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label} · client ${ctx.raw.id} : ${formatInteger(ctx.parsed.x)} j, ${formatEuro(ctx.parsed.y)}`,
          },
        },
      },
    },
  });
  return section.ready(`${formatInteger(scores.length)} clients${note}.`);
}
