import { describe, expect, test } from 'vitest';
import { DEFAULT_END_MS, formatAmount, generateSources } from '../../../tools/generator/generate.js';
import { COUNTRIES, PRODUCTS } from '../../../tools/generator/vocabulary.js';

const parse = (csv: string) => csv.trimEnd().split('\n').map((line) => line.split(','));

describe('generateSources writes the seed format', () => {
  const options = { clients: 400, purchasesPerClient: 6, seed: 11, endMs: DEFAULT_END_MS };
  const out = generateSources(options);
  const clients = parse(out.clientsCsv);
  const achats = parse(out.achatsCsv);

  test('headers are those of ../shared/data/seed', () => {
    expect(clients[0]).toEqual(['id_client', 'nom', 'email', 'date_inscription', 'pays']);
    expect(achats[0]).toEqual(['id_achat', 'id_client', 'date_achat', 'montant', 'produit']);
    expect(clients).toHaveLength(401);
    expect(achats).toHaveLength(out.purchases + 1);
  });

  test('the same seed gives the same files; another seed gives others', () => {
    expect(generateSources(options)).toEqual(out);
    expect(generateSources({ ...options, seed: 12 }).achatsCsv).not.toBe(out.achatsCsv);
  });

  test('9 countries, 10 products, sign-ups within three years, valid emails', () => {
    expect(new Set(clients.slice(1).map((r) => r[4]))).toEqual(new Set(COUNTRIES));
    expect(new Set(achats.slice(1).map((r) => r[4]))).toEqual(new Set(PRODUCTS));
    expect(COUNTRIES).toHaveLength(9);
    expect(PRODUCTS).toHaveLength(10);
    for (const [, , email, date] of clients.slice(1)) {
      expect(email).toMatch(/^[a-z0-9]+@example\.(com|net|org)$/);
      const t = Date.parse(`${date}T00:00:00Z`);
      expect(t).toBeGreaterThanOrEqual(DEFAULT_END_MS - 3 * 365 * 86_400_000);
      expect(t).toBeLessThan(DEFAULT_END_MS);
    }
  });

  test('purchases fall in the last year, amounts 10–500 with at most two decimals', () => {
    for (const [, , when, montant] of achats.slice(1)) {
      const t = Date.parse(`${(when ?? '').replace(' ', 'T')}Z`);
      expect(t).toBeGreaterThanOrEqual(DEFAULT_END_MS - 365 * 86_400_000);
      expect(t).toBeLessThan(DEFAULT_END_MS);
      expect(montant).toMatch(/^\d+\.\d{1,2}$/);
      expect(Number(montant)).toBeGreaterThanOrEqual(10);
      expect(Number(montant)).toBeLessThanOrEqual(500);
    }
  });

  test('each client has between 1 and 2×M purchases, about M on average', () => {
    const perClient = new Map<string, number>();
    for (const r of achats.slice(1)) perClient.set(r[1] ?? '', (perClient.get(r[1] ?? '') ?? 0) + 1);
    expect(perClient.size).toBe(400);
    const counts = [...perClient.values()];
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(12);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(mean).toBeGreaterThan(5.5);
    expect(mean).toBeLessThan(7);
  });

  test('amounts print like Python floats', () => {
    expect(formatAmount(38702)).toBe('387.02');
    expect(formatAmount(25640)).toBe('256.4');
    expect(formatAmount(10000)).toBe('100.0');
  });
});
