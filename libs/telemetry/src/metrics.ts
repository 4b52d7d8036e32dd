// Prometheus metrics through prom-client: one approach for every service. Each service owns one Registry (never
// prom-client's global one), so tests can create many and metrics from different services never mix.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { TelemetryError } from "./errors.js";

const NAME = /^evtrigger_[a-z][a-z0-9_]*$/;
const LABEL = /^[a-z_][a-z0-9_]*$/;

/** Buckets in seconds for latencies from sub-millisecond work (match) to slow applies (seconds). */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

export interface MetricsOptions {
  /** Added as the `service` label on every series. */
  service: string;
  /** Register prom-client's process/nodejs metrics (CPU, memory, event loop lag, GC). Default true. */
  defaultMetrics?: boolean;
}

export interface Metrics {
  readonly registry: Registry;
  /** Content-Type of `text()`: "text/plain; version=0.0.4; charset=utf-8". */
  readonly contentType: string;
  /** A counter; names must match /^evtrigger_[a-z0-9_]+_total$/. Same name and labels again returns the same one. */
  counter<L extends string = string>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string = string>(name: string, help: string, labelNames?: readonly L[]): Gauge<L>;
  /** A histogram; `buckets` default to LATENCY_BUCKETS (seconds). */
  histogram<L extends string = string>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    buckets?: readonly number[],
  ): Histogram<L>;
  /**
   * Runs `fn` before every scrape (text()), e.g. to read JetStream consumer info into gauges: fresh values with
   * no timer. Hooks run in parallel; one that throws or takes longer than 2 s is skipped for that scrape and
   * counted in evtrigger_scrape_hook_errors_total.
   */
  onScrape(fn: () => Promise<void> | void): void;
  /** The Prometheus text exposition of every registered metric. */
  text(): Promise<string>;
}

const SCRAPE_HOOK_TIMEOUT_MS = 2000;

/** Creates a service's metrics registry with the default process metrics and a `service` label. */
export function createMetrics(opts: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: opts.service });
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return new PromMetrics(registry);
}

type AnyMetric = Counter<string> | Gauge<string> | Histogram<string>;

class PromMetrics implements Metrics {
  private readonly made = new Map<string, { kind: string; labels: string; metric: AnyMetric }>();
  private readonly hooks: Array<() => Promise<void> | void> = [];
  private hookErrors: Counter<string> | undefined;
  constructor(readonly registry: Registry) {}

  onScrape(fn: () => Promise<void> | void): void {
    this.hookErrors ??= this.counter("evtrigger_scrape_hook_errors_total", "Pre-scrape hooks that failed or timed out");
    this.hooks.push(fn);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  counter<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    if (!name.endsWith("_total")) {
      throw new TelemetryError("EVT_TELEMETRY_METRIC_NAME", `counter "${name}": counter names must end in "_total"`);
    }
    return this.make("counter", name, labelNames, () => new Counter({ name, help, labelNames, registers: [] }));
  }

  gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.make("gauge", name, labelNames, () => new Gauge({ name, help, labelNames, registers: [] }));
  }

  histogram<L extends string = string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets: readonly number[] = LATENCY_BUCKETS,
  ): Histogram<L> {
    return this.make(
      "histogram",
      name,
      labelNames,
      () => new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [] }),
    );
  }

  async text(): Promise<string> {
    if (this.hooks.length > 0) await Promise.all(this.hooks.map((h) => this.runHook(h)));
    return this.registry.metrics();
  }

  private async runHook(hook: () => Promise<void> | void): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timeout")), SCRAPE_HOOK_TIMEOUT_MS);
      timer.unref();
    });
    try {
      await Promise.race([Promise.resolve().then(hook), timeout]);
    } catch {
      this.hookErrors?.inc();
    } finally {
      clearTimeout(timer);
    }
  }

  private make<M extends AnyMetric>(kind: string, name: string, labelNames: readonly string[], build: () => M): M {
    checkNames(name, labelNames);
    const labels = [...labelNames].sort().join(",");
    const prev = this.made.get(name);
    if (prev) {
      if (prev.kind === kind && prev.labels === labels) return prev.metric as M;
      throw new TelemetryError(
        "EVT_TELEMETRY_METRIC_CONFLICT",
        `metric "${name}" already registered as ${prev.kind}{${prev.labels}}, now requested as ${kind}{${labels}}`,
      );
    }
    const metric = build();
    this.registry.registerMetric(metric);
    this.made.set(name, { kind, labels, metric });
    return metric;
  }
}

function checkNames(name: string, labelNames: readonly string[]): void {
  if (!NAME.test(name)) {
    throw new TelemetryError(
      "EVT_TELEMETRY_METRIC_NAME",
      `metric "${name}": names must start with "evtrigger_" and use only [a-z0-9_]`,
    );
  }
  for (const l of labelNames) {
    if (!LABEL.test(l) || l.startsWith("__") || l === "service") {
      throw new TelemetryError("EVT_TELEMETRY_METRIC_NAME", `metric "${name}": invalid or reserved label "${l}"`);
    }
  }
}

/**
 * Bounded label cardinality. Returns a function that maps a label set to itself while each label has seen at
 * most `maxValues` distinct values; later new values of that label become `overflow` ("other"). Create one per
 * metric: `const bound = boundedLabels(100); received.inc(bound({ cluster, reason }))`.
 */
export function boundedLabels(
  maxValues: number,
  overflow = "other",
): <T extends Record<string, string | number>>(labels: T) => T {
  if (!Number.isInteger(maxValues) || maxValues < 1) {
    throw new TelemetryError("EVT_TELEMETRY_METRIC_NAME", `boundedLabels: maxValues must be a positive integer`);
  }
  const seen = new Map<string, Set<string>>();
  return <T extends Record<string, string | number>>(labels: T): T => {
    const out: Record<string, string | number> = {};
    for (const [k, raw] of Object.entries(labels)) {
      const v = String(raw);
      let values = seen.get(k);
      if (!values) {
        values = new Set();
        seen.set(k, values);
      }
      if (values.has(v) || values.size < maxValues) {
        values.add(v);
        out[k] = raw;
      } else {
        out[k] = overflow;
      }
    }
    return out as T;
  };
}
