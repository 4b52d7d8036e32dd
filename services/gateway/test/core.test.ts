import { BUCKETS } from "@evtrigger/bus";
import { type NatsConnection, headers as natsHeaders } from "@nats-io/transport-node";
import { type Gateway, MemoryClusterSource, type StatusDocument, startGateway, statusKey } from "../src/mod.js";
import {
  cluster,
  type Harness,
  json,
  publisher,
  readDlq,
  readEvents,
  seedLogin,
  seedLogout,
  startInternal,
  startNatsServer,
  TestMetrics,
  waitFor,
  waitForDlq,
  waitForEvents,
} from "./helpers.js";

type Server = Awaited<ReturnType<typeof startNatsServer>>;

describe("gateway core NATS", () => {
  let h: Harness;
  let upstream: Server;
  let pub: NatsConnection;
  let gw: Gateway;
  const source = new MemoryClusterSource();
  const metrics = new TestMetrics();
  const prod = cluster("prod", "fleet");
  /** Info log messages: "sveltos-nats change applied" says the previous Secret's link is drained. */
  const infos: string[] = [];
  const logger = { debug() {}, info: (msg: string) => void infos.push(msg), warn() {}, error() {} };

  beforeAll(async () => {
    h = await startInternal();
    upstream = await startNatsServer({ jetstream: false, user: "admin", password: "my-password" });
    source.set(prod, {
      nats: {
        configuration: {
          url: upstream.url,
          subjects: ["user-operation", "raw.>"],
          authorization: { user: { user: "admin", password: "my-password" } },
        },
      },
    });
    gw = await startGateway({
      bus: h.bus,
      clusters: source,
      metrics,
      logger,
      limits: { maxBytes: 4096 },
      statusKv: { instance: "test-1", intervalMs: 200 },
    });
    pub = await publisher({ servers: upstream.url, user: "admin", pass: "my-password" });
    await waitFor(() => gw.status().clusters[0]?.connections[0]?.subscriptions.every((s) => s.state === "active"), {
      what: "subscribed",
    });
    await waitFor(() => gw.status().clusters[0]?.connections[0]?.state === "connected", { what: "connected" });
  });

  afterAll(async () => {
    await pub?.close();
    await gw?.close();
    await upstream?.stop();
    await h?.stop();
  });

  test("core - the seed's login and logout with the same id both arrive, an identical re-publish is deduplicated", async () => {
    pub.publish("user-operation", json(seedLogin));
    pub.publish("user-operation", json(seedLogout));
    pub.publish("user-operation", json(seedLogin)); // byte-identical: the same event again
    await pub.flush();
    const events = await waitForEvents(h.bus.jsm, (e) => e.record.event.id === "10001", 2, "login and logout");
    // The marker below is published after the duplicate on the same connection, so once it is stored the duplicate
    // has been handled too.
    pub.publish("user-operation", json({ ...seedLogin, id: "marker-1" }));
    await waitForEvents(h.bus.jsm, (e) => e.record.event.id === "marker-1");
    const all = (await readEvents(h.bus.jsm)).filter((e) => e.record.event.id === "10001");
    expect(all.map((e) => e.record.event.type).sort()).toEqual(["auth.example.com.login", "auth.example.com.logout"]);
    const login = events.find((e) => e.record.event.type === "auth.example.com.login")!;
    expect(login.subject).toBe("evt.events.fleet.prod");
    expect(login.msgId).toMatch(/^core:fleet\/prod:auth\.example\.com:10001:[0-9a-f]{32}$/);
    expect(login.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(login.record).toMatchObject({
      v: 1,
      cluster: prod,
      natsSubject: "user-operation",
      subscription: "user-operation",
      transport: "nats",
      event: seedLogin,
    });
    // Core NATS has no stream position: the applier orders such events by their EVT_EVENTS sequence.
    expect(login.record.upstream).toBeUndefined();
  });

  test("core - binary mode with ce- headers arrives normalized, keeping the CE trace", async () => {
    const hd = natsHeaders();
    hd.set("ce-specversion", "1.0");
    hd.set("ce-id", "bin-1");
    hd.set("ce-source", "auth.example.com");
    hd.set("ce-type", "auth.example.com.login");
    hd.set("ce-subject", "alice");
    hd.set("ce-traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    hd.set("content-type", "application/json");
    pub.publish("raw.binary", json({ organization: "acme" }), { headers: hd });
    const [e] = await waitForEvents(h.bus.jsm, (x) => x.record.event.id === "bin-1");
    expect(e!.record.natsSubject).toBe("raw.binary");
    expect(e!.record.subscription).toBe("raw.>");
    expect(e!.record.event).toMatchObject({ subject: "alice", data: { organization: "acme" } });
    expect(e!.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
  });

  test("core - a batch becomes one event each, a bad member is dead-lettered by index", async () => {
    const hd = natsHeaders();
    hd.set("content-type", "application/cloudevents-batch+json");
    const batch = [
      { ...seedLogin, id: "batch-1", subject: "u1" },
      { ...seedLogin, id: "batch-2", source: undefined },
      { ...seedLogin, id: "batch-3", subject: "u3" },
    ];
    pub.publish("raw.batch", json(batch), { headers: hd });
    const got = await waitForEvents(h.bus.jsm, (x) => x.record.event.id.startsWith("batch-"), 2);
    expect(got.map((g) => g.record.event.id).sort()).toEqual(["batch-1", "batch-3"]);
    const dl = await waitForDlq(h.bus.jsm, (d) => d.record.field === "[1].source");
    expect(dl.record).toMatchObject({ code: "EVT_GATEWAY_MISSING_ATTRIBUTE", natsSubject: "raw.batch" });
  });

  test("core - every bad-input class is dead-lettered with its reason, counted, and the pipeline keeps going", async () => {
    const before = (await readDlq(h.bus.jsm)).length;
    const badBatch = natsHeaders();
    badBatch.set("content-type", "application/cloudevents-batch+json");
    const cases: [string, Uint8Array, string, string | undefined, ReturnType<typeof natsHeaders>?][] = [
      ["malformed JSON", new TextEncoder().encode('{"specversion":'), "EVT_GATEWAY_NOT_JSON", "body"],
      ["not a CloudEvent", json({ hello: "world" }), "EVT_GATEWAY_NOT_CLOUDEVENT", "specversion"],
      ["missing type", json({ ...seedLogin, type: undefined }), "EVT_GATEWAY_MISSING_ATTRIBUTE", "type"],
      ["oversized", json({ ...seedLogin, data: { pad: "x".repeat(5000) } }), "EVT_GATEWAY_TOO_LARGE", "body"],
      [
        "control character",
        json({ ...seedLogin, subject: "a\nkind: Secret" }),
        "EVT_GATEWAY_CONTROL_CHARACTER",
        "subject",
      ],
      ["bad batch", json({ not: "an array" }), "EVT_GATEWAY_BAD_BATCH", "body", badBatch],
    ];
    for (const [, body, , , hd] of cases) pub.publish("raw.bad", body, hd ? { headers: hd } : undefined);
    pub.publish("user-operation", json({ ...seedLogin, id: "after-bad" }));
    await waitForEvents(h.bus.jsm, (e) => e.record.event.id === "after-bad");
    const letters = await waitFor(
      async () => {
        const all = await readDlq(h.bus.jsm);
        return all.length >= before + cases.length ? all.slice(before) : undefined;
      },
      { what: "all dead letters" },
    );
    for (const [what, body, code, field] of cases) {
      const l = letters.find((x) => x.record.code === code);
      expect({ what, found: !!l }).toEqual({ what, found: true });
      expect(l!.record).toMatchObject({ stage: "gateway", cluster: prod, natsSubject: "raw.bad", field });
      expect(l!.record.reason.length).toBeGreaterThan(5);
      expect(l!.record.bodyBytes).toBe(body.length);
      expect(l!.record.body!.length).toBeLessThanOrEqual(4096);
    }
    expect(letters.find((l) => l.record.code === "EVT_GATEWAY_BAD_BATCH")!.record.headers).toEqual({
      "content-type": ["application/cloudevents-batch+json"],
    });
    expect(metrics.get("evtrigger_gateway_rejected_total", { reason: "control_character" })).toBe(1);
    expect(metrics.get("evtrigger_gateway_rejected_total", { reason: "too_large" })).toBe(1);
    expect(metrics.get("evtrigger_gateway_upstream_connected", { cluster: "fleet/prod", transport: "nats" })).toBe(1);
    expect(
      metrics.get("evtrigger_gateway_received_total", { cluster: "fleet/prod", transport: "nats" }),
    ).toBeGreaterThan(6);
  });

  test("core - a Secret change switches subjects without restart", async () => {
    const first = gw.status().clusters[0]!.configHash;
    const applied = () => infos.filter((m) => m === "sveltos-nats change applied").length;
    const appliedBefore = applied();
    source.set(prod, {
      nats: {
        configuration: {
          url: upstream.url,
          subjects: ["user-operation-v2"],
          authorization: { user: { user: "admin", password: "my-password" } },
        },
      },
    });
    await waitFor(
      () => {
        const c = gw.status().clusters[0]!;
        return c.configHash !== first && c.connections.length === 1 && c.connections[0]!.state === "connected"
          ? c.connections[0]!.subscriptions.every((s) => s.state === "active" && s.name === "user-operation-v2")
          : false;
      },
      { what: "switched subscriptions" },
    );
    // Make before break: the old link keeps its subscriptions until the new one is subscribed, then drains. Only
    // once it is drained is a message on the old subject no longer received.
    await waitFor(() => applied() > appliedBefore, { what: "the old link drained" });
    pub.publish("user-operation", json({ ...seedLogin, id: "old-subject" }));
    pub.publish("user-operation-v2", json({ ...seedLogin, id: "new-subject" }));
    const [e] = await waitForEvents(h.bus.jsm, (x) => x.record.event.id === "new-subject");
    expect(e!.record.subscription).toBe("user-operation-v2");
    expect((await readEvents(h.bus.jsm)).some((x) => x.record.event.id === "old-subject")).toBe(false);
    expect(gw.ready()).toBe(true);
    // The old link going away does not make the connected new one read as down.
    expect(metrics.get("evtrigger_gateway_upstream_connected", { cluster: "fleet/prod", transport: "nats" })).toBe(1);
  });

  test("core - an upstream NATS restart is survived without a new Secret", async () => {
    await upstream.restart();
    await waitFor(() => gw.status().clusters[0]?.connections[0]?.state === "connected", { what: "reconnected" });
    await waitFor(
      async () => {
        pub.publish("user-operation-v2", json({ ...seedLogin, id: "after-restart" }));
        await pub.flush();
        return (await readEvents(h.bus.jsm)).some((e) => e.record.event.id === "after-restart");
      },
      { what: "event after the restart", intervalMs: 100 },
    );
  });

  test("core - cluster connection states are published to the evt-status KV bucket", async () => {
    const kv = await h.bus.kvm.open(BUCKETS.status);
    const doc = await waitFor(async () => {
      const e = await kv.get(statusKey("test-1"));
      const d = e ? (JSON.parse(e.string()) as StatusDocument) : undefined;
      return d?.status.clusters[0]?.connections[0]?.state === "connected" ? d : undefined;
    });
    expect(doc).toMatchObject({ v: 1, service: "gateway", instance: "test-1" });
    expect(doc.status.clusters[0]!.cluster).toBe("fleet/prod");
    expect(JSON.stringify(doc)).not.toContain("my-password");
  });
});
