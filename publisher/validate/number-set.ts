// A set of finite numbers in one Float64Array (open addressing, linear probing). The unique-key
// check of a 5M-row fact table holds 5M ids: a JS Set would cost ~100+ MB and GC pressure;
// this costs 8 bytes a slot at ≤ 0.75 load (64 MB at 5M ids).

const EMPTY = Number.NaN; // never a member: keys are finite numbers
const MAX_LOAD = 0.75;

export class NumberSet {
  private slots: Float64Array;
  private mask: number;
  private count = 0;
  private readonly view = new DataView(new ArrayBuffer(8));

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity / MAX_LOAD) cap *= 2;
    this.slots = new Float64Array(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Adds `key`; false when it was already present. */
  add(key: number): boolean {
    if (this.count + 1 > this.slots.length * MAX_LOAD) this.grow();
    const slots = this.slots;
    let i = this.hash(key) & this.mask;
    for (;;) {
      const s = slots[i] as number;
      if (s !== s) {
        slots[i] = key;
        this.count++;
        return true;
      }
      if (s === key) return false;
      i = (i + 1) & this.mask;
    }
  }

  has(key: number): boolean {
    const slots = this.slots;
    let i = this.hash(key) & this.mask;
    for (;;) {
      const s = slots[i] as number;
      if (s !== s) return false;
      if (s === key) return true;
      i = (i + 1) & this.mask;
    }
  }

  private hash(key: number): number {
    // Small integers (the common case) hash from their value; others from their bits.
    if ((key | 0) === key) return Math.imul(key ^ (key >>> 16), 0x45d9f3b) ^ (key >>> 13);
    const v = this.view;
    v.setFloat64(0, key === 0 ? 0 : key); // -0 and 0 are the same key
    const h = Math.imul(v.getInt32(0) ^ 0x9e3779b9, 0x85ebca6b) ^ v.getInt32(4);
    return Math.imul(h ^ (h >>> 15), 0xc2b2ae35) ^ (h >>> 13);
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2).fill(EMPTY);
    this.mask = this.slots.length - 1;
    this.count = 0;
    for (let i = 0; i < old.length; i++) {
      const s = old[i] as number;
      if (s === s) this.add(s);
    }
  }
}
