// Silver clients (GOLD_SPEC §4): validate, normalise, de-duplicate. Every dropped row is
// counted under the first rule it fails, in the order the rules are listed.
import { CLIENT_DROP_REASONS, DropCounter, type InputQuality } from './quality-report.js';
import type { CsvColumn } from './csv-reader.js';
import { at } from './source-values.js';
import { titleColumn } from './title-case.js';

export const CLIENT_COLUMNS = ['id_client', 'nom', 'email', 'date_inscription', 'pays'] as const;

/** Kept clients sorted by id_client (unique), columns aligned by index. */
export interface CleanClients {
  readonly ids: Float64Array;
  readonly nom: string[];
  readonly email: string[];
  readonly pays: string[];
  /** date_inscription, epoch ms. */
  readonly inscription: Float64Array;
}

export interface CleaningWindow {
  /** Earliest valid date (2000-01-01), epoch ms. */
  readonly min: number;
  /** "now", epoch ms: later dates are dropped. */
  readonly max: number;
}

export const EARLIEST_DATE_MS = Date.UTC(2000, 0, 1);

/** The reader guarantees every wanted column; this only narrows the type. */
export function requiredColumn(raw: ReadonlyMap<string, CsvColumn>, name: string): CsvColumn {
  const column = raw.get(name);
  if (!column) throw new Error(`CSV column ${name} was not read`);
  return column;
}

export function cleanClients(
  raw: ReadonlyMap<string, CsvColumn>,
  rows: number,
  window: CleaningWindow,
): { clients: CleanClients; quality: InputQuality } {
  const idRaw = requiredColumn(raw, 'id_client');
  const nomRaw = requiredColumn(raw, 'nom');
  const emailRaw = requiredColumn(raw, 'email');
  const dateRaw = requiredColumn(raw, 'date_inscription');
  const paysRaw = requiredColumn(raw, 'pays');
  const drops = new DropCounter(CLIENT_DROP_REASONS);
  const keptRows: number[] = [];
  const ids: number[] = [];
  const dates: number[] = [];
  for (let i = 0; i < rows; i += 1) {
    const id = at.id(idRaw, i);
    if (Number.isNaN(id)) { drops.add(CLIENT_DROP_REASONS.idNotNumeric); continue; }
    if (at.missing(nomRaw, i)) { drops.add(CLIENT_DROP_REASONS.nomMissing); continue; }
    if (at.missing(emailRaw, i)) { drops.add(CLIENT_DROP_REASONS.emailMissing); continue; }
    if (at.missing(paysRaw, i)) { drops.add(CLIENT_DROP_REASONS.paysMissing); continue; }
    const date = at.timestamp(dateRaw, i);
    if (Number.isNaN(date)) { drops.add(CLIENT_DROP_REASONS.dateInvalid); continue; }
    if (date < window.min || date > window.max) { drops.add(CLIENT_DROP_REASONS.dateOutOfRange); continue; }
    if (!emailRaw.get(i).includes('@')) { drops.add(CLIENT_DROP_REASONS.emailInvalid); continue; }
    keptRows.push(i);
    ids.push(id);
    dates.push(date);
  }
  // Stable sort by id, then keep the first row of each id.
  const order = Array.from(keptRows.keys()).sort((a, b) => (ids[a] as number) - (ids[b] as number) || a - b);
  const unique = order.filter((k, pos) => pos === 0 || ids[k] !== ids[order[pos - 1] as number]);
  drops.add(CLIENT_DROP_REASONS.duplicateId, order.length - unique.length);
  const pick = (source: CsvColumn): string[] => unique.map((k) => source.get(keptRows[k] as number));
  const clients: CleanClients = {
    ids: Float64Array.from(unique, (k) => ids[k] as number),
    nom: pick(nomRaw).map((s) => s.trim()),
    email: pick(emailRaw).map((s) => s.trim().toLowerCase()),
    pays: titleColumn(pick(paysRaw).map((s) => s.trim())),
    inscription: Float64Array.from(unique, (k) => dates[k] as number),
  };
  return { clients, quality: drops.result('clients', rows, unique.length) };
}
