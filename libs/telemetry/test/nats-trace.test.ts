import {
  extractFromCloudEvent,
  extractTraceFromHeaders,
  initTracing,
  injectTraceIntoHeaders,
  withSpan,
} from "@evtrigger/telemetry";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";
import { connect, headers, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";

const PUBLISHER_TRACE = "0af7651916cd43dd8448eb211c80319c";

describe("nats-trace", () => {
  let ns: NatsServer;
  let nc: NatsConnection;
  beforeAll(async () => {
    ns = await startNatsServer({ jetstream: false });
    nc = await connect({ servers: ns.url });
  });
  afterAll(async () => {
    await nc?.close();
    await ns?.stop();
  });

  test("nats-trace - one published CloudEvent yields one connected trace over real NATS headers", async () => {
    const exporter = new InMemorySpanExporter();
    const [gw, matcher, applier] = ["gateway", "matcher", "applier"].map((service) =>
      initTracing({ service, exporter }),
    );
    const done: string[] = [];
    // Each "service" continues the trace from the incoming headers and injects its own span into the next hop.
    const hop = (from: string, to: string | undefined, name: string, tracer: typeof gw.tracer) =>
      nc.subscribe(from, {
        callback: (_err, m: Msg) => {
          void withSpan(tracer, name, extractTraceFromHeaders(m.headers), {}, (_s, ctx) => {
            if (!to) return void done.push(name);
            const h = headers();
            injectTraceIntoHeaders(ctx, h);
            nc.publish(to, m.data, { headers: h });
          });
        },
      });
    const subs = [
      hop("t.internal.events", "t.internal.matches", "match", matcher.tracer),
      hop("t.internal.matches", undefined, "apply", applier.tracer),
      // The gateway: the publisher put a traceparent in the CloudEvent itself (distributed-tracing extension).
      nc.subscribe("t.upstream", {
        callback: (_err, m: Msg) => {
          const ce = m.json<Record<string, unknown>>();
          void withSpan(
            gw.tracer,
            "normalize",
            extractFromCloudEvent(ce, extractTraceFromHeaders(m.headers)),
            {},
            (_s, ctx) => {
              const h = headers();
              injectTraceIntoHeaders(ctx, h);
              nc.publish("t.internal.events", m.data, { headers: h });
            },
          );
        },
      }),
    ];
    await nc.flush();
    nc.publish(
      "t.upstream",
      JSON.stringify({
        specversion: "1.0",
        id: "10001",
        source: "auth.example.com",
        type: "auth.example.com.login",
        traceparent: `00-${PUBLISHER_TRACE}-b7ad6b7169203331-01`,
      }),
    );
    await waitFor(() => done.length === 1, { what: "apply span" });
    for (const s of subs) s.unsubscribe();
    await Promise.all([gw, matcher, applier].map((t) => t.shutdown()));

    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual(["apply", "match", "normalize"]);
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([PUBLISHER_TRACE]));
    expect(byName.get("normalize")?.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
    expect(byName.get("match")?.parentSpanContext?.spanId).toBe(byName.get("normalize")?.spanContext().spanId);
    expect(byName.get("apply")?.parentSpanContext?.spanId).toBe(byName.get("match")?.spanContext().spanId);
    expect(spans.map((s) => s.resource.attributes["service.name"]).sort()).toEqual(["applier", "gateway", "matcher"]);
  });
});
