// The EventReport equivalent: bounded, merged by sequence, safe with two writers (replicas) on one key.
import { BUCKETS, type Bus, connectBus, ensureTopology, PipelinedPublisher } from "@evtrigger/bus";
import { type NatsServer, startNatsServer } from "@evtrigger/testkit";
import {
  capEntry,
  EventReportWriter,
  mergeEntries,
  pipelinedCasPut,
  type ReportEntry,
  readEventReports,
  reportJson,
  reportKey,
} from "../src/report/eventReports.js";

const CLUSTER = { namespace: "default", name: "workload", kind: "SveltosCluster" as const };

function entry(seq: number, data: unknown = { n: seq }): ReportEntry {
  return {
    seq,
    eventMsgId: `m${seq}`,
    matchedAt: "2026-01-01T00:00:00.000Z",
    criterion: 0,
    triggers: ["t"],
    natsSubject: "s",
    event: { specversion: "1.0", id: String(seq), source: "src", type: "type", data },
  };
}

describe("reports - pure", () => {
  test("reports - merge keeps order by seq, drops redelivered duplicates and keeps the last `limit`", () => {
    const merged = mergeEntries([entry(1), entry(3)], [entry(2), entry(3), entry(4)], 3);
    expect(merged.map((e) => e.seq)).toEqual([2, 3, 4]);
  });

  test("reports - an oversized event loses its data, marked truncated", () => {
    const big = capEntry(entry(1, "x".repeat(10_000)));
    expect(big.truncated).toBe(true);
    expect(big.event.data).toBeUndefined();
    expect(big.event.id).toBe("1");
    expect(capEntry(entry(2)).truncated).toBeUndefined();
  });

  test("reports - the report JSON (entries serialised once, then reused) equals JSON.stringify of the report", () => {
    const big = capEntry(entry(3, "x".repeat(10_000)));
    const events = mergeEntries([entry(1)], [entry(2, { s: 'quote " and \\ and \u00e9' }), big], 10);
    const r = { v: 1 as const, cluster: CLUSTER, eventSource: "es", updatedAt: "2026-01-01T00:00:00.000Z", events };
    expect(reportJson(r)).toBe(JSON.stringify(r));
    expect(JSON.parse(reportJson({ ...r, events: [] }))).toEqual({ ...r, events: [] });
  });

  test("reports - keys are <clusterNs>.<clusterName>.<eventSource>", () => {
    expect(reportKey(CLUSTER, "user-operation")).toBe("default.workload.user-operation");
    expect(reportKey({ namespace: "a b", name: "" }, "x*y>")).toBe("a_b._.x_y_");
  });
});

describe("reports - KV", () => {
  let server: NatsServer;
  let bus: Bus;

  beforeAll(async () => {
    server = await startNatsServer();
    bus = await connectBus({ servers: server.url, name: "reports-test" });
    await ensureTopology(bus.jsm, bus.kvm);
  });
  afterAll(async () => {
    await bus.close();
    await server.stop();
  });

  test("reports - two writers on one key (two replicas) merge with compare-and-set, nothing lost", async () => {
    const kv = await bus.kvm.open(BUCKETS.eventReports);
    const errors: unknown[] = [];
    const a = new EventReportWriter(kv, { limit: 50, minIntervalMs: 0, onError: (e) => errors.push(e) });
    const b = new EventReportWriter(kv, { limit: 50, minIntervalMs: 0, onError: (e) => errors.push(e) });
    for (let seq = 1; seq <= 40; seq++) (seq % 2 ? a : b).record(CLUSTER, "es-race", entry(seq));
    // A redelivered event recorded again by the other replica is kept once.
    b.record(CLUSTER, "es-race", entry(7));
    await Promise.all([a.flush(), b.flush()]);
    expect(errors).toEqual([]);
    const [report] = await readEventReports(kv, { cluster: "default/workload", source: "es-race" });
    expect(report!.events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  test("reports - pipelined CAS writes: a kv.update writer and a pipelined one merge, a deleted key is recreated", async () => {
    const kv = await bus.kvm.open(BUCKETS.eventReports);
    const publisher = new PipelinedPublisher(bus.nc);
    try {
      const key = reportKey(CLUSTER, "es-pipe");
      await kv.put(key, "{}");
      await kv.delete(key); // a delete marker: "create" must fall back to compare-and-set on its revision
      const errors: unknown[] = [];
      const put = pipelinedCasPut(publisher, BUCKETS.eventReports);
      const a = new EventReportWriter(kv, { limit: 50, minIntervalMs: 0, put, onError: (e) => errors.push(e) });
      const b = new EventReportWriter(kv, { limit: 50, minIntervalMs: 0, onError: (e) => errors.push(e) });
      for (let seq = 1; seq <= 30; seq++) (seq % 3 ? a : b).record(CLUSTER, "es-pipe", entry(seq));
      await Promise.all([a.flush(), b.flush()]);
      expect(errors).toEqual([]);
      const [report] = await readEventReports(kv, { source: "es-pipe" });
      expect(report!.events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    } finally {
      publisher.close();
    }
  });

  test("reports - the history is bounded to the last `limit` events", async () => {
    const kv = await bus.kvm.open(BUCKETS.eventReports);
    const w = new EventReportWriter(kv, { limit: 5 });
    for (let seq = 1; seq <= 12; seq++) w.record(CLUSTER, "es-bounded", entry(seq));
    await w.flush();
    for (let seq = 13; seq <= 14; seq++) w.record(CLUSTER, "es-bounded", entry(seq));
    await w.flush();
    const [report] = await readEventReports(kv, { source: "es-bounded" });
    expect(report!.events.map((e) => e.seq)).toEqual([10, 11, 12, 13, 14]);
  });

  test("reports - a writer that falls far behind drops the oldest pending key and says so", async () => {
    const kv = await bus.kvm.open(BUCKETS.eventReports);
    let dropped = 0;
    const w = new EventReportWriter(kv, { maxInFlight: 1, maxPendingKeys: 2, onDropped: (n) => (dropped += n) });
    for (const es of ["d1", "d2", "d3", "d4"]) w.record(CLUSTER, es, entry(1));
    await w.flush();
    // d1 went straight into the single write slot; of d2..d4 only two may wait, so d2 is dropped.
    expect(dropped).toBe(1);
    const names = (await readEventReports(kv, { cluster: "default/workload" })).map((r) => r.eventSource);
    expect(names).toEqual(expect.arrayContaining(["d1", "d3", "d4"]));
    expect(names).not.toContain("d2");
  });
});
