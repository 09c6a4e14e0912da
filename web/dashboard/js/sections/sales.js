// Sales charts: CA par mois (line), CA par pays and top produits (horizontal bars), distribution
// des montants (bars, bins in the API's numeric order).
import { ACCENT, drawChart, euroTicks, euroTooltip, integerTicks, paletteColor, tooltipLabel } from '../charts.js';
import { formatEuro, formatInteger, formatMonth } from '../format.js';

export const TOP_PRODUCTS = 10;

export function renderMonthly(section, rows) {
  if (rows.length === 0) return section.empty('Aucun mois publié.');
  drawChart('chart-monthly', {
    type: 'line',
    data: {
      labels: rows.map((r) => formatMonth(r.mois)),
      datasets: [{ label: 'CA', data: rows.map((r) => r.ca), borderColor: ACCENT, backgroundColor: 'rgba(31, 95, 168, 0.15)', fill: true, tension: 0.2, pointRadius: 2 }],
    },
    options: {
      scales: { y: { beginAtZero: true, ticks: { callback: euroTicks } } },
      plugins: { tooltip: { callbacks: { label: euroTooltip } } },
    },
  });
  return section.ready(`${formatInteger(rows.length)} mois.`);
}

function horizontalBars(canvasId, labels, values, label) {
  return drawChart(canvasId, {
    type: 'bar',
    data: { labels, datasets: [{ label, data: values, backgroundColor: labels.map((_, i) => paletteColor(i)) }] },
    options: {
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, ticks: { callback: euroTicks } } },
      plugins: { tooltip: { callbacks: { label: tooltipLabel(formatEuro, (ctx) => ctx.parsed.x) } } },
    },
  });
}

export function renderCountries(section, rows) {
  if (rows.length === 0) return section.empty('Aucun pays publié.');
  horizontalBars('chart-country', rows.map((r) => r.pays), rows.map((r) => r.ca), 'CA');
  return section.ready(`${formatInteger(rows.length)} pays, du plus gros CA au plus petit.`);
}

export function renderProducts(section, rows) {
  if (rows.length === 0) return section.empty('Aucun produit publié.');
  const top = rows.slice(0, TOP_PRODUCTS);
  horizontalBars('chart-product', top.map((r) => r.produit), top.map((r) => r.ca), 'CA');
  return section.ready(`Les ${formatInteger(top.length)} produits au plus gros CA.`);
}

export function renderDistribution(section, rows) {
  if (rows.length === 0) return section.empty('Aucune tranche de montant publiée.');
  // The API returns bins by bucket_index; sort again defensively so labels never go out of order.
  const bins = [...rows].sort((a, b) => a.bucket_index - b.bucket_index);
  drawChart('chart-distribution', {
    type: 'bar',
    data: {
      labels: bins.map((b) => `${formatEuro(b.min)} – ${formatEuro(b.max)}`),
      datasets: [{ label: 'Achats', data: bins.map((b) => b.count), backgroundColor: ACCENT }],
    },
    options: {
      scales: { y: { beginAtZero: true, ticks: { callback: integerTicks } }, x: { ticks: { autoSkip: true, maxRotation: 45 } } },
      plugins: { tooltip: { callbacks: { label: tooltipLabel(formatInteger) } } },
    },
  });
  const total = bins.reduce((sum, b) => sum + (b.count ?? 0), 0);
  return section.ready(`${formatInteger(total)} achats répartis en ${formatInteger(bins.length)} tranches de montant.`);
}
