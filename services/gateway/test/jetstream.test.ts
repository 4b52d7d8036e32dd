import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { type Gateway, MemoryClusterSource, startGateway, UPSTREAM_DURABLE } from "../src/mod.js";
import {
  cluster,
  type Harness,
  json,
  publisher,
  readEvents,
  seedLogin,
  seedLogout,
  startInternal,
  startNatsServer,
  waitFor,
  waitForEvents,
} from "./helpers.js";

type Server = Awaited<ReturnType<typeof startNatsServer>>;

describe("gateway JetStream sources", () => {
  let h: Harness;
  let upstream: Server;
  let pub: NatsConnection;
  let ujs: JetStreamClient;
  let ujsm: JetStreamManager;
  let gw: Gateway | undefined;
  const source = new MemoryClusterSource();
  const edge = cluster("edge-1", "fleet");
  const fast = { publishRetryMs: 300, reconnect: { initialMs: 50, maxMs: 500 } };

  beforeAll(async () => {
    h = await startInternal();
    upstream = await startNatsServer();
    pub = await publisher({ servers: upstream.url });
    ujs = jetstream(pub);
    ujsm = await jetstreamManager(pub);
    // Sveltos code form: the stream exists; its name is listed under `subjects`.
    await ujsm.streams.add({ name: "USERS", subjects: ["users.>"] });
    source.set(edge, {
      jetstream: {
        configuration: { url: upstream.url, subjects: ["USERS"], streams: [{ name: "AUDIT", subjects: ["audit.*"] }] },
      },
    });
  });

  afterAll(async () => {
    await gw?.close();
    await pub?.close();
    await upstream?.stop();
    await h?.stop();
  });

  const active = () =>
    waitFor(
      () => {
        const c = gw?.status().clusters[0]?.connections[0];
        return (
          c?.state === "connected" && c.subscriptions.length === 2 && c.subscriptions.every((s) => s.state === "active")
        );
      },
      { what: "both streams consumed" },
    );

  test("jetstream - code form binds an existing stream, docs form creates its stream; acked after storing", async () => {
    gw = await startGateway({ bus: h.bus, clusters: source, limits: fast });
    await active();
    expect((await ujsm.streams.info("AUDIT")).config.subjects).toEqual(["audit.*"]);
    const a = await ujs.publish("users.login", json(seedLogin));
    await ujs.publish("users.logout", json(seedLogout));
    const b = await ujs.publish("audit.x", json({ ...seedLogin, id: "audit-1" }));
    const got = await waitForEvents(h.bus.jsm, (e) => e.record.transport === "jetstream", 3);
    const login = got.find(
      (e) => e.record.event.type === "auth.example.com.login" && e.record.subscription === "USERS",
    )!;
    expect(login.msgId).toBe(`js:fleet/edge-1:USERS:${a.seq}`);
    expect(login.record).toMatchObject({ natsSubject: "users.login", cluster: edge });
    // The upstream position orders a key's events in the applier (publish order, whatever the stored order).
    const { created } = await ujsm.streams.info("USERS");
    expect(login.record.upstream).toEqual({ stream: "USERS", created, seq: a.seq, index: 0 });
    expect(got.find((e) => e.record.event.id === "audit-1")!.msgId).toBe(`js:fleet/edge-1:AUDIT:${b.seq}`);
    await waitFor(async () => (await ujsm.consumers.info("USERS", UPSTREAM_DURABLE)).ack_floor.stream_seq >= 2, {
      what: "upstream acks",
    });
  });

  test("jetstream - a redelivered message is deduplicated by the internal stream", async () => {
    const before = (await readEvents(h.bus.jsm)).length;
    await gw!.close();
    // Forget every ack: a fresh consumer redelivers the whole stream, as after a crash before the acks.
    await ujsm.consumers.delete("USERS", UPSTREAM_DURABLE);
    gw = await startGateway({ bus: h.bus, clusters: source, limits: fast });
    await active();
    await waitFor(async () => (await ujsm.consumers.info("USERS", UPSTREAM_DURABLE)).ack_floor.stream_seq >= 2, {
      what: "redelivered messages acked",
    });
    await ujs.publish("users.login", json({ ...seedLogin, id: "after-redelivery" }));
    await waitForEvents(h.bus.jsm, (e) => e.record.event.id === "after-redelivery");
    expect((await readEvents(h.bus.jsm)).length).toBe(before + 1);
  });

  test("jetstream - not acked while the internal stream is unavailable, delivered after it returns", async () => {
    await h.internal.stop();
    const { seq } = await ujs.publish("users.login", json({ ...seedLogin, id: "during-outage" }));
    const delivered = await waitFor(
      async () => {
        const ci = await ujsm.consumers.info("USERS", UPSTREAM_DURABLE);
        return ci.delivered.stream_seq >= seq ? ci : undefined;
      },
      { what: "delivery to the gateway" },
    );
    expect(delivered.ack_floor.stream_seq).toBeLessThan(seq);
    // Still unacked after failed publish attempts (nak'ed, redelivered, nak'ed ...).
    await waitFor(async () => (await ujsm.consumers.info("USERS", UPSTREAM_DURABLE)).num_redelivered > 0, {
      what: "a nak and redelivery",
    });
    expect((await ujsm.consumers.info("USERS", UPSTREAM_DURABLE)).ack_floor.stream_seq).toBeLessThan(seq);
    await h.internal.start();
    // Upstream first: a request on the internal connection issued during the outage may still be timing out.
    await waitFor(async () => (await ujsm.consumers.info("USERS", UPSTREAM_DURABLE)).ack_floor.stream_seq >= seq, {
      what: "ack after the internal stream returned",
    });
    await waitForEvents(h.bus.jsm, (e) => e.record.event.id === "during-outage");
  });

  test("jetstream - a Secret change while messages flow loses nothing and duplicates nothing", async () => {
    const n = 300;
    const hashBefore = gw!.status().clusters[0]!.configHash;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      sends.push(ujs.publish("users.switch", json({ ...seedLogin, id: `switch-${i}` })));
      // Switch in the middle of the stream: the new link binds the same durable, the old one drains.
      if (i === n / 2) {
        source.set(edge, {
          jetstream: {
            configuration: {
              url: upstream.url,
              subjects: ["USERS"],
              streams: [
                { name: "AUDIT", subjects: ["audit.*"] },
                { name: "EXTRA", subjects: ["extra.*"] },
              ],
            },
          },
        });
      }
    }
    await Promise.all(sends);
    await waitFor(
      () => {
        const c = gw!.status().clusters[0]!;
        return (
          c.configHash !== hashBefore && c.connections.length === 1 && c.connections[0]!.subscriptions.length === 3
        );
      },
      { what: "new link with three streams" },
    );
    const got = await waitForEvents(h.bus.jsm, (e) => e.record.event.id.startsWith("switch-"), n, "all switch events");
    expect(new Set(got.map((e) => e.record.event.id)).size).toBe(n);
    expect(got.length).toBe(n);
    const last = (await ujsm.streams.info("USERS")).state.last_seq;
    await waitFor(async () => (await ujsm.consumers.info("USERS", UPSTREAM_DURABLE)).ack_floor.stream_seq >= last, {
      what: "every upstream message acked",
    });
  });
});
