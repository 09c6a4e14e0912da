// The set of numeric unique-key values seen so far. Gold ids are mostly integers written in
// order, so the set starts as sorted runs of consecutive integers — one run for 1..n, a few
// bytes instead of the hash set's 8 bytes a slot (64 MB at 5M ids). Keys out of order are
// placed among the runs; once there are too many runs (ids in random order) or a key is not a
// safe integer, everything moves to a NumberSet.
import { NumberSet } from './number-set.js';

/** Runs kept before switching to the hash set: inserting among them costs O(runs). */
const MAX_RUNS = 4096;

export class KeySet {
  private starts: number[] = [];
  private ends: number[] = [];
  private set: NumberSet | null = null;
  private readonly expected: number;

  /** `expected`: the number of keys to come, when known (sizes the hash set if one is needed). */
  constructor(expected = 4096) {
    this.expected = expected;
  }

  /** Adds `key`; false when it was already present. */
  add(key: number): boolean {
    if (this.set) return this.set.add(key);
    if (!Number.isSafeInteger(key)) return this.toSet().add(key);
    const { starts, ends } = this;
    const n = ends.length;
    const lastEnd = n > 0 ? (ends[n - 1] as number) : Number.NaN;
    if (n === 0 || key > lastEnd) {
      // The common case: ids in increasing order.
      if (key === lastEnd + 1) ends[n - 1] = key;
      else if (n >= MAX_RUNS) return this.toSet().add(key);
      else {
        starts.push(key);
        ends.push(key);
      }
      return true;
    }
    // Last run starting at or before key.
    let lo = 0;
    let hi = n - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] as number) <= key) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at >= 0 && key <= (ends[at] as number)) return false;
    const joinsPrevious = at >= 0 && ends[at] === key - 1;
    const joinsNext = at + 1 < n && starts[at + 1] === key + 1;
    if (joinsPrevious && joinsNext) {
      ends[at] = ends[at + 1] as number;
      starts.splice(at + 1, 1);
      ends.splice(at + 1, 1);
    } else if (joinsPrevious) ends[at] = key;
    else if (joinsNext) starts[at + 1] = key;
    else if (n >= MAX_RUNS) return this.toSet().add(key);
    else {
      starts.splice(at + 1, 0, key);
      ends.splice(at + 1, 0, key);
    }
    return true;
  }

  private toSet(): NumberSet {
    let members = 0;
    for (let r = 0; r < this.ends.length; r++) members += (this.ends[r] as number) - (this.starts[r] as number) + 1;
    const set = new NumberSet(Math.max(this.expected, members + 1));
    for (let r = 0; r < this.ends.length; r++) for (let k = this.starts[r] as number; k <= (this.ends[r] as number); k++) set.add(k);
    this.starts = [];
    this.ends = [];
    this.set = set;
    return set;
  }
}
