/* global window */
// Chart.js glue: one place for defaults, colours and number formatting of axes and tooltips.
// Chart.js is the UMD build served by our own router (window.Chart); it draws on <canvas>
// and styles elements through the CSSOM only, which the page's CSP allows.
import { formatEuro, formatEuroCompact, formatInteger } from './format.js';

export const SEGMENT_COLORS = Object.freeze({
  VIP: '#b8860b',
  Actifs: '#1e7b45',
  'A relancer': '#d9622b',
  Dormants: '#7a8594',
  'A potentiel': '#1f5fa8',
});
export const ACCENT = '#1f5fa8';
export const ACCENT_2 = '#d9622b';
const FALLBACK = ['#1f5fa8', '#d9622b', '#1e7b45', '#8e44ad', '#b8860b', '#7a8594', '#c0392b', '#16a085'];

export function segmentColor(label, index = 0) {
  return SEGMENT_COLORS[label] ?? FALLBACK[index % FALLBACK.length];
}

export function paletteColor(index) {
  return FALLBACK[index % FALLBACK.length];
}

function chartLibrary() {
  const Chart = window.Chart;
  if (typeof Chart !== 'function') throw new Error('Chart.js n’a pas pu être chargé (assets/vendor/chart.umd.min.js).');
  return Chart;
}

/** Axis tick callback for euros (compact: `1,2 M €`). */
export const euroTicks = (value) => formatEuroCompact(Number(value));
export const integerTicks = (value) => formatInteger(Number(value));

/** Tooltip label callback factory: `<dataset>: <formatted value>`. */
export function tooltipLabel(format, pick = (ctx) => ctx.parsed.y) {
  return (ctx) => `${ctx.dataset.label ? `${ctx.dataset.label} : ` : ''}${format(pick(ctx))}`;
}

export const euroTooltip = tooltipLabel(formatEuro);

/**
 * Draws `config` on the canvas with id `canvasId`, replacing any chart already there.
 * Animations are off: the page is a report, and a drawn canvas is final as soon as `new Chart` returns.
 */
export function drawChart(canvasId, config) {
  const Chart = chartLibrary();
  const canvas = window.document.getElementById(canvasId);
  if (!canvas) throw new Error(`canvas ${canvasId} absent de la page`);
  Chart.getChart(canvas)?.destroy();
  const options = config.options ?? {};
  return new Chart(canvas, {
    ...config,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: 'fr-FR',
      ...options,
      plugins: { legend: { display: false }, ...(options.plugins ?? {}) },
    },
  });
}
