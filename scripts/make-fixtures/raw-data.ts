// Deterministic raw clients/purchases for the gold fixtures (~40 clients, ~400 purchases over
// 14 months from Nov 2024 to Dec 2025). Client profiles are mixed on purpose so that every
// segment of GOLD_SPEC §4 appears: recent big spenders, frequent recent buyers, big spenders who
// stopped, occasional buyers who stopped long ago, and clients who never bought.

export const SEED = 20_260_125;

export interface RawClient {
  id: number;
  nom: string;
  email: string;
  /** 'YYYY-MM-DD HH:MM:SS' (naive UTC). */
  inscription: string;
  pays: string;
}
export interface RawAchat {
  id: number;
  client: number;
  date: string;
  montant: number;
  produit: string;
}

const COUNTRIES = ['France', 'Belgique', 'Suisse', 'Allemagne', 'Espagne', 'Italie'];
const PRODUCTS: ReadonlyArray<readonly [string, number, number]> = [
  ['Lave-Linge', 349, 899],
  ['Refrigerateur', 399, 1499],
  ['Four', 199, 799],
  ['Aspirateur', 79, 449],
  ['Micro-Ondes', 59, 249],
  ['Lave-Vaisselle', 299, 899],
  ['Cafetiere', 29, 199],
];
const NAMES = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier'];
const FIRST = ['Alice', 'Bruno', 'Chloe', 'David', 'Emma', 'Felix', 'Gina', 'Hugo'];

const START = Date.UTC(2024, 10, 1); // 2024-11-01
const END = Date.UTC(2025, 11, 31, 20); // 2025-12-31 20:00
const DAY = 86_400_000;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Profiles: [weight of purchases, activity start, activity end, product price factor]. */
type Profile = { weight: number; from: number; to: number; spend: number };
const PROFILES: Record<string, Profile> = {
  vip: { weight: 20, from: Date.UTC(2025, 1, 1), to: END, spend: 1.0 },
  active: { weight: 12, from: Date.UTC(2025, 5, 1), to: END, spend: 0.3 },
  stopped: { weight: 9, from: Date.UTC(2025, 0, 5), to: Date.UTC(2025, 1, 28), spend: 1.6 },
  dormant: { weight: 2, from: START, to: Date.UTC(2025, 4, 31), spend: 0.2 },
  casual: { weight: 6, from: START, to: END, spend: 0.5 },
};
const PROFILE_OF_CLIENT = ['vip', 'active', 'stopped', 'dormant', 'casual', 'casual', 'active'];

export function buildRawData(): { clients: RawClient[]; achats: RawAchat[] } {
  const rand = prng(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const clients: RawClient[] = [];
  for (let id = 1; id <= 40; id++) {
    const nom = `${pick(FIRST)} ${pick(NAMES)}`;
    const inscription = Date.UTC(2023, 0, 1) + Math.floor(rand() * 640) * DAY + Math.floor(rand() * 86_400) * 1000;
    clients.push({
      id,
      nom,
      email: `${nom.toLowerCase().replace(/ /g, '.')}.${id}@example.com`,
      inscription: iso(inscription),
      // Every country appears; the rest at random.
      pays: id <= COUNTRIES.length ? (COUNTRIES[id - 1] as string) : pick(COUNTRIES),
    });
  }
  // Clients 35..40 never buy.
  const buyers = clients.filter((c) => c.id <= 34);
  const profileOf = (id: number): Profile => PROFILES[PROFILE_OF_CLIENT[id % PROFILE_OF_CLIENT.length] as string] as Profile;
  const totalWeight = buyers.reduce((s, c) => s + profileOf(c.id).weight, 0);
  const achats: RawAchat[] = [];
  for (let id = 1; id <= 400; id++) {
    // Weighted choice of the buyer; the first 34 purchases go one to each buyer so all buy.
    let client = buyers[id - 1];
    if (!client) {
      let r = rand() * totalWeight;
      client = buyers.find((c) => (r -= profileOf(c.id).weight) < 0) ?? (buyers[0] as RawClient);
    }
    const profile = profileOf(client.id);
    const when = profile.from + Math.floor(rand() * ((profile.to - profile.from) / 1000)) * 1000;
    const [produit, lo, hi] = pick(PRODUCTS);
    const montant = Math.round((lo + rand() * (hi - lo) * profile.spend) * 100) / 100;
    achats.push({ id, client: client.id, date: iso(when), montant, produit });
  }
  return { clients, achats };
}
