// KPI cards: the numbers of /kpis, formatted. Each card keeps the raw value in data-value so the
// shown text can be checked against the API.
import { formatEuro, formatInteger } from '../format.js';
import { el } from '../dom.js';

export const KPI_FORMATS = Object.freeze({
  total_ca: formatEuro,
  total_achats: formatInteger,
  total_clients: formatInteger,
  panier_moyen: formatEuro,
  expected_total: formatEuro,
});

export function renderKpis(section, kpis) {
  for (const card of section.root.querySelectorAll('[data-kpi]')) {
    const key = card.dataset.kpi;
    const value = kpis[key];
    const format = KPI_FORMATS[key] ?? formatInteger;
    card.dataset.value = typeof value === 'number' ? String(value) : '';
    card.querySelector('.kpi-value').textContent = format(value);
    card.querySelector('.kpi-note')?.remove();
    if (key === 'expected_total' && (value === null || value === undefined)) {
      card.append(el('p', { className: 'kpi-note', text: 'Scores clients non publiés.' }));
    }
  }
  if (kpis.total_achats === 0) section.empty('Aucun achat dans les données publiées.');
  else section.ready('');
}
