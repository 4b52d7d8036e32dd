// evtctl show events: reads the matcher's event reports from KV on a real nats-server.
import { BUCKETS, type Bus, connectBus, ensureTopology } from "@evtrigger/bus";
import { EventReportWriter, type ReportEntry } from "@evtrigger/matcher";
import { type NatsServer, startNatsServer } from "@evtrigger/testkit";
import { show } from "../src/commands/show.js";
import { formatEvents } from "../src/commands/show-events.js";
import { capture } from "./capture.js";

function entry(seq: number, type: string, triggers = ["manage-namespace"]): ReportEntry {
  return {
    seq,
    eventMsgId: `m${seq}`,
    matchedAt: "2026-01-01T00:00:00.000Z",
    criterion: 0,
    triggers,
    natsSubject: "user-operation",
    event: { specversion: "1.0", id: "10001", source: "auth.example.com", type, subject: "mgianluc" },
  };
}

describe("show events", () => {
  let server: NatsServer;
  let bus: Bus;

  beforeAll(async () => {
    server = await startNatsServer();
    bus = await connectBus({ servers: server.url, name: "ctl-test" });
    await ensureTopology(bus.jsm, bus.kvm);
    const w = new EventReportWriter(await bus.kvm.open(BUCKETS.eventReports));
    const workload = { namespace: "default", name: "workload", kind: "SveltosCluster" as const };
    w.record(workload, "user-operation", entry(1, "auth.example.com.login"));
    w.record(workload, "user-operation", entry(2, "auth.example.com.logout"));
    w.record({ namespace: "prod", name: "eu", kind: "SveltosCluster" }, "other", entry(7, "t", []));
    await w.flush();
  });
  afterAll(async () => {
    await bus.close();
    await server.stop();
  });

  test("show events - table of every report, filtered by --cluster and --source", async () => {
    const all = await capture(() => show.run(["events", "-s", server.url]));
    expect(all.code).toBe(0);
    const lines = all.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^CLUSTER\s+EVENTSOURCE\s+SEQ\s+MATCHED\s+TYPE\s+SOURCE\s+SUBJECT\s+ID\s+TRIGGERS$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ["default/workload", "user-operation", "1"],
      ["default/workload", "user-operation", "2"],
      ["prod/eu", "other", "7"],
    ]);
    const one = await capture(() => show.run(["events", "-s", server.url, "--cluster", "prod/eu"]));
    expect(one.out.trimEnd().split("\n").slice(1)).toHaveLength(1);
    const json = await capture(() =>
      show.run(["events", "-s", server.url, "--source", "user-operation", "-o", "json"]),
    );
    const parsed = JSON.parse(json.out) as { eventSource: string; events: { seq: number }[] }[];
    expect(parsed.map((r) => [r.eventSource, r.events.map((e) => e.seq)])).toEqual([["user-operation", [1, 2]]]);
  });

  test("show events - bad flags and unknown views exit 2 with a reason", async () => {
    const bad = await capture(() => show.run(["events", "--cluster", "workload"]));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--cluster must be NAMESPACE/NAME");
    const unknown = await capture(() => show.run(["nothing"]));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown view "nothing"');
  });

  test("show events - formatEvents says so when nothing was recorded", () => {
    expect(formatEvents([], 0)).toBe("No matched events recorded.\n");
  });
});
