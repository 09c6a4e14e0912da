// fact_achats (GOLD_SPEC §4): clean purchases sorted by date_achat (stable), with the client's
// pays and the calendar columns jour `YYYY-MM-DD`, mois `YYYY-MM`, annee.
import type { CleanClients } from './clean-clients.js';
import type { CleanPurchases } from './clean-purchases.js';
import { type GoldTable, num, str } from './gold-table.js';
import { stableOrder } from './sort-order.js';
import { DAY_MS } from './source-values.js';

export interface Calendar {
  readonly jour: string;
  readonly mois: string;
  readonly annee: number;
}

/** Calendar strings per day number, computed once per distinct day. */
export class CalendarCache {
  private readonly days = new Map<number, Calendar>();

  ofDay(day: number): Calendar {
    let c = this.days.get(day);
    if (!c) {
      const iso = new Date(day * DAY_MS).toISOString();
      c = { jour: iso.slice(0, 10), mois: iso.slice(0, 7), annee: Number(iso.slice(0, 4)) };
      this.days.set(day, c);
    }
    return c;
  }

  of(ms: number): Calendar {
    return this.ofDay(Math.floor(ms / DAY_MS));
  }
}

export function buildFactTable(p: CleanPurchases, clients: CleanClients, calendar: CalendarCache): GoldTable {
  const order = stableOrder(p.date);
  const n = p.count;
  const idAchat = new Float64Array(n);
  const idClient = new Float64Array(n);
  const date = new Float64Array(n);
  const montant = new Float64Array(n);
  const annee = new Float64Array(n);
  const produit = new Array<string>(n);
  const pays = new Array<string>(n);
  const jour = new Array<string>(n);
  const mois = new Array<string>(n);
  // A dense per-day table of calendar strings: one lookup by array index per row.
  let firstDay = Number.POSITIVE_INFINITY;
  let lastDay = Number.NEGATIVE_INFINITY;
  const dayOf = new Int32Array(n);
  for (let i = 0; i < n; i += 1) {
    const day = Math.floor((p.date[i] as number) / DAY_MS);
    dayOf[i] = day;
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
  }
  const days: Calendar[] = [];
  for (let day = firstDay; day <= lastDay; day += 1) days.push(calendar.ofDay(day));
  for (let k = 0; k < n; k += 1) {
    const i = order[k] as number;
    const cal = days[(dayOf[i] as number) - firstDay] as Calendar;
    idAchat[k] = p.idAchat[i] as number;
    idClient[k] = p.idClient[i] as number;
    date[k] = p.date[i] as number;
    montant[k] = p.montant[i] as number;
    produit[k] = p.produit[i] as string;
    // Every kept purchase has a kept client; `Inconnu` mirrors the reference's left join.
    pays[k] = clients.pays[p.client[i] as number] ?? 'Inconnu';
    jour[k] = cal.jour;
    mois[k] = cal.mois;
    annee[k] = cal.annee;
  }
  return {
    name: 'fact_achats',
    rows: n,
    columns: [
      num('id_achat', 'int64', idAchat),
      num('id_client', 'int64', idClient),
      num('date_achat', 'timestamp', date),
      num('montant', 'double', montant),
      str('produit', produit),
      str('pays', pays),
      str('jour', jour),
      str('mois', mois),
      num('annee', 'int32', annee),
    ],
  };
}
