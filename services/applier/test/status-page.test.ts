// The applier's status page against a real nats-server with seeded KV data and dead letters, served through
// the real startServiceHttp: sections, counts, escaping, headers, read-only, and a missing source.
import {
  BUCKETS,
  type Bus,
  connectBus,
  deadLetter,
  ensureTopology,
  listDeadLetters,
  writeReplayNote,
} from "@evtrigger/bus";
import { MemoryConfigStore } from "@evtrigger/config";
import { createLogger, createMetrics, type ServiceHttp, startServiceHttp } from "@evtrigger/telemetry";
import { type NatsServer, startNatsServer } from "@evtrigger/testkit";
import type { InventoryEntry } from "../src/inventory/entry.js";
import { eventKeyOf, inventoryKey } from "../src/inventory/keys.js";
import { openInventory } from "../src/inventory/store.js";
import { collectStatusPage } from "../src/status-page/data.js";
import { statusPageRoutes } from "../src/status-page/plugin.js";
import { renderStatusPage } from "../src/status-page/view.js";

const NOW = new Date("2026-11-25T12:00:00.000Z");
const CLUSTER = { namespace: "default", name: "workload", kind: "SveltosCluster" as const };
const login = {
  specversion: "1.0",
  id: "10001",
  source: "auth.example.com",
  type: "auth.example.com.login",
  subject: "mgianluc",
};

function trigger(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: "lib.projectsveltos.io/v1beta1",
    kind: "EventTrigger",
    metadata: { name, generation: 1 },
    spec: {
      sourceClusterSelector: { matchLabels: { env: "fv" } },
      eventSourceName: "user-operation",
      oneForEvent: true,
      cloudEventAction: "Create",
      policyRefs: [{ name: "namespace", namespace: "default", kind: "ConfigMap" }],
    },
    ...extra,
  };
}

/** The text of every cell of one table, row by row (tags stripped, entities kept). */
function cells(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? "";
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)?.[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
      c[1]!
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    ),
  );
}

describe("status page", () => {
  let nats: NatsServer;
  let bus: Bus;
  let http: ServiceHttp;
  const store = new MemoryConfigStore();

  beforeAll(async () => {
    nats = await startNatsServer();
    bus = await connectBus({ servers: nats.url, name: "status-page-test" });
    await ensureTopology(bus.jsm, bus.kvm);
    store.kubeconfigs.set("default/workload", "apiVersion: v1\nkind: Config\n");
    store.apply(
      {
        apiVersion: "lib.projectsveltos.io/v1beta1",
        kind: "SveltosCluster",
        metadata: { name: "workload", namespace: "default", labels: { env: "fv" } },
        spec: {},
      } as never,
      trigger("manage-namespace", {
        status: {
          conditions: [
            {
              type: "EventsApplied",
              status: "False",
              reason: "Template",
              message: "older condition",
              lastTransitionTime: "2026-11-25T10:00:00Z",
            },
          ],
        },
      }) as never,
      trigger("quiet") as never,
      // Failed once, then EventsApplied went back to True: its dead letter is history, not its last error.
      trigger("recovered", {
        status: {
          conditions: [
            {
              type: "EventsApplied",
              status: "True",
              reason: "Applied",
              message: "ok",
              lastTransitionTime: "2099-01-01T00:00:00Z",
            },
          ],
        },
      }) as never,
    );
    await store.start();

    const status = await bus.kvm.open(BUCKETS.status);
    await status.put(
      "gateway.gw-1",
      JSON.stringify({
        v: 1,
        service: "gateway",
        instance: "gw-1",
        at: "2026-11-25T11:59:55.000Z",
        status: {
          bus: true,
          synced: true,
          clusters: [
            {
              cluster: "default/workload",
              state: "active",
              configHash: "abc",
              problems: [],
              connections: [
                {
                  transport: "nats",
                  url: "nats://10.0.0.1:4222",
                  state: "connected",
                  subscriptions: [{ name: "user-operation", state: "active" }],
                },
              ],
            },
          ],
        },
      }),
    );
    const reports = await bus.kvm.open(BUCKETS.eventReports);
    await reports.put(
      "default.workload.user-operation",
      JSON.stringify({
        v: 1,
        cluster: CLUSTER,
        eventSource: "user-operation",
        updatedAt: NOW.toISOString(),
        events: [
          {
            seq: 1,
            eventMsgId: "m1",
            matchedAt: "2026-11-25T11:00:00.000Z",
            criterion: 0,
            triggers: ["manage-namespace"],
            natsSubject: "user-operation",
            event: login,
          },
          {
            seq: 2,
            eventMsgId: "m2",
            matchedAt: "2026-11-25T11:30:00.000Z",
            criterion: 0,
            triggers: ["manage-namespace"],
            natsSubject: "user-operation",
            event: { ...login, id: "10002", subject: "<b>bob</b>" },
          },
        ],
      }),
    );
    const inventory = await openInventory(bus.kvm);
    const eventKey = eventKeyOf(CLUSTER, login.source, login.subject);
    const entry: InventoryEntry = {
      v: 1,
      trigger: "manage-namespace",
      triggerGeneration: 1,
      cluster: "default/workload",
      sourceCluster: CLUSTER,
      eventSource: "user-operation",
      eventKey,
      ceSource: login.source,
      ceSubject: login.subject,
      ceType: login.type,
      ceId: login.id,
      eventSeq: 1,
      eventMsgId: "m1",
      action: "Create",
      syncMode: "Continuous",
      stopMatchingBehavior: "WithdrawPolicies",
      objects: [{ apiVersion: "v1", kind: "Namespace", name: "mgianluc" }],
      event: login,
      matchedAt: "2026-11-25T11:00:00.000Z",
      appliedAt: "2026-11-25T11:00:01.000Z",
    };
    await inventory.put(inventoryKey({ trigger: "manage-namespace", cluster: "default/workload", eventKey }), entry, 0);
    await deadLetter(
      bus.js,
      {
        stage: "applier",
        code: "EVT_APPLIER_TEMPLATE",
        reason: 'EventTrigger manage-namespace: template "<script>alert(1)</script>" does not parse',
        cluster: CLUSTER,
        object: { kind: "EventTrigger", name: "manage-namespace" },
      },
      "t1",
    );
    // A rejection that names the deployed object: the trigger comes from the match record the letter kept.
    await deadLetter(
      bus.js,
      {
        stage: "applier",
        code: "EVT_APPLIER_K8S_REJECTED",
        reason: "Namespace BAD: metadata.name: Invalid value",
        cluster: CLUSTER,
        object: { kind: "Namespace", name: "BAD" },
        body: JSON.stringify({ v: 1, eventTrigger: "quiet", eventSeq: 3 }),
        bodyEncoding: "utf8",
      },
      "t2",
    );
    await deadLetter(
      bus.js,
      {
        stage: "applier",
        code: "EVT_APPLIER_TEMPLATE",
        reason: "EventTrigger recovered: broken once",
        object: { kind: "EventTrigger", name: "recovered" },
      },
      "t3",
    );
    // evtctl dlq replay re-drove the quiet trigger's letter.
    const quiet = (await listDeadLetters(bus.jsm, { code: "EVT_APPLIER_K8S_REJECTED" }))[0]!;
    await writeReplayNote(status, {
      v: 1,
      dlqSeq: quiet.seq,
      letterAt: quiet.letter.at,
      replays: 1,
      lastAt: "2026-11-25T11:59:00.000Z",
      lastMsgId: `replay:${quiet.seq}:1`,
      target: "EVT_MATCHES evt.matches.1 #9",
    });

    http = await startServiceHttp({
      service: "applier",
      logger: createLogger({ service: "applier", level: "error", stream: { write() {} } }),
      metrics: createMetrics({ service: "applier", defaultMetrics: false }),
      checks: {},
      routes: statusPageRoutes({ bus, config: store, inventory, now: () => NOW }),
    });
  });

  afterAll(async () => {
    await http?.close();
    await bus?.close();
    await nats?.stop();
  });

  test("status page - GET / renders every section from the seeded sources", async () => {
    const res = await fetch(`${http.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    expect(html).not.toMatch(/<script/i);
    expect(cells(html, "clusters")).toEqual([
      [
        "default/workload",
        "env=fv",
        "ok",
        "active",
        "nats nats://10.0.0.1:4222 connected; user-operation: active",
        "gw-1 at 2026-11-25T11:59:55.000Z",
      ],
    ]);
    const triggers = cells(html, "triggers");
    expect(triggers.map((r) => r.slice(0, 6))).toEqual([
      ["manage-namespace", "user-operation", "Continuous", "2", "1", "1"],
      ["quiet", "user-operation", "Continuous", "0", "0", "1"],
      ["recovered", "user-operation", "Continuous", "0", "0", "1"],
    ]);
    // The dead letter is newer than the condition, so it is the last error; values are escaped.
    expect(triggers[0]![6]).toMatch(
      /^EVT_APPLIER_TEMPLATE: EventTrigger manage-namespace: template &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot; does not parse/,
    );
    expect(triggers[1]![6]).toMatch(
      /^EVT_APPLIER_K8S_REJECTED: Namespace BAD: metadata.name: Invalid value \(.*\) replayed 1× \(last 2026-11-25T11:59:00.000Z\)$/,
    );
    expect(triggers[2]![6]).toBe("none");
    expect(cells(html, "addons")).toEqual([
      [
        "default/workload",
        ":Namespace",
        "",
        "mgianluc",
        "2026-11-25T11:00:01.000Z",
        "EventTrigger/manage-namespace",
        "auth.example.com mgianluc",
      ],
    ]);
    const events = cells(html, "events");
    expect(events.map((r) => [r[3], r[6], r[8]])).toEqual([
      ["2", "&lt;b&gt;bob&lt;/b&gt;", "manage-namespace"],
      ["1", "mgianluc", "manage-namespace"],
    ]);
    const dead = cells(html, "dead-letters");
    expect(dead.map((r) => [r[5], r[7]])).toEqual([
      ["EventTrigger/recovered", "no"],
      ["Namespace/BAD", "1× (last 2026-11-25T11:59:00.000Z)"],
      ["EventTrigger/manage-namespace", "no"],
    ]);
    expect(dead[2]!.slice(2, 6)).toEqual([
      "applier",
      "EVT_APPLIER_TEMPLATE",
      "default/workload",
      "EventTrigger/manage-namespace",
    ]);
    expect(html).toContain("Dead letters in EVT_DLQ: 3.");
    expect(html).not.toContain('id="problems"');
  });

  test("status page - read-only: HEAD works, POST is refused", async () => {
    expect((await fetch(`${http.url}/`, { method: "HEAD" })).status).toBe(200);
    const post = await fetch(`${http.url}/`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
  });

  test("status page - a gateway report older than a minute is stale; a missing bucket is a problem line", async () => {
    const later = new Date(NOW.getTime() + 120_000);
    const inventory = await openInventory(bus.kvm);
    await bus.kvm.create("evt-eventreports").then((kv) => kv.destroy());
    const data = await collectStatusPage({ bus, config: store, inventory, now: () => later });
    expect(data.clusters[0]).toMatchObject({ natsState: "active", stale: true });
    expect(data.events).toEqual([]);
    expect(data.problems).toEqual([expect.stringMatching(/^event reports \(KV evt-eventreports\): /)]);
    const html = renderStatusPage(data);
    expect(html).toContain('id="problems"');
    expect(cells(html, "clusters")[0]![3]).toBe("active (stale)");
    expect(cells(html, "events")).toEqual([["No matched events recorded."]]);
  });
  test("status page - requests within minIntervalMs share one collection; later ones see new data", async () => {
    const inventory = await openInventory(bus.kvm);
    const cached = await startServiceHttp({
      service: "applier",
      logger: createLogger({ service: "applier", level: "error", stream: { write() {} } }),
      metrics: createMetrics({ service: "applier", defaultMetrics: false }),
      checks: {},
      routes: statusPageRoutes({ bus, config: store, inventory }, { minIntervalMs: 60_000 }),
    });
    const fresh = await startServiceHttp({
      service: "applier",
      logger: createLogger({ service: "applier", level: "error", stream: { write() {} } }),
      metrics: createMetrics({ service: "applier", defaultMetrics: false }),
      checks: {},
      routes: statusPageRoutes({ bus, config: store, inventory }, { minIntervalMs: 0 }),
    });
    try {
      const count = async (url: string) =>
        /Dead letters in EVT_DLQ: (\d+)\./.exec(await (await fetch(`${url}/`)).text())?.[1];
      const a = await count(cached.url);
      const b = await count(fresh.url);
      expect(a).toBe(b);
      await deadLetter(bus.js, { stage: "matcher", code: "EVT_X", reason: "one more" }, "t-cache");
      expect(await count(cached.url)).toBe(a);
      expect(await count(fresh.url)).toBe(String(Number(b) + 1));
    } finally {
      await cached.close();
      await fresh.close();
    }
  });
});
