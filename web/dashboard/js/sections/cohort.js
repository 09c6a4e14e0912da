// Cohorts: new clients (bars, left axis) and their CA (line, right axis) per first-purchase month.
import { ACCENT, ACCENT_2, drawChart, euroTicks, integerTicks } from '../charts.js';
import { formatEuro, formatInteger, formatMonth } from '../format.js';

export function renderCohort(section, rows) {
  if (rows.length === 0) return section.empty('Aucune cohorte publiée.');
  drawChart('chart-cohort', {
    type: 'bar',
    data: {
      labels: rows.map((r) => formatMonth(r.first_purchase_month)),
      datasets: [
        { type: 'bar', label: 'Nouveaux clients', data: rows.map((r) => r.clients), backgroundColor: ACCENT, yAxisID: 'clients', order: 2 },
        { type: 'line', label: 'CA de la cohorte', data: rows.map((r) => r.ca), borderColor: ACCENT_2, backgroundColor: ACCENT_2, yAxisID: 'ca', pointRadius: 2, order: 1 },
      ],
    },
    options: {
      scales: {
        clients: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'Clients' }, ticks: { callback: integerTicks } },
        ca: { type: 'linear', position: 'right', beginAtZero: true, title: { display: true, text: 'CA' }, ticks: { callback: euroTicks }, grid: { drawOnChartArea: false } },
      },
      plugins: {
        legend: { display: true, position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label} : ${ctx.dataset.yAxisID === 'ca' ? formatEuro(ctx.parsed.y) : formatInteger(ctx.parsed.y)}`,
          },
        },
      },
    },
  });
  const clients = rows.reduce((sum, r) => sum + (r.clients ?? 0), 0);
  return section.ready(`${formatInteger(rows.length)} cohortes mensuelles, ${formatInteger(clients)} clients.`);
}
