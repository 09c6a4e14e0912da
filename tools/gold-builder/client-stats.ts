// Per-client aggregates over all purchases and over the 12-month window, in one pass by
// columns: counts, Kahan sums, first/last dates and distinct products.
import type { CleanPurchases } from './clean-purchases.js';
import { groupSum } from './numeric.js';
import { DAY_MS } from './source-values.js';
import { HORIZON_DAYS } from '../../src/catalog/gold-catalog.js';

export interface ClientStats {
  /** ref: the latest date_achat (epoch ms). */
  readonly ref: number;
  /** First date inside the window: date_achat ≥ ref − 365 days. */
  readonly windowStart: number;
  readonly ordersAll: Float64Array;
  readonly spendAll: Float64Array;
  /** NaN when the client never bought. */
  readonly first: Float64Array;
  readonly last: Float64Array;
  readonly productsAll: Float64Array;
  readonly freq12: Float64Array;
  readonly monetary12: Float64Array;
  readonly products12: Float64Array;
}

export function computeClientStats(p: CleanPurchases, clientCount: number): ClientStats {
  let ref = Number.NEGATIVE_INFINITY;
  for (const d of p.date) if (d > ref) ref = d;
  const windowStart = ref - HORIZON_DAYS * DAY_MS;

  const ordersAll = new Float64Array(clientCount);
  const spendAll = groupSum(p.montant, p.client, clientCount, ordersAll);
  const windowGroup = new Int32Array(p.count);
  for (let i = 0; i < p.count; i += 1) windowGroup[i] = (p.date[i] as number) >= windowStart ? (p.client[i] as number) : -1;
  const freq12 = new Float64Array(clientCount);
  const monetary12 = groupSum(p.montant, windowGroup, clientCount, freq12);

  const first = new Float64Array(clientCount).fill(Number.NaN);
  const last = new Float64Array(clientCount).fill(Number.NaN);
  for (let i = 0; i < p.count; i += 1) {
    const c = p.client[i] as number;
    const d = p.date[i] as number;
    if (!(d >= (first[c] as number))) first[c] = d; // NaN compares false: first sighting sets it
    if (!(d <= (last[c] as number))) last[c] = d;
  }

  const { all: productsAll, window: products12 } = distinctProducts(p, windowGroup, clientCount);
  return { ref, windowStart, ordersAll, spendAll, first, last, productsAll, freq12, monetary12, products12 };
}

/** Distinct produit per client, overall and in the window, via product codes and a key set. */
function distinctProducts(p: CleanPurchases, windowGroup: Int32Array, clientCount: number): { all: Float64Array; window: Float64Array } {
  const codes = new Map<string, number>();
  const code = new Int32Array(p.count);
  for (let i = 0; i < p.count; i += 1) {
    const name = p.produit[i] as string;
    let c = codes.get(name);
    if (c === undefined) {
      c = codes.size;
      codes.set(name, c);
    }
    code[i] = c;
  }
  const all = new Float64Array(clientCount);
  const window = new Float64Array(clientCount);
  const productCount = Math.max(codes.size, 1);
  if (clientCount * productCount <= 64_000_000) {
    // Dense byte matrix client × product: bit 1 = bought ever, bit 2 = bought in the window.
    const seen = new Uint8Array(clientCount * productCount);
    for (let i = 0; i < p.count; i += 1) {
      const c = p.client[i] as number;
      const key = c * productCount + (code[i] as number);
      const before = seen[key] as number;
      let now = before | 1;
      if ((windowGroup[i] as number) >= 0) now |= 2;
      if (now === before) continue;
      seen[key] = now;
      if (!(before & 1)) all[c] = (all[c] as number) + 1;
      if (now & 2 && !(before & 2)) window[c] = (window[c] as number) + 1;
    }
  } else {
    const everKeys = new Set<number>();
    const windowKeys = new Set<number>();
    for (let i = 0; i < p.count; i += 1) {
      const c = p.client[i] as number;
      const key = c * productCount + (code[i] as number);
      if (!everKeys.has(key)) {
        everKeys.add(key);
        all[c] = (all[c] as number) + 1;
      }
      if ((windowGroup[i] as number) >= 0 && !windowKeys.has(key)) {
        windowKeys.add(key);
        window[c] = (window[c] as number) + 1;
      }
    }
  }
  return { all, window };
}
