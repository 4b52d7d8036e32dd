import {
  extractFromCloudEvent,
  extractTrace,
  extractTraceFromHeaders,
  initTracing,
  injectTrace,
  injectTraceIntoHeaders,
  ROOT_CONTEXT,
  startOtlpSink,
  traceFields,
  withSpan,
} from "@evtrigger/telemetry";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe("tracing", () => {
  test("tracing - a span injected into headers in service A continues as a child in service B", async () => {
    const exporterA = new InMemorySpanExporter();
    const exporterB = new InMemorySpanExporter();
    const a = initTracing({ service: "gateway", exporter: exporterA });
    const b = initTracing({ service: "matcher", exporter: exporterB });
    try {
      const headers = new Map<string, string>();
      await withSpan(a.tracer, "normalize", ROOT_CONTEXT, { "evt.cluster": "default/c1" }, (_span, ctx) => {
        injectTrace(ctx, (k, v) => headers.set(k, v));
      });
      expect(headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const incoming = extractTrace((k) => headers.get(k));
      await withSpan(b.tracer, "match", incoming, {}, () => "ok");

      const [sa] = exporterA.getFinishedSpans();
      const [sb] = exporterB.getFinishedSpans();
      expect(sa.name).toBe("normalize");
      expect(sa.attributes["evt.cluster"]).toBe("default/c1");
      expect(sa.resource.attributes["service.name"]).toBe("gateway");
      expect(sb.resource.attributes["service.name"]).toBe("matcher");
      expect(sb.spanContext().traceId).toBe(sa.spanContext().traceId);
      expect(sb.parentSpanContext?.spanId).toBe(sa.spanContext().spanId);
    } finally {
      await a.shutdown();
      await b.shutdown();
    }
  });

  test("tracing - the CloudEvents traceparent extension is honoured, else the fallback is used", async () => {
    const exporter = new InMemorySpanExporter();
    const t = initTracing({ service: "gateway", exporter });
    try {
      const ctx = extractFromCloudEvent({ specversion: "1.0", id: "1", traceparent: PARENT, tracestate: "vendor=x" });
      expect(traceFields(ctx)).toEqual({ traceId: TRACE_ID, spanId: "00f067aa0ba902b7" });
      expect(trace.getSpanContext(ctx)?.traceState?.get("vendor")).toBe("x");
      await withSpan(t.tracer, "receive", ctx, {}, () => undefined);
      expect(exporter.getFinishedSpans()[0].spanContext().traceId).toBe(TRACE_ID);

      const fromHeaders = extractTrace((k) => (k === "traceparent" ? PARENT : undefined));
      expect(extractFromCloudEvent({ id: "2" }, fromHeaders)).toBe(fromHeaders);
      expect(extractFromCloudEvent({ id: "3", traceparent: "garbage" }, fromHeaders)).toBe(fromHeaders);
      expect(traceFields(extractFromCloudEvent({ id: "4" }))).toEqual({});
    } finally {
      await t.shutdown();
    }
  });

  test("tracing - withSpan records the error, sets status ERROR, ends the span and rethrows", async () => {
    const exporter = new InMemorySpanExporter();
    const t = initTracing({ service: "applier", exporter });
    try {
      await expect(
        withSpan(t.tracer, "apply", ROOT_CONTEXT, {}, async () => {
          throw new Error("409 conflict");
        }),
      ).rejects.toThrow("409 conflict");
      const [s] = exporter.getFinishedSpans();
      expect(s.status).toEqual({ code: SpanStatusCode.ERROR, message: "409 conflict" });
      expect(s.events.map((e) => e.name)).toContain("exception");
      expect(s.ended).toBe(true);
    } finally {
      await t.shutdown();
    }
  });

  test("tracing - header helpers work on nats.js-like headers, names matched case-insensitively", () => {
    // The shape of nats.js MsgHdrs: get(k) returns "" when absent, keys() lists the names as written.
    const hdrs = (entries: Record<string, string>) => ({
      get: (k: string) => entries[k] ?? "",
      keys: () => Object.keys(entries),
      set: (k: string, v: string) => {
        entries[k] = v;
      },
    });
    const upper = extractTraceFromHeaders(hdrs({ TRACEPARENT: PARENT, "Nats-Msg-Id": "x" }));
    expect(traceFields(upper)).toEqual({ traceId: TRACE_ID, spanId: "00f067aa0ba902b7" });
    expect(traceFields(extractTraceFromHeaders(hdrs({ "Nats-Msg-Id": "x" })))).toEqual({});
    expect(traceFields(extractTraceFromHeaders(undefined))).toEqual({});
    const out = hdrs({});
    injectTraceIntoHeaders(upper, out);
    expect(out.get("traceparent")).toBe(PARENT);
  });

  test("tracing - off by default, yet incoming context is forwarded unchanged", async () => {
    const t = initTracing({ service: "matcher", env: {} });
    expect(t.enabled).toBe(false);
    const incoming = extractTrace((k) => (k === "traceparent" ? PARENT : undefined));
    const headers = new Map<string, string>();
    await withSpan(t.tracer, "match", incoming, {}, (_s, ctx) => injectTrace(ctx, (k, v) => headers.set(k, v)));
    expect(headers.get("traceparent")).toBe(PARENT);
    await t.shutdown();
  });

  test("tracing - OTEL_* variables switch export on, none and disabled switch it off, unknown is an error", async () => {
    for (const env of [{ OTEL_TRACES_EXPORTER: "otlp" }, { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1" }]) {
      const t = initTracing({ service: "s", env });
      expect([env, t.enabled]).toEqual([env, true]);
      await t.shutdown();
    }
    for (const env of [
      { OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1" },
      { OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "otlp" },
    ]) {
      expect([env, initTracing({ service: "s", env }).enabled]).toEqual([env, false]);
    }
    expect(() => initTracing({ service: "s", env: { OTEL_TRACES_EXPORTER: "zipkin" } })).toThrow(
      expect.objectContaining({ code: "EVT_TELEMETRY_TRACING_EXPORTER" }),
    );
  });

  test("tracing - OTLP/HTTP export reaches a receiver with service names and parent links", async () => {
    const sink = await startOtlpSink();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: `${sink.url}/` };
    const a = initTracing({ service: "gateway", env });
    const b = initTracing({ service: "matcher", env });
    try {
      const headers = new Map<string, string>();
      await withSpan(a.tracer, "normalize", ROOT_CONTEXT, { "evt.cluster": "default/c1" }, (_s, ctx) =>
        injectTrace(ctx, (k, v) => headers.set(k, v)),
      );
      await expect(
        withSpan(
          b.tracer,
          "match",
          extractTrace((k) => headers.get(k)),
          { n: 3 },
          () => {
            throw new Error("bad pattern");
          },
        ),
      ).rejects.toThrow();
      await a.shutdown(); // shutdown flushes the batch processor
      await b.shutdown();
      const spans = sink.spans();
      expect(spans.map((s) => [s.service, s.name]).sort()).toEqual([
        ["gateway", "normalize"],
        ["matcher", "match"],
      ]);
      const normalize = spans.find((s) => s.name === "normalize");
      const match = spans.find((s) => s.name === "match");
      expect(match?.traceId).toBe(normalize?.traceId);
      expect(match?.parentSpanId).toBe(normalize?.spanId);
      expect(normalize?.parentSpanId).toBe("");
      expect(normalize?.attributes).toEqual({ "evt.cluster": "default/c1" });
      expect(match?.attributes).toEqual({ n: 3 });
      expect(match?.statusCode).toBe(2);
    } finally {
      await a.shutdown();
      await b.shutdown();
      await sink.close();
    }
  });

  test("tracing - a caller's exporter survives shutdown so shared exporters can be read afterwards", async () => {
    const exporter = new InMemorySpanExporter();
    const a = initTracing({ service: "gateway", exporter });
    const b = initTracing({ service: "matcher", exporter });
    await withSpan(a.tracer, "normalize", ROOT_CONTEXT, {}, () => undefined);
    await a.shutdown();
    await withSpan(b.tracer, "match", ROOT_CONTEXT, {}, () => undefined);
    await b.shutdown();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["normalize", "match"]);
  });

  test("tracing - an unsupported OTLP protocol is a clear error", () => {
    expect(() =>
      initTracing({ service: "s", env: { OTEL_TRACES_EXPORTER: "otlp", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" } }),
    ).toThrow(
      expect.objectContaining({ code: "EVT_TELEMETRY_TRACING_EXPORTER", message: expect.stringContaining("grpc") }),
    );
  });
});
