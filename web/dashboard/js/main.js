/* global document */
// Entry point: fetches the public JSON endpoints in parallel and fills each section as its data
// arrives. A section whose request fails shows why; a banner sums up; the page is never blank.
// When every section has settled, <body data-state="ready"> (the browser test waits for it).
import { getJson, getList } from './api.js';
import { sectionHandle } from './dom.js';
import { formatInteger } from './format.js';
import { renderBenchmark } from './sections/benchmark.js';
import { renderCohort } from './sections/cohort.js';
import { renderDataInfo, renderHealth } from './sections/header.js';
import { renderKpis } from './sections/kpis.js';
import { TOP_ROWS, renderScatter, renderTopTable } from './sections/opportunities.js';
import { renderCountries, renderDistribution, renderMonthly, renderProducts } from './sections/sales.js';
import { renderProbability, renderSegments } from './sections/segments.js';
import { byValueAtRiskThenRecency } from './stats.js';

// The API's default and documented page size for /scores: with fewer rows back, we hold every client.
const SCORES_LIMIT = 5000;

/** Runs `render(section, data)` once `load()` resolves; any failure becomes the section's message. */
async function fill(name, load, render) {
  const section = sectionHandle(name);
  try {
    const data = await load();
    render(section, data);
    return { name, ok: true };
  } catch (error) {
    section.error(error && error.message ? error.message : String(error));
    return { name, ok: false, error };
  }
}

function showBanner(results) {
  const banner = document.getElementById('banner');
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) {
    banner.hidden = true;
    return;
  }
  const unreachable = failed.every((r) => r.error && r.error.unreachable);
  banner.classList.toggle('banner-warn', failed.length < results.length);
  if (failed.length === results.length) {
    banner.textContent = unreachable
      ? 'L’API est injoignable : aucune donnée n’a pu être chargée. Vérifiez que le service est démarré, puis rechargez la page.'
      : 'Aucune donnée disponible : l’API répond mais les données gold sont absentes ou indisponibles (publication en attente ?).';
  } else {
    banner.textContent = `${formatInteger(failed.length)} section(s) sur ${formatInteger(results.length)} n’ont pas pu être chargées ; le détail figure dans chaque section.`;
  }
  banner.hidden = false;
}

async function main() {
  const kpis = getJson('kpis');
  const scores = getList(`scores?limit=${SCORES_LIMIT}`);
  // All clients in hand → exact ranking client-side; otherwise ask the API for the top by value at risk.
  const reactivation = scores.then(async ({ rows }) => {
    if (rows.length < SCORES_LIMIT) return rows;
    return (await getList(`scores?sort=value_at_risk_12m:desc,recency_days:desc&limit=${TOP_ROWS}`)).rows;
  });
  const sampleNote = ({ rows }) => (rows.length >= SCORES_LIMIT ? ` (les ${formatInteger(SCORES_LIMIT)} premiers par valeur attendue)` : '');

  const health = getJson('health').then(
    (body) => renderHealth(body, null),
    (error) => renderHealth(null, error),
  );
  const metaSource = kpis.then((k) => k.meta, () => getList('monthly').then((m) => m.meta, () => null));
  const header = metaSource.then(renderDataInfo);

  const data = await Promise.all([
    fill('kpis', () => kpis, renderKpis),
    fill('monthly', () => getList('monthly'), (s, d) => renderMonthly(s, d.rows)),
    fill('country', () => getList('by_country'), (s, d) => renderCountries(s, d.rows)),
    fill('product', () => getList('by_product'), (s, d) => renderProducts(s, d.rows)),
    fill('distribution', () => getList('distribution'), (s, d) => renderDistribution(s, d.rows)),
    fill('segments', () => getList('segments'), (s, d) => renderSegments(s, d.rows)),
    fill('probability', () => scores, (s, d) => renderProbability(s, d.rows, sampleNote(d))),
    fill('top-expected', () => scores, (s, d) => renderTopTable(s, 'table-top-expected', d.rows, 'Classés par valeur attendue à 12 mois, décroissante.')),
    fill('reactivate', () => reactivation, (s, rows) =>
      renderTopTable(s, 'table-reactivate', [...rows].sort(byValueAtRiskThenRecency), 'Classés par valeur à risque à 12 mois, puis par ancienneté du dernier achat.'),
    ),
    fill('scatter', () => scores, (s, d) => renderScatter(s, d.rows, sampleNote(d))),
    fill('cohort', () => getList('cohort'), (s, d) => renderCohort(s, d.rows)),
  ]);
  // The benchmark file is optional: its absence is said in its panel, not in the banner.
  const benchmark = await fill('benchmark', () => getJson('dashboard/refresh_benchmark.json'), renderBenchmark);
  if (!benchmark.ok && benchmark.error && benchmark.error.status === 404) {
    sectionHandle('benchmark').empty('Aucun benchmark disponible : data/metrics/refresh_benchmark.json absent (lancez npm run bench:api).');
  }
  showBanner(data);
  await Promise.all([health, header]);
  document.body.dataset.state = 'ready';
}

main().catch((error) => {
  // Last resort: something unexpected in our own code. Still say something on the page.
  const banner = document.getElementById('banner');
  banner.textContent = `Erreur inattendue du tableau de bord : ${error && error.message ? error.message : String(error)}`;
  banner.hidden = false;
  document.body.dataset.state = 'ready';
});
