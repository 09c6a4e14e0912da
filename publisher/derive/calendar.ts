// Calendar arithmetic on epoch days (UTC; gold timestamps are naive UTC).
import { DAY_MS } from '../normalise/values.js';

export const epochDay = (ms: number): number => Math.floor(ms / DAY_MS);

/** The Monday on or before `day` (1970-01-01, epoch day 0, was a Thursday). */
export function mondayOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** 'YYYY-MM-DD' of an epoch day. */
export const dayString = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
