import { createMetrics, pipelineMetrics } from "@evtrigger/telemetry";

describe("pipeline", () => {
  test("pipeline - counters change after known traffic, with the catalogue's names and labels", async () => {
    const metrics = createMetrics({ service: "gateway", defaultMetrics: false });
    const pm = pipelineMetrics(metrics);
    pm.received({ cluster: "default/c1", transport: "nats" });
    pm.received({ cluster: "default/c1", transport: "nats" });
    pm.normalized({ cluster: "default/c1" });
    pm.rejected({ cluster: "default/c1", reason: "not_json" });
    pm.deadLettered({ stage: "gateway", code: "EVT_GATEWAY_NOT_JSON" });
    pm.consumerLag({ stream: "EVT_EVENTS", consumer: "matcher" }, { pending: 7, ackPending: 2 });
    const text = await metrics.text();
    expect(text).toContain(
      'evtrigger_messages_received_total{cluster="default/c1",transport="nats",service="gateway"} 2',
    );
    expect(text).toContain('evtrigger_messages_normalized_total{cluster="default/c1",service="gateway"} 1');
    expect(text).toContain(
      'evtrigger_messages_rejected_total{cluster="default/c1",reason="not_json",service="gateway"} 1',
    );
    expect(text).toContain(
      'evtrigger_dead_letters_total{stage="gateway",code="EVT_GATEWAY_NOT_JSON",service="gateway"} 1',
    );
    expect(text).toContain('evtrigger_consumer_pending{stream="EVT_EVENTS",consumer="matcher",service="gateway"} 7');
    expect(text).toContain(
      'evtrigger_consumer_ack_pending{stream="EVT_EVENTS",consumer="matcher",service="gateway"} 2',
    );
    expect(pipelineMetrics(metrics).raw.received).toBe(pm.raw.received);
  });

  test("pipeline - end-to-end latency is observed from the receive time, bad timestamps are skipped", async () => {
    const metrics = createMetrics({ service: "applier", defaultMetrics: false });
    const pm = pipelineMetrics(metrics);
    const now = Date.parse("2026-01-01T00:00:01.000Z");
    pm.endToEnd({ action: "create" }, "2026-01-01T00:00:00.980Z", now);
    pm.endToEnd({ action: "create" }, "not a date", now);
    pm.endToEnd({ action: "create" }, now + 5000, now);
    pm.renderSeconds({ trigger: "t" }, 0.002);
    const text = await metrics.text();
    expect(text).toContain('evtrigger_end_to_end_seconds_bucket{le="0.025",service="applier",action="create"} 1');
    expect(text).toContain('evtrigger_end_to_end_seconds_bucket{le="0.01",service="applier",action="create"} 0');
    expect(text).toContain('evtrigger_end_to_end_seconds_count{service="applier",action="create"} 1');
    expect(text).toContain('evtrigger_render_seconds_count{service="applier",trigger="t"} 1');
  });

  test("pipeline - trigger and cluster labels are bounded", async () => {
    const metrics = createMetrics({ service: "applier", defaultMetrics: false });
    const pm = pipelineMetrics(metrics, { maxLabelValues: 2 });
    for (let i = 0; i < 10; i++) pm.applied({ cluster: `ns/c${i}`, trigger: "t", result: "created" });
    const text = await metrics.text();
    expect(text.match(/^evtrigger_applies_total\{/gm)).toHaveLength(3);
    expect(text).toContain('evtrigger_applies_total{cluster="other",trigger="t",result="created",service="applier"} 8');
  });
});
