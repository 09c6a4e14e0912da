// Collects rule violations of one table while it streams: a count per (column, rule), the
// first few samples (file, row, column, value) for the report, and a per-batch row mask that
// marks the rows to drop under `--on-invalid skip`. Memory stays bounded whatever the number of
// bad rows.
import { printable } from '../normalise/values.js';

export const DEFAULT_SAMPLE_LIMIT = 20;

export interface Violation {
  readonly table: string;
  readonly file: string;
  /** Row number within the file (0-based). */
  readonly row: number;
  readonly column: string;
  readonly rule: string;
  readonly value: unknown;
}

export interface RuleCount {
  readonly column: string;
  readonly rule: string;
  readonly count: number;
}

export interface ViolationReport {
  readonly table: string;
  /** Rows with at least one violation. */
  readonly invalidRows: number;
  readonly counts: readonly RuleCount[];
  readonly samples: readonly Violation[];
}

export class ViolationLog {
  readonly table: string;
  private readonly sampleLimit: number;
  private readonly counts = new Map<string, { column: string; rule: string; count: number }>();
  private readonly samples: Violation[] = [];
  private invalidRows = 0;
  private file = '';
  private rowOffset = 0;
  private batchRows = 0;
  private batchInvalid = 0;
  /** 1 = the row of the current batch has a violation. Reused between batches. */
  mask: Uint8Array = new Uint8Array(0);
  /** Per column, the rows of the current batch with a violation there (violations are rare). */
  private readonly cells = new Map<string, Set<number>>();

  constructor(table: string, sampleLimit = DEFAULT_SAMPLE_LIMIT) {
    this.table = table;
    this.sampleLimit = sampleLimit;
  }

  beginBatch(file: string, rowOffset: number, numRows: number): void {
    if (this.mask.length < numRows) this.mask = new Uint8Array(numRows);
    else this.mask.fill(0, 0, numRows);
    this.file = file;
    this.rowOffset = rowOffset;
    this.batchRows = numRows;
    this.batchInvalid = 0;
    this.cells.clear();
  }

  /**
   * Whether the cell at batch-relative `row` already has a violation: a value that could not be
   * converted becomes null, and the null check must not report it a second time (each bad cell
   * was counted twice, as its conversion rule and as `null`; found by an audit).
   */
  flagged(row: number, column: string): boolean {
    return this.cells.get(column)?.has(row) === true;
  }

  /** Records a violation at batch-relative `row`. */
  add(row: number, column: string, rule: string, value: unknown): void {
    let rows = this.cells.get(column);
    if (!rows) this.cells.set(column, (rows = new Set()));
    rows.add(row);
    const key = `${column}\u0000${rule}`;
    const entry = this.counts.get(key);
    if (entry) entry.count++;
    else this.counts.set(key, { column, rule, count: 1 });
    if (this.samples.length < this.sampleLimit) {
      this.samples.push({ table: this.table, file: this.file, row: this.rowOffset + row, column, rule, value: printable(value) });
    }
    if (this.mask[row] === 0) {
      this.mask[row] = 1;
      this.batchInvalid++;
      this.invalidRows++;
    }
  }

  /** Invalid rows in the current batch. */
  get batchInvalidRows(): number {
    return this.batchInvalid;
  }

  get currentBatchRows(): number {
    return this.batchRows;
  }

  get totalInvalidRows(): number {
    return this.invalidRows;
  }

  /**
   * Adds a report of the same table made elsewhere (a worker thread's share of the rows), as if
   * its violations had been logged here: counts add up, samples fill up to the limit in order.
   */
  absorb(report: ViolationReport): void {
    for (const c of report.counts) {
      const key = `${c.column}\u0000${c.rule}`;
      const entry = this.counts.get(key);
      if (entry) entry.count += c.count;
      else this.counts.set(key, { column: c.column, rule: c.rule, count: c.count });
    }
    for (const sample of report.samples) if (this.samples.length < this.sampleLimit) this.samples.push(sample);
    this.invalidRows += report.invalidRows;
  }

  report(): ViolationReport {
    return {
      table: this.table,
      invalidRows: this.invalidRows,
      counts: [...this.counts.values()].map((c) => ({ ...c })),
      samples: [...this.samples],
    };
  }
}

/** One line per rule, e.g. `fact_achats.montant montant: 3 rows (first: file.parquet row 12 value -5)`. */
export function describeReport(report: ViolationReport): string[] {
  return report.counts.map((c) => {
    const first = report.samples.find((s) => s.column === c.column && s.rule === c.rule);
    const where = first ? ` (first: ${first.file} row ${first.row} value ${JSON.stringify(first.value)})` : '';
    return `${report.table}.${c.column} ${c.rule}: ${c.count} row(s)${where}`;
  });
}
