/* global document */
// Header: the data version and publish time (from any response's meta) and the API health pill.
import { formatDateTime } from '../format.js';

export function renderDataInfo(meta) {
  const version = document.getElementById('data-version');
  const published = document.getElementById('data-published');
  if (!meta || (meta.version === undefined && meta.published_at === undefined)) {
    version.textContent = 'inconnue';
    published.textContent = '—';
    return;
  }
  version.textContent = meta.version === null || meta.version === undefined ? 'inconnue' : String(meta.version);
  published.textContent = formatDateTime(meta.published_at);
}

/** `health` is the /health body, or the ApiError it failed with. */
export function renderHealth(health, error) {
  const pill = document.getElementById('api-health');
  const ok = !error && health && health.status === 'ok';
  pill.className = `pill ${ok ? 'pill-ok' : 'pill-down'}`;
  pill.textContent = ok ? 'opérationnelle' : error && error.unreachable ? 'injoignable' : 'dégradée';
  pill.title = ok ? '' : (error?.message ?? String(health?.error ?? ''));
}
