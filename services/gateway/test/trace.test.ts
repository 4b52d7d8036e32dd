import { initTracing, startOtlpSink } from "@evtrigger/telemetry";
import { waitFor } from "@evtrigger/testkit";
import { otelTrace } from "../src/otel-trace.js";
import { parseTraceparent } from "../src/trace.js";

const ce = {
  specversion: "1.0",
  id: "10001",
  source: "auth.example.com",
  type: "auth.example.com.login",
  traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
};
const where = { cluster: "fleet/prod", natsSubject: "user-operation" };

describe("trace", () => {
  test("trace - otelTrace records a normalize span under the CE's trace and hands its context on", async () => {
    const sink = await startOtlpSink();
    const tracing = initTracing({
      service: "gateway",
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BSP_SCHEDULE_DELAY: "20" },
    });
    try {
      let written = "";
      await otelTrace(tracing.tracer)(ce, new Map(), where, async (tp) => {
        written = tp;
      });
      await tracing.shutdown();
      const [span] = await waitFor(() => (sink.spans().length ? sink.spans() : undefined), { what: "exported span" });
      expect(span).toMatchObject({
        service: "gateway",
        name: "normalize",
        traceId: "0af7651916cd43dd8448eb211c80319c",
        parentSpanId: "b7ad6b7169203331",
      });
      expect(parseTraceparent(written)).toMatchObject({ traceId: span!.traceId, spanId: span!.spanId });
    } finally {
      await sink.close();
    }
  });

  test("trace - with tracing off, the CE trace is forwarded and an untraced event starts one", async () => {
    const tracing = initTracing({ service: "gateway", env: {} });
    const run = otelTrace(tracing.tracer);
    let a = "";
    let b = "";
    await run(ce, new Map(), where, async (tp) => {
      a = tp;
    });
    await run({ ...ce, traceparent: undefined }, new Map(), where, async (tp) => {
      b = tp;
    });
    expect(parseTraceparent(a)?.traceId).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(parseTraceparent(b)).toBeDefined();
  });
});
