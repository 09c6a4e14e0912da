// Distinct count of a numeric column (fact_achats' clients). Ids are small non-negative
// integers: a bit per possible id (a few KB for 150k clients) is several times cheaper per row
// than hashing into a table of doubles; anything else (negative, fractional, ≥ 2^26) goes to a
// NumberSet. The bitmap grows with the largest id seen, 8 MB at most.
import { NumberSet } from '../validate/number-set.js';

const BITMAP_LIMIT = 2 ** 26;

export class DistinctNumbers {
  private bits = new Int32Array(1024);
  private inBitmap = 0;
  private readonly others = new NumberSet(1024);

  get size(): number {
    return this.inBitmap + this.others.size;
  }

  add(x: number): void {
    if (x >= 0 && x < BITMAP_LIMIT && (x | 0) === x) {
      const word = x >>> 5;
      if (word >= this.bits.length) this.grow(word);
      const bit = 1 << (x & 31);
      const current = this.bits[word] as number;
      if ((current & bit) === 0) {
        this.bits[word] = current | bit;
        this.inBitmap++;
      }
      return;
    }
    this.others.add(x);
  }

  private grow(word: number): void {
    let length = this.bits.length;
    while (length <= word) length *= 2;
    const next = new Int32Array(length);
    next.set(this.bits);
    this.bits = next;
  }
}
