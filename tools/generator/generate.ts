// Sample sources in the seed's format (../shared/data/seed): clients.csv
// `id_client,nom,email,date_inscription,pays` and achats.csv
// `id_achat,id_client,date_achat,montant,produit`. Purely a function of the options: the same
// seed and end date give byte-identical files.
import { type Random, createRandom } from './prng.js';
import { COUNTRIES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PRODUCTS, TITLES } from './vocabulary.js';

export interface GenerateOptions {
  readonly clients: number;
  /** Mean purchases per client: each client gets between 1 and 2×M (uniform). */
  readonly purchasesPerClient: number;
  readonly seed: number;
  /** Exclusive end of the data (epoch ms): purchases fall in the year before, sign-ups in the 3 years before. */
  readonly endMs: number;
}

/** Default end of the generated data: fixed, so that a seed alone determines the files. */
export const DEFAULT_END_MS = Date.UTC(2026, 0, 21);

const DAY_MS = 86_400_000;
const YEAR_DAYS = 365;

export interface GeneratedSources {
  readonly clientsCsv: string;
  readonly achatsCsv: string;
  readonly purchases: number;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${formatDate(ms)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** An amount of cents as Python prints round(x, 2): shortest form, at least one decimal. */
export function formatAmount(cents: number): string {
  const text = String(cents / 100);
  return text.includes('.') ? text : `${text}.0`;
}

/** Quotes a CSV field only when it needs it. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function asciiLower(text: string): string {
  return text.normalize('NFD').toLowerCase().replace(/[^a-z]/g, '');
}

function email(random: Random, first: string, last: string): string {
  const f = asciiLower(first);
  const l = asciiLower(last);
  const local = [`${f}${l}`, `${l}${f}`, `${f.charAt(0)}${l}`, `${f}${random.int(10, 99)}`, `${l}${random.int(10, 99)}`][random.int(0, 4)] as string;
  return `${local}@${random.pick(EMAIL_DOMAINS)}`;
}

export function generateSources(options: GenerateOptions): GeneratedSources {
  const random = createRandom(options.seed);
  const clientLines = ['id_client,nom,email,date_inscription,pays'];
  const achatLines = ['id_achat,id_client,date_achat,montant,produit'];
  const endSeconds = Math.floor(options.endMs / 1000);
  const endDay = Math.floor(options.endMs / DAY_MS);
  let idAchat = 0;
  for (let id = 1; id <= options.clients; id += 1) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const nom = random.next() < 0.03 ? `${random.pick(TITLES)} ${first} ${last}` : `${first} ${last}`;
    const signUpDay = endDay - random.int(1, 3 * YEAR_DAYS);
    clientLines.push(`${id},${csvField(nom)},${email(random, first, last)},${formatDate(signUpDay * DAY_MS)},${random.pick(COUNTRIES)}`);
    const count = random.int(1, 2 * options.purchasesPerClient);
    for (let k = 0; k < count; k += 1) {
      idAchat += 1;
      const when = (endSeconds - random.int(1, YEAR_DAYS * 86_400)) * 1000;
      const cents = random.int(1_000, 50_000);
      achatLines.push(`${idAchat},${id},${formatTimestamp(when)},${formatAmount(cents)},${random.pick(PRODUCTS)}`);
    }
  }
  return { clientsCsv: `${clientLines.join('\n')}\n`, achatsCsv: `${achatLines.join('\n')}\n`, purchases: idAchat };
}
