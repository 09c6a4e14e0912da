// Number and date formatting, French conventions (thousands separators, € after the amount).
// Pure functions: no DOM access.

const LOCALE = 'fr-FR';

const euro2 = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'EUR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const euro0 = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const euroCompact = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'EUR', notation: 'compact', maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const decimal1 = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const percent1 = new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const monthLabel = new Intl.DateTimeFormat(LOCALE, { month: 'short', year: 'numeric', timeZone: 'UTC' });
// Gold timestamps are naive UTC; say so rather than silently shifting them to the viewer's zone.
const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeStyle: 'medium', timeZone: 'UTC' });

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/** `1 234 567,89 €` — amounts on KPI cards and in tables. */
export function formatEuro(value) {
  return isNumber(value) ? euro2.format(value) : '—';
}

/** `1 234 568 €` — amounts where cents are noise (tooltips of large sums). */
export function formatEuroRounded(value) {
  return isNumber(value) ? euro0.format(value) : '—';
}

/** `1,2 M €` — chart axes. */
export function formatEuroCompact(value) {
  return isNumber(value) ? euroCompact.format(value) : '—';
}

/** `23 663` */
export function formatInteger(value) {
  return isNumber(value) ? integer.format(value) : '—';
}

/** `12,5` */
export function formatDecimal(value) {
  return isNumber(value) ? decimal1.format(value) : '—';
}

/** 0.4567 → `45,7 %` */
export function formatPercent(value) {
  return isNumber(value) ? percent1.format(value) : '—';
}

/** `2025-01` → `janv. 2025`; anything else is returned unchanged. */
export function formatMonth(mois) {
  const match = /^(\d{4})-(\d{2})$/.exec(String(mois));
  if (!match) return String(mois);
  return monthLabel.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)));
}

/** ISO timestamp → `20 janvier 2026 à 10:39:43 UTC`; `—` when absent or unparseable. */
export function formatDateTime(iso) {
  if (iso === null || iso === undefined || iso === '') return '—';
  // Naive timestamps (no zone) are UTC by the gold contract; without a zone JS would read them as local.
  const text = String(iso);
  const date = new Date(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text);
  return Number.isNaN(date.getTime()) ? text : `${dateTime.format(date)} UTC`;
}
