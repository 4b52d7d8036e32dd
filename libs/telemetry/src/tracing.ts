// OpenTelemetry tracing. Off by default (a no-op tracer that still forwards incoming trace context), on when the
// standard OTEL_* variables ask for an exporter or a test passes one. Context travels explicitly: a message's
// context is extracted from its headers (or its CloudEvent) and handed to withSpan, never read from ambient state,
// so it works across NATS hops and with several "services" in one test process.
import {
  type Attributes,
  type Context,
  context,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { ExportResultCode, W3CTraceContextPropagator } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { TelemetryError } from "./errors.js";

export interface TracingOptions {
  /** service.name of every span (unless OTEL_SERVICE_NAME overrides it). */
  service: string;
  /** Export to this exporter (tests: InMemorySpanExporter), synchronously per span. Overrides the env. */
  exporter?: SpanExporter;
  /** Environment to read OTEL_* from; default process.env. */
  env?: Record<string, string | undefined>;
}

export interface Tracing {
  readonly tracer: Tracer;
  /** True when spans are recorded and exported. */
  readonly enabled: boolean;
  /** Flushes pending spans and stops the exporter. Idempotent. */
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
// The process-wide registration (context manager, global provider) is done once, by the first enabled init.
let globalOwner: NodeTracerProvider | undefined;

/**
 * Starts tracing for a service. Exports when `exporter` is given, or OTEL_TRACES_EXPORTER is "otlp"/"console",
 * or OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set (OTEL_TRACES_EXPORTER=none and
 * OTEL_SDK_DISABLED=true turn it off). Otherwise returns a no-op tracer.
 */
export function initTracing(opts: TracingOptions): Tracing {
  const env = opts.env ?? process.env;
  const exporter = opts.exporter ?? exporterFromEnv(env);
  if (!exporter) {
    return { tracer: new ProxyTracerProvider().getTracer(opts.service), enabled: false, shutdown: async () => {} };
  }
  const processor = opts.exporter ? new SimpleSpanProcessor(borrowed(opts.exporter)) : new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || opts.service }),
    spanProcessors: [processor],
  });
  if (!globalOwner) {
    provider.register({ propagator });
    globalOwner = provider;
  }
  let done: Promise<void> | undefined;
  return {
    tracer: provider.getTracer(opts.service),
    enabled: true,
    shutdown() {
      done ??= (async () => {
        if (globalOwner === provider) {
          trace.disable();
          context.disable();
          propagation.disable();
          globalOwner = undefined;
        }
        await provider.shutdown();
      })();
      return done;
    },
  };
}

// A caller-supplied exporter belongs to the caller (a test may share one between several "services" and read it
// after they stop): shutting the provider down flushes it but does not shut it down.
function borrowed(exporter: SpanExporter): SpanExporter {
  const flush = async () => {
    await exporter.forceFlush?.();
  };
  return { export: (spans, done) => exporter.export(spans, done), shutdown: flush, forceFlush: flush };
}

function exporterFromEnv(env: Record<string, string | undefined>): SpanExporter | undefined {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === "true") return undefined;
  const kinds = (env.OTEL_TRACES_EXPORTER ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (kinds.includes("none")) return undefined;
  // The URL is resolved here from `env` (the exporter itself would only read process.env); headers, timeouts and
  // compression still come from the standard OTEL_EXPORTER_OTLP_* variables.
  const otlp = () => {
    const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL;
    if (protocol && protocol !== "http/json") {
      throw new TelemetryError(
        "EVT_TELEMETRY_TRACING_EXPORTER",
        `OTEL_EXPORTER_OTLP_PROTOCOL: "${protocol}" is not supported (only http/json; collectors accept it on port 4318)`,
      );
    }
    const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
    const url = traces || (base ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined);
    return new LazyOtlpExporter(url ? { url } : {});
  };
  if (kinds.length === 0) return endpoint ? otlp() : undefined;
  if (kinds.length > 1) {
    throw new TelemetryError("EVT_TELEMETRY_TRACING_EXPORTER", `OTEL_TRACES_EXPORTER: only one exporter is supported`);
  }
  if (kinds[0] === "otlp") return otlp();
  if (kinds[0] === "console") return new ConsoleSpanExporter();
  throw new TelemetryError(
    "EVT_TELEMETRY_TRACING_EXPORTER",
    `OTEL_TRACES_EXPORTER: "${kinds[0]}" is not supported (expected otlp, console or none)`,
  );
}

/**
 * The OTLP/HTTP exporter, imported on the first export: its module graph (protobufjs and the generated OTLP root)
 * costs ~7 MB RSS in every process, most of which never traces.
 */
class LazyOtlpExporter implements SpanExporter {
  private inner: Promise<SpanExporter> | undefined;
  constructor(private readonly config: { url?: string }) {}

  private load(): Promise<SpanExporter> {
    this.inner ??= import("@opentelemetry/exporter-trace-otlp-http").then((m) => new m.OTLPTraceExporter(this.config));
    return this.inner;
  }

  export(spans: ReadableSpan[], done: Parameters<SpanExporter["export"]>[1]): void {
    this.load().then(
      (e) => e.export(spans, done),
      (error: Error) => done({ code: ExportResultCode.FAILED, error }),
    );
  }

  async shutdown(): Promise<void> {
    if (this.inner) await (await this.inner).shutdown();
  }

  async forceFlush(): Promise<void> {
    if (this.inner) await (await this.inner).forceFlush?.();
  }
}

const setter: TextMapSetter<(k: string, v: string) => void> = { set: (carrier, k, v) => carrier(k, v) };
const getter: TextMapGetter<(k: string) => string | undefined> = {
  get: (carrier, k) => carrier(k),
  keys: () => ["traceparent", "tracestate"],
};

/** Writes `traceparent` (and `tracestate`) of `ctx` through `setHeader`, e.g. `(k, v) => hdrs.set(k, v)`. */
export function injectTrace(ctx: Context, setHeader: (key: string, value: string) => void): void {
  propagator.inject(ctx, setHeader, setter);
}

/** Reads `traceparent`/`tracestate` through `getHeader`; ROOT_CONTEXT-based, no span when absent or invalid. */
export function extractTrace(getHeader: (key: string) => string | undefined, base: Context = ROOT_CONTEXT): Context {
  return propagator.extract(base, getHeader, getter);
}

/** The parts of nats.js `MsgHdrs` the trace helpers need (structural, so this package needs no NATS dependency). */
export interface HeaderReader {
  get(key: string): string;
  keys(): Iterable<string>;
}

/**
 * Context from message headers such as nats.js `msg.headers` (undefined when the message has none). Header names
 * are matched case-insensitively: publishers outside evtrigger may write `Traceparent` or `TRACEPARENT`.
 */
export function extractTraceFromHeaders(headers: HeaderReader | undefined, base: Context = ROOT_CONTEXT): Context {
  if (!headers) return base;
  const byLower = new Map<string, string>();
  for (const k of headers.keys()) {
    const lk = k.toLowerCase();
    if ((lk === "traceparent" || lk === "tracestate") && !byLower.has(lk)) byLower.set(lk, headers.get(k));
  }
  return byLower.size === 0 ? base : extractTrace((k) => byLower.get(k) || undefined, base);
}

/** Sets `traceparent`/`tracestate` of `ctx` on headers such as nats.js `headers()`. */
export function injectTraceIntoHeaders(ctx: Context, headers: { set(key: string, value: string): void }): void {
  injectTrace(ctx, (k, v) => headers.set(k, v));
}

/**
 * Context from a CloudEvent's distributed-tracing extension (`traceparent`/`tracestate` attributes), or
 * `fallback` (e.g. the context from the NATS headers) when the publisher set none or an invalid one.
 */
export function extractFromCloudEvent(
  ce: Readonly<Record<string, unknown>>,
  fallback: Context = ROOT_CONTEXT,
): Context {
  const tp = ce.traceparent;
  if (typeof tp !== "string") return fallback;
  const ts = typeof ce.tracestate === "string" ? ce.tracestate : undefined;
  const ctx = extractTrace((k) => (k === "traceparent" ? tp : k === "tracestate" ? ts : undefined));
  return trace.getSpanContext(ctx) ? ctx : fallback;
}

/** {traceId, spanId} of the span in `ctx` for log correlation, or {} when there is none. */
export function traceFields(ctx: Context): { traceId?: string; spanId?: string } {
  const sc = trace.getSpanContext(ctx);
  return sc ? { traceId: sc.traceId, spanId: sc.spanId } : {};
}

/**
 * Runs `fn` in a new span `name`, child of the span in `parentCtx`. `fn` gets the span and the context holding it
 * (pass that context to injectTrace for the next hop). Exceptions are recorded on the span, which gets status
 * ERROR, and rethrown; the span always ends.
 */
export async function withSpan<T>(
  tracer: Tracer,
  name: string,
  parentCtx: Context,
  attrs: Attributes,
  fn: (span: Span, ctx: Context) => Promise<T> | T,
): Promise<T> {
  const span = tracer.startSpan(name, { attributes: attrs }, parentCtx);
  const ctx = trace.setSpan(parentCtx, span);
  try {
    return await context.with(ctx, () => fn(span, ctx));
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    span.recordException(e);
    span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
    throw err;
  } finally {
    span.end();
  }
}

export type { Attributes, Context, Span, SpanExporter, Tracer };
export { ROOT_CONTEXT };
