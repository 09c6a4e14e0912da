// Silver purchases (GOLD_SPEC §4): validate, keep only purchases of kept clients, then keep
// the LAST row of each id_achat (file order). Rows stay in file order, by columns.
import { type CleanClients, type CleaningWindow, requiredColumn } from './clean-clients.js';
import type { CsvColumn } from './csv-reader.js';
import { DropCounter, PURCHASE_DROP_REASONS, type InputQuality } from './quality-report.js';
import { at } from './source-values.js';
import { titleColumn } from './title-case.js';
import { MONTANT_MAX } from '../../src/catalog/gold-catalog.js';

export const PURCHASE_COLUMNS = ['id_achat', 'id_client', 'date_achat', 'montant', 'produit'] as const;

export interface CleanPurchases {
  readonly count: number;
  readonly idAchat: Float64Array;
  readonly idClient: Float64Array;
  /** Index of the purchase's client in CleanClients. */
  readonly client: Int32Array;
  /** date_achat, epoch ms. */
  readonly date: Float64Array;
  readonly montant: Float64Array;
  readonly produit: string[];
}

export function cleanPurchases(
  raw: ReadonlyMap<string, CsvColumn>,
  rows: number,
  clients: CleanClients,
  window: CleaningWindow,
): { purchases: CleanPurchases; quality: InputQuality } {
  const idRaw = requiredColumn(raw, 'id_achat');
  const clientRaw = requiredColumn(raw, 'id_client');
  const dateRaw = requiredColumn(raw, 'date_achat');
  const montantRaw = requiredColumn(raw, 'montant');
  const produitRaw = requiredColumn(raw, 'produit');
  const drops = new DropCounter(PURCHASE_DROP_REASONS);
  const clientOf = clientLookup(clients.ids);

  const idAchat = new Float64Array(rows);
  const idClient = new Float64Array(rows);
  const client = new Int32Array(rows);
  const date = new Float64Array(rows);
  const montant = new Float64Array(rows);
  const source = new Int32Array(rows); // raw row of each valid purchase
  let valid = 0;
  for (let i = 0; i < rows; i += 1) {
    const id = at.id(idRaw, i);
    if (Number.isNaN(id)) { drops.add(PURCHASE_DROP_REASONS.idAchatNotNumeric); continue; }
    const cid = at.id(clientRaw, i);
    if (Number.isNaN(cid)) { drops.add(PURCHASE_DROP_REASONS.idClientNotNumeric); continue; }
    const amount = at.number(montantRaw, i);
    if (Number.isNaN(amount)) { drops.add(PURCHASE_DROP_REASONS.montantNotNumeric); continue; }
    if (at.missing(dateRaw, i)) { drops.add(PURCHASE_DROP_REASONS.dateMissing); continue; }
    if (at.missing(produitRaw, i)) { drops.add(PURCHASE_DROP_REASONS.produitMissing); continue; }
    const when = at.timestamp(dateRaw, i);
    if (Number.isNaN(when)) { drops.add(PURCHASE_DROP_REASONS.dateInvalid); continue; }
    if (when < window.min || when > window.max) { drops.add(PURCHASE_DROP_REASONS.dateOutOfRange); continue; }
    if (!(amount > 0 && amount <= MONTANT_MAX)) { drops.add(PURCHASE_DROP_REASONS.montantOutOfRange); continue; }
    const c = clientOf(cid);
    if (c < 0) { drops.add(PURCHASE_DROP_REASONS.unknownClient); continue; }
    idAchat[valid] = id;
    idClient[valid] = cid;
    client[valid] = c;
    date[valid] = when;
    montant[valid] = amount;
    source[valid] = i;
    valid += 1;
  }

  const { keep, count } = keepLastById(idAchat.subarray(0, valid));
  drops.add(PURCHASE_DROP_REASONS.duplicateId, valid - count);

  const out = {
    idAchat: new Float64Array(count),
    idClient: new Float64Array(count),
    client: new Int32Array(count),
    date: new Float64Array(count),
    montant: new Float64Array(count),
  };
  const produitKept: string[] = new Array<string>(count);
  let j = 0;
  for (let k = 0; k < valid; k += 1) {
    if (!keep[k]) continue;
    out.idAchat[j] = idAchat[k] as number;
    out.idClient[j] = idClient[k] as number;
    out.client[j] = client[k] as number;
    out.date[j] = date[k] as number;
    out.montant[j] = montant[k] as number;
    produitKept[j] = produitRaw.get(source[k] as number).trim();
    j += 1;
  }
  return {
    purchases: { count, ...out, produit: titleColumn(produitKept) },
    quality: drops.result('achats', rows, count),
  };
}

/**
 * Marks the last occurrence of each id (walking backwards, remembering what was seen). Ids in
 * a dense range use a bitmap instead of a Set: ~10× faster for a million purchases.
 */
export function keepLastById(ids: Float64Array): { keep: Uint8Array; count: number } {
  const n = ids.length;
  const keep = new Uint8Array(n);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const id of ids) {
    if (id < lo) lo = id;
    if (id > hi) hi = id;
  }
  let count = 0;
  if (n > 0 && hi - lo < Math.max(4 * n, 1024)) {
    const seen = new Uint8Array(hi - lo + 1);
    for (let k = n - 1; k >= 0; k -= 1) {
      const slot = (ids[k] as number) - lo;
      if (seen[slot]) continue;
      seen[slot] = 1;
      keep[k] = 1;
      count += 1;
    }
    return { keep, count };
  }
  const seen = new Set<number>();
  for (let k = n - 1; k >= 0; k -= 1) {
    const id = ids[k] as number;
    if (seen.has(id)) continue;
    seen.add(id);
    keep[k] = 1;
    count += 1;
  }
  return { keep, count };
}

/** id_client → index among kept clients (−1 if none): a dense table when ids are compact, else a Map. */
function clientLookup(ids: Float64Array): (id: number) => number {
  const lo = ids.length > 0 ? (ids[0] as number) : 0; // ids are sorted
  const hi = ids.length > 0 ? (ids[ids.length - 1] as number) : -1;
  if (hi - lo < Math.max(4 * ids.length, 1024)) {
    const table = new Int32Array(hi - lo + 1).fill(-1);
    ids.forEach((id, i) => (table[id - lo] = i));
    return (id) => (id >= lo && id <= hi ? (table[id - lo] as number) : -1);
  }
  const index = new Map<number, number>();
  ids.forEach((id, i) => index.set(id, i));
  return (id) => index.get(id) ?? -1;
}
