// The cleaning's account of itself: for each input, rows read, kept, and dropped per reason.

export const CLIENT_DROP_REASONS = Object.freeze({
  idNotNumeric: 'id_client not numeric',
  nomMissing: 'nom missing',
  emailMissing: 'email missing',
  paysMissing: 'pays missing',
  dateInvalid: 'date_inscription missing or unparseable',
  dateOutOfRange: 'date_inscription outside [2000-01-01, now]',
  emailInvalid: 'email without @',
  duplicateId: 'duplicate id_client (kept the first by id)',
} as const);

export const PURCHASE_DROP_REASONS = Object.freeze({
  idAchatNotNumeric: 'id_achat missing or not numeric',
  idClientNotNumeric: 'id_client missing or not numeric',
  montantNotNumeric: 'montant missing or not numeric',
  dateMissing: 'date_achat missing',
  produitMissing: 'produit missing',
  dateInvalid: 'date_achat unparseable',
  dateOutOfRange: 'date_achat outside [2000-01-01, now]',
  montantOutOfRange: 'montant outside (0, 10000]',
  unknownClient: 'id_client not a kept client',
  duplicateId: 'duplicate id_achat (kept the last)',
} as const);

export interface InputQuality {
  readonly input: string;
  readonly read: number;
  readonly kept: number;
  /** Reason text → rows dropped for it (a row counts once, under the first rule it fails). */
  readonly dropped: Readonly<Record<string, number>>;
}

/** Counts drops per reason while a cleaning step runs. */
export class DropCounter {
  private readonly counts = new Map<string, number>();

  constructor(reasons: Readonly<Record<string, string>>) {
    for (const reason of Object.values(reasons)) this.counts.set(reason, 0);
  }

  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }

  result(input: string, read: number, kept: number): InputQuality {
    return { input, read, kept, dropped: Object.fromEntries(this.counts) };
  }
}

/** Plain-text report, one block per input, zero counts included so the reader sees every rule. */
export function formatQualityReport(inputs: readonly InputQuality[]): string {
  const lines = ['Quality report (rows dropped per reason):'];
  for (const q of inputs) {
    lines.push(`  ${q.input}: read ${q.read}, kept ${q.kept}, dropped ${q.read - q.kept}`);
    for (const [reason, n] of Object.entries(q.dropped)) lines.push(`    ${String(n).padStart(8)}  ${reason}`);
  }
  return lines.join('\n');
}
