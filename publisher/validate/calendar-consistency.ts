// fact_achats' `jour`, `mois` and `annee` must be date_achat's own day, month and year (UTC:
// GOLD_SPEC "timestamps are naive UTC"; the spec derives them from date_achat when absent).
// A file whose `jour` or `mois` disagrees with `date_achat` would publish a gold_fact_achats whose
// day/month columns (what analysts group by in Metabase) contradict the /daily and /weekly views
// derived from date_achat (found by an audit: `jour '2019-01-01'` for a 2025-01-20 purchase was
// accepted). Only cells the file gives are checked: derived ones agree by construction, and a
// null date_achat or a null/unparsable day is reported by its own rule.
import { epochDay } from '../derive/calendar.js';
import type { NormColumn, NormalisedBatch, TablePlan } from '../normalise/normalise-batch.js';
import { DAY_MS } from '../normalise/values.js';
import type { ViolationLog } from './violations.js';

/** Rule name of a day/month/year column that contradicts the timestamp it comes from. */
export const CALENDAR_RULE = 'calendar';

/** The timestamp column the calendar columns come from (fact_achats). */
const SOURCE = 'date_achat';

type Unit = 'day' | 'month' | 'year';

/** The unit's number for a 'YYYY-MM-DD' / 'YYYY-MM' text (NaN when it is not one). */
function unitOfText(unit: Unit, s: string): number {
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  if (unit === 'month') return s.length === 7 ? year * 12 + month - 1 : Number.NaN;
  return s.length === 10 ? Date.UTC(year, month - 1, Number(s.slice(8, 10))) / DAY_MS : Number.NaN;
}

/** The unit's number for epoch ms `ms` (UTC), with a one-entry cache: rows come day by day. */
function unitOfTime(unit: Unit): (ms: number) => number {
  let lastDay = Number.NaN;
  let last = Number.NaN;
  return (ms) => {
    const day = epochDay(ms);
    if (unit === 'day') return day;
    if (day !== lastDay) {
      const d = new Date(day * DAY_MS);
      last = unit === 'month' ? d.getUTCFullYear() * 12 + d.getUTCMonth() : d.getUTCFullYear();
      lastDay = day;
    }
    return last;
  };
}

/** Checks every calendar column the file gives against the source timestamp of the same row. */
export function checkCalendar(plan: TablePlan, batch: NormalisedBatch, log: ViolationLog): void {
  const source = plan.columns.findIndex((c) => c.spec.name === SOURCE);
  const times = batch.columns[source];
  if (source < 0 || times?.kind !== 'date') return;
  plan.columns.forEach((col, c) => {
    if (!col.present) return;
    const unit: Unit | null = col.spec.type === 'day' ? 'day' : col.spec.type === 'month' ? 'month' : col.spec.derivable && col.spec.type === 'int' ? 'year' : null;
    const column = batch.columns[c];
    if (!unit || !column) return;
    check(unit, column, times.values, batch.numRows, col.spec.name, log);
  });
}

function check(unit: Unit, column: NormColumn, times: Float64Array, n: number, name: string, log: ViolationLog): void {
  const expected = unitOfTime(unit);
  const report = (i: number, given: string | number): void => {
    const ms = times[i] as number;
    if (ms === ms) log.add(i, name, CALENDAR_RULE, `${given} (${SOURCE} ${new Date(ms).toISOString()})`);
  };
  if (column.kind === 'coded') {
    // Once per dictionary entry, then a number comparison per row.
    const units = column.dict.map((s) => (s === null ? Number.NaN : unitOfText(unit, s)));
    for (let i = 0; i < n; i++) {
      const code = column.codes[i] as number;
      const given = units[code] as number;
      if (given === given && given !== expected(times[i] as number)) report(i, column.dict[code] as string);
    }
  } else if (column.kind === 'text') {
    for (let i = 0; i < n; i++) {
      const s = column.values[i];
      if (s === null || s === undefined) continue;
      const given = unitOfText(unit, s);
      if (given === given && given !== expected(times[i] as number)) report(i, s);
    }
  } else {
    const values = column.values;
    for (let i = 0; i < n; i++) {
      const given = values[i] as number;
      if (given === given && given !== expected(times[i] as number)) report(i, given);
    }
  }
}
