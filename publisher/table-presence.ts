// Whether the mandatory tables are there and hold rows, decided before anything is written: a
// missing fact_achats (TABLE_MISSING) or an empty one (TABLE_EMPTY; found by an audit to wipe the
// served KPIs and views) fails the run with exit 2 and the previous publish stays served, unless
// --allow-empty asks for the empty publish. Pure: the caller logs the notes returned.
import { DATASETS, TABLES, type DatasetSpec } from '../src/catalog/gold-catalog.js';
import { AppError } from '../src/errors/app-error.js';
import { INVALID_INPUT_STATUS, PUBLISH_ERRORS } from './errors.js';
import type { FooterRows, PipelineResult } from './pipeline.js';
import type { DiscoveryResult, TableSource } from './sources/types.js';

/** Throws TABLE_MISSING, naming every place looked at, when a mandatory table was found nowhere. */
export function assertMandatoryFound(discovery: DiscoveryResult): void {
  const absent = TABLES.filter((t) => t.mandatory && !discovery.tables.has(t.parquet ?? t.name));
  if (absent.length === 0) return;
  const names = absent.map((t) => t.name);
  const tried = absent.map((t) => {
    const places = discovery.tried?.[t.parquet ?? t.name] ?? [];
    return `${t.name}: ${places.length > 0 ? places.join('; ') : 'no source was searched'}`;
  });
  const notes = discovery.notes.length > 0 ? ` (notes: ${discovery.notes.join('; ')})` : '';
  throw new AppError(PUBLISH_ERRORS.TABLE_MISSING, `source: mandatory table ${names.join(', ')} found in no source; tried ${tried.join(' | ')}${notes}`, {
    status: INVALID_INPUT_STATUS,
    details: { missing: discovery.missing, tried: Object.fromEntries(absent.map((t) => [t.name, discovery.tried?.[t.parquet ?? t.name] ?? []])), notes: discovery.notes },
  });
}

/**
 * Notes on the tables whose footers count 0 rows; throws TABLE_EMPTY for a mandatory one unless
 * `allowEmpty`.
 */
export function emptyTableNotes(discovery: DiscoveryResult, counts: ReadonlyMap<string, FooterRows>, allowEmpty: boolean): string[] {
  const notes: string[] = [];
  // Only tables whose every footer was read: an unreadable file is reported when processed.
  const empty = [...counts].filter(([, c]) => c.rows === 0 && c.unreadable === 0).map(([table]) => table);
  for (const table of empty) {
    const dataset = TABLES.find((t) => (t.parquet ?? t.name) === table);
    const source = discovery.tables.get(table);
    if (!dataset || !source) continue;
    if (dataset.mandatory && !allowEmpty) throw emptyError(dataset, source, `0 rows in ${filesOf(source)}`);
    notes.push(
      dataset.mandatory
        ? `${dataset.name}: 0 rows in ${filesOf(source)}; publishing it empty as --allow-empty asks (${emptied(dataset).join(', ')} emptied, KPIs 0)`
        : `${dataset.name}: 0 rows in ${filesOf(source)}; ${dataset.collection} will be empty`,
    );
  }
  return notes;
}

/**
 * A mandatory table that had rows but kept none (every row dropped by `--on-invalid skip`) is as
 * empty as a 0-row file: refused unless `allowEmpty`, before anything is swapped.
 */
export function assertRowsKept(result: PipelineResult, discovery: DiscoveryResult, allowEmpty: boolean): void {
  if (allowEmpty) return;
  for (const dataset of TABLES) {
    const table = result.tables[dataset.name];
    const source = discovery.tables.get(dataset.parquet ?? dataset.name);
    if (!dataset.mandatory || !table || !source || table.rows === 0 || table.rows > table.rejected) continue;
    throw emptyError(dataset, source, `all ${table.rows} rows in ${filesOf(source)} are invalid and were dropped by --on-invalid skip, leaving 0`);
  }
}

/** The collections an empty table empties: its own and the views derived from it. */
function emptied(dataset: DatasetSpec): string[] {
  return [dataset.collection, ...DATASETS.filter((d) => d.derivedFrom === dataset.name).map((d) => d.collection)];
}

/** A table's file, or its folder with the number of part files. */
function filesOf(source: TableSource): string {
  return source.layout === 'file' ? source.location : `${source.location} (${source.files.length} part file${source.files.length === 1 ? '' : 's'})`;
}

function emptyError(dataset: DatasetSpec, source: TableSource, why: string): AppError {
  const kpis = dataset.name === 'fact_achats' ? ` and set the KPIs to 0` : '';
  return new AppError(
    PUBLISH_ERRORS.TABLE_EMPTY,
    `validate: ${dataset.name}: ${why}: publishing it would empty ${emptied(dataset).join(', ')}${kpis}; nothing was published, the served version stays (--allow-empty publishes an empty ${dataset.name} deliberately)`,
    { status: INVALID_INPUT_STATUS, details: { table: dataset.name, location: source.location, files: source.files.map((f) => f.uri) } },
  );
}
