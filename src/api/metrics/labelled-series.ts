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

abstract class LabelledMetric<S> {
  readonly aggregator = 'sum';
  protected readonly cells = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    protected readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    // The Registry accepts prom-client's own classes in its types; it only calls get()/reset()
    // and reads name, help, type and aggregator, which this class provides.
    registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these label values (in `labelNames` order), created on first use. */
  protected cell(values: readonly string[], create: (labels: Labels) => S): S {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (!cell) {
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i] ?? ''));
      this.cells.set(key, (cell = create(labels)));
    }
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

  constructor(name: string, help: string, labelNames: readonly string[], private readonly bounds: readonly number[], registry: Registry) {
    super(name, help, labelNames, registry);
  }

  series(...values: string[]): HistogramSeries {
    return this.cell(values, (labels) => new HistogramCell(labels, this.bounds));
  }

  get(): MetricData {
    const values: MetricValue[] = [];
    for (const cell of this.cells.values()) {
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

  get(): MetricData {
    const values = [...this.cells.values()].filter((cell) => cell.value > 0).map((cell) => ({ labels: cell.labels, value: cell.value }));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const cell of this.cells.values()) cell.value = 0;
  }
}
