import { boundedLabels, createMetrics } from "@evtrigger/telemetry";

describe("metrics", () => {
  test("metrics - text contains counters after increments, with the service label", async () => {
    const m = createMetrics({ service: "gateway" });
    const c = m.counter("evtrigger_messages_received_total", "Messages received", ["cluster"]);
    c.inc({ cluster: "default/a" });
    c.inc({ cluster: "default/a" }, 2);
    const text = await m.text();
    expect(text).toContain("# TYPE evtrigger_messages_received_total counter");
    expect(text).toContain('evtrigger_messages_received_total{cluster="default/a",service="gateway"} 3');
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  test("metrics - default process metrics are registered", async () => {
    const text = await createMetrics({ service: "matcher" }).text();
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    const bare = await createMetrics({ service: "x", defaultMetrics: false }).text();
    expect(bare).not.toContain("process_cpu_user_seconds_total");
  });

  test("metrics - histogram observations land in the right buckets", async () => {
    const m = createMetrics({ service: "applier", defaultMetrics: false });
    const h = m.histogram("evtrigger_render_seconds", "Render time", ["trigger"], [0.01, 0.1, 1]);
    h.observe({ trigger: "t" }, 0.005);
    h.observe({ trigger: "t" }, 0.05);
    h.observe({ trigger: "t" }, 5);
    const text = await m.text();
    expect(text).toContain('evtrigger_render_seconds_bucket{le="0.01",service="applier",trigger="t"} 1');
    expect(text).toContain('evtrigger_render_seconds_bucket{le="0.1",service="applier",trigger="t"} 2');
    expect(text).toContain('evtrigger_render_seconds_bucket{le="1",service="applier",trigger="t"} 2');
    expect(text).toContain('evtrigger_render_seconds_bucket{le="+Inf",service="applier",trigger="t"} 3');
    expect(text).toContain('evtrigger_render_seconds_count{service="applier",trigger="t"} 3');
  });

  test("metrics - names must start with evtrigger_ and counters end in _total", () => {
    const m = createMetrics({ service: "s", defaultMetrics: false });
    const code = { code: "EVT_TELEMETRY_METRIC_NAME" };
    expect(() => m.counter("messages_total", "x")).toThrow(expect.objectContaining(code));
    expect(() => m.gauge("evtrigger_Bad", "x")).toThrow(expect.objectContaining(code));
    expect(() => m.counter("evtrigger_messages", "x")).toThrow(expect.objectContaining(code));
    expect(() => m.gauge("evtrigger_pending", "x", ["service"])).toThrow(expect.objectContaining(code));
    expect(m.gauge("evtrigger_pending", "x", ["stream"])).toBeDefined();
  });

  test("metrics - asking twice returns the same metric, a different shape is a conflict", () => {
    const m = createMetrics({ service: "s", defaultMetrics: false });
    const a = m.counter("evtrigger_a_total", "a", ["x"]);
    expect(m.counter("evtrigger_a_total", "a", ["x"])).toBe(a);
    expect(() => m.gauge("evtrigger_a_total", "a", ["x"])).toThrow(
      expect.objectContaining({ code: "EVT_TELEMETRY_METRIC_CONFLICT" }),
    );
    expect(() => m.counter("evtrigger_a_total", "a", ["y"])).toThrow(
      expect.objectContaining({ code: "EVT_TELEMETRY_METRIC_CONFLICT" }),
    );
  });

  test("metrics - boundedLabels folds values beyond the limit into other, per label", async () => {
    const bound = boundedLabels(2);
    expect(bound({ cluster: "a", reason: "r1" })).toEqual({ cluster: "a", reason: "r1" });
    expect(bound({ cluster: "b", reason: "r1" })).toEqual({ cluster: "b", reason: "r1" });
    expect(bound({ cluster: "c", reason: "r2" })).toEqual({ cluster: "other", reason: "r2" });
    expect(bound({ cluster: "a", reason: "r3" })).toEqual({ cluster: "a", reason: "other" });
    const m = createMetrics({ service: "s", defaultMetrics: false });
    const c = m.counter("evtrigger_x_total", "x", ["cluster"]);
    const guard = boundedLabels(3);
    for (let i = 0; i < 100; i++) c.inc(guard({ cluster: `c${i}` }));
    const text = await m.text();
    expect(text.match(/^evtrigger_x_total\{/gm)).toHaveLength(4);
    expect(text).toContain('evtrigger_x_total{cluster="other",service="s"} 97');
    expect(() => boundedLabels(0)).toThrow();
  });

  test("metrics - onScrape hooks refresh gauges before each scrape; a failing hook is counted, not fatal", async () => {
    const m = createMetrics({ service: "matcher", defaultMetrics: false });
    const pending = m.gauge("evtrigger_consumer_pending", "p", ["stream"]);
    let upstream = 5;
    m.onScrape(async () => pending.set({ stream: "EVT_EVENTS" }, upstream));
    m.onScrape(() => {
      throw new Error("consumer info failed");
    });
    expect(await m.text()).toContain('evtrigger_consumer_pending{stream="EVT_EVENTS",service="matcher"} 5');
    upstream = 0;
    const text = await m.text();
    expect(text).toContain('evtrigger_consumer_pending{stream="EVT_EVENTS",service="matcher"} 0');
    expect(text).toContain('evtrigger_scrape_hook_errors_total{service="matcher"} 2');
  });
});
