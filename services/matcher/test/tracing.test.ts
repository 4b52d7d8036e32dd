// Traces: the matcher's `match` span continues the event's trace and the match record carries it on.
import { initTracing } from "@evtrigger/telemetry";
import { waitFor } from "@evtrigger/testkit";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { type Matcher, startMatcher } from "../src/service.js";
import { type Env, envelope, publishEvent, readMatches, SEED_YAML, setup } from "./helpers.js";

describe("tracing - match span", () => {
  let env: Env;
  let matcher: Matcher;
  const exporter = new InMemorySpanExporter();
  const tracing = initTracing({ service: "matcher", exporter });

  beforeAll(async () => {
    env = await setup({ "seed.yaml": SEED_YAML });
    matcher = await startMatcher({
      bus: env.bus,
      store: env.store,
      logger: env.logger,
      metrics: env.metrics,
      tracer: tracing.tracer,
    });
  });
  afterAll(async () => {
    await matcher.close();
    await tracing.shutdown();
    await env.close();
  });

  test("tracing - the match span is a child of the incoming traceparent and the record carries the new span", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const parentSpan = "00f067aa0ba902b7";
    await publishEvent(env.bus, envelope({}), "traced-1", `00-${traceId}-${parentSpan}-01`);
    const [rec] = await waitFor(async () => {
      const m = await readMatches(env.bus);
      return m.length ? m : undefined;
    });
    const span = await waitFor(() => exporter.getFinishedSpans().find((s) => s.name === "match"));
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe(parentSpan);
    expect(span.attributes["evt.cluster"]).toBe("default/workload");
    expect(rec!.msg.header.get("traceparent")).toBe(`00-${traceId}-${span.spanContext().spanId}-01`);
  });
});
