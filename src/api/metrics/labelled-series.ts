// A labelled histogram and counter for the request path, registered in a prom-client Registry
// and exposed in exactly prom-client's text form (test/unit/api/labelled-series.test.ts compares
// the two). Callers resolve a series once (per route/status, per cache entry) and then only add
// numbers to it: prom-client's own children build a label object, validate it and hash it into
// a string on every observe/inc, a cost the front cache lane paid on every request.
import type { Metric, Registry } from 'prom-client';

type Labels = Record<string, string>;

export interface HistogramSeries {
  observe(value: number): void;
}

export interface CounterSeries {
  inc(): void;
}

interface MetricValue {
  readonly labels: Record<string, string | number>;
  readonly value: number;
  readonly metricName?: string;
}

/** The shape prom-client's Registry reads from a metric (`get()` of its own metric classes). */
interface MetricData {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram' | 'counter';
  readonly aggregator: 'sum';
  readonly values: MetricValue[];
}

/**
 * One series' numbers, as another thread reports them (structured-cloneable): label values in
 * `labelNames` order, then the histogram's per-bucket counts, sum and count, or the counter's value.
 */
export interface SeriesSnapshot {
  readonly values: readonly string[];
  readonly buckets?: readonly number[];
  readonly sum?: number;
  readonly count: number;
}

abstract class LabelledMetric<S extends { readonly labels: Labels }> {
  readonly aggregator = 'sum';
  protected readonly cells = new Map<string, S>();
  /**
   * The same metric's series counted in another thread (the front thread), as last reported:
   * added to this metric's own in get(). Totals since that thread started, so the latest report
   * replaces the previous one.
   */
  private others: readonly SeriesSnapshot[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    protected readonly labelNames: readonly string[],
    registry?: Registry,
  ) {
    // The Registry accepts prom-client's own classes in its types; it only calls get()/reset()
    // and reads name, help, type and aggregator, which this class provides.
    registry?.registerMetric(this as unknown as Metric);
  }

  /** This thread's series, for another thread to add to its own (see `absorb`). */
  snapshot(): SeriesSnapshot[] {
    return [...this.cells.values()].map((cell) => this.snapshotOf(cell));
  }

  /** Reports from another thread: what `snapshot` returned there. */
  absorb(others: readonly SeriesSnapshot[]): void {
    this.others = others;
  }

  protected abstract snapshotOf(cell: S): SeriesSnapshot;
  protected abstract blank(labels: Labels): S;
  protected abstract add(into: S, other: SeriesSnapshot): void;

  /** The cells to expose: this thread's, with the other thread's added (copies; the live cells are untouched). */
  protected merged(): Iterable<S> {
    if (this.others.length === 0) return this.cells.values();
    const merged = new Map<string, S>();
    for (const [key, cell] of this.cells) {
      const copy = this.blank(cell.labels);
      this.add(copy, this.snapshotOf(cell));
      merged.set(key, copy);
    }
    for (const other of this.others) {
      const key = other.values.join('\u0000');
      let cell = merged.get(key);
      if (!cell) merged.set(key, (cell = this.blank(this.labelsOf(other.values))));
      this.add(cell, other);
    }
    return merged.values();
  }

  protected labelsOf(values: readonly string[]): Labels {
    const labels: Labels = {};
    this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? ''));
    return labels;
  }

  /** The series of these label values (in `labelNames` order), created on first use. */
  protected cell(values: readonly string[], create: (labels: Labels) => S): S {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (!cell) this.cells.set(key, (cell = create(this.labelsOf(values))));
    return cell;
  }
}

class HistogramCell implements HistogramSeries {
  readonly buckets: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = bounds.map(() => 0);
  }

  observe(value: number): void {
    // Like prom-client: counted in the first bucket whose bound is ≥ value (+Inf is `count`).
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.buckets[i]!++;
        break;
      }
    }
    this.sum += value;
    this.count++;
  }
}

export class LabelledHistogram extends LabelledMetric<HistogramCell> {
  readonly type = 'histogram';

  constructor(name: string, help: string, labelNames: readonly string[], private readonly bounds: readonly number[], registry?: Registry) {
    super(name, help, labelNames, registry);
  }

  protected snapshotOf(cell: HistogramCell): SeriesSnapshot {
    return { values: this.labelNames.map((name) => cell.labels[name] ?? ''), buckets: [...cell.buckets], sum: cell.sum, count: cell.count };
  }

  protected blank(labels: Labels): HistogramCell {
    return new HistogramCell(labels, this.bounds);
  }

  protected add(into: HistogramCell, other: SeriesSnapshot): void {
    other.buckets?.forEach((n, i) => {
      if (i < into.buckets.length) into.buckets[i]! += n;
    });
    into.sum += other.sum ?? 0;
    into.count += other.count;
  }

  series(...values: string[]): HistogramSeries {
    return this.cell(values, (labels) => new HistogramCell(labels, this.bounds));
  }

  get(): MetricData {
    const values: MetricValue[] = [];
    for (const cell of this.merged()) {
      // As with prom-client, a series appears once it has an observation.
      if (cell.count === 0) continue;
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += cell.buckets[i]!;
        values.push({ labels: { le: bound, ...cell.labels }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf', ...cell.labels }, value: cell.count, metricName: `${this.name}_bucket` });
      values.push({ labels: cell.labels, value: cell.sum, metricName: `${this.name}_sum` });
      values.push({ labels: cell.labels, value: cell.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Zeroes every series in place (callers keep their series objects). */
  reset(): void {
    for (const cell of this.cells.values()) {
      cell.buckets.fill(0);
      cell.sum = 0;
      cell.count = 0;
    }
  }
}

class CounterCell implements CounterSeries {
  value = 0;

  constructor(readonly labels: Labels) {}

  inc(): void {
    this.value++;
  }
}

export class LabelledCounter extends LabelledMetric<CounterCell> {
  readonly type = 'counter';

  series(...values: string[]): CounterSeries {
    return this.cell(values, (labels) => new CounterCell(labels));
  }

  protected snapshotOf(cell: CounterCell): SeriesSnapshot {
    return { values: this.labelNames.map((name) => cell.labels[name] ?? ''), count: cell.value };
  }

  protected blank(labels: Labels): CounterCell {
    return new CounterCell(labels);
  }

  protected add(into: CounterCell, other: SeriesSnapshot): void {
    into.value += other.count;
  }

  get(): MetricData {
    const values = [...this.merged()].filter((cell) => cell.value > 0).map((cell) => ({ labels: cell.labels, value: cell.value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const cell of this.cells.values()) cell.value = 0;
  }
}
