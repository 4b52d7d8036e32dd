// Bad input fuzzing of the gateway (in-process, real nats-servers): every generated case is dead-lettered with a
// code and a reason, nothing reaches EVT_EVENTS, the gateway stays ready, memory stays bounded, and a valid event
// published afterwards still goes through.
import { type Bus, connectBus, type DeadLetter, decodeRecord, STREAMS } from "@evtrigger/bus";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";
import { connect, type NatsConnection, headers as natsHeaders } from "@nats-io/transport-node";
import { type Gateway, MemoryClusterSource, startGateway } from "../../services/gateway/src/mod.js";
import { fuzzCases } from "./fuzz-cases.js";
import { scaled } from "./kit.js";
import { recordRow } from "./table.js";

const CASES = scaled(10_000, 400);

describe("faults - gateway fuzzing", () => {
  let internal: NatsServer;
  let upstream: NatsServer;
  let bus: Bus;
  let gw: Gateway;
  let pub: NatsConnection;
  const source = new MemoryClusterSource();
  const cluster = { namespace: "default", name: "fuzzed", kind: "SveltosCluster" as const };

  beforeAll(async () => {
    internal = await startNatsServer();
    // 10 MB bodies must reach the gateway to be refused there (not by the server).
    // A gateway busy parsing 10 MB bodies on a starved machine may not read its socket for seconds; the server's
    // default 2 s write deadline would then cut it off as a slow consumer and core NATS would drop its backlog.
    upstream = await startNatsServer({
      jetstream: false,
      maxPayload: 16 * 1024 * 1024,
      extraConfig: 'write_deadline: "60s"',
    });
    bus = await connectBus({ servers: internal.url, name: "faults-fuzz" });
    source.set(cluster, { nats: { configuration: { url: upstream.url, subjects: ["fuzz.>"] } } });
    gw = await startGateway({ bus, clusters: source, statusKv: false });
    pub = await connect({ servers: upstream.url, name: "fuzzer" });
    await waitFor(() => gw.status().clusters[0]?.connections[0]?.subscriptions.every((s) => s.state === "active"), {
      what: "gateway subscribed",
    });
  });
  afterAll(async () => {
    await pub?.close();
    await gw?.close();
    await bus?.close();
    await upstream?.stop();
    await internal?.stop();
  });

  const count = async (stream: string) => (await bus.jsm.streams.info(stream)).state.messages;

  test("faults - fuzzed inputs are each dead-lettered with a reason; the gateway stays up with bounded memory", async () => {
    const started = Date.now();
    const mem0 = process.memoryUsage();
    const kinds = new Map<string, number>();
    let sent = 0;
    let peakRss = mem0.rss;
    for (const c of fuzzCases(CASES, 14, Math.min(500, Math.floor(CASES / 4)))) {
      let headers: ReturnType<typeof natsHeaders> | undefined;
      if (c.headers) {
        headers = natsHeaders();
        for (const [k, v] of Object.entries(c.headers)) headers.set(k, v);
      }
      pub.publish(`fuzz.${c.kind.replace(/\W+/g, "-")}`, c.body, { headers });
      sent++;
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      // Core NATS is at-most-once: keep the gateway's backlog bounded so no message is dropped as a slow consumer.
      if (sent % 100 === 0 || c.body.length > 1 << 20) {
        await pub.flush();
        await waitFor(async () => sent - (await count(STREAMS.dlq.name)) < 200, {
          timeoutMs: 60_000,
          what: "the gateway to catch up",
        });
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    }
    await pub.flush();
    const allLettered = await waitFor(async () => (await count(STREAMS.dlq.name)) >= sent, {
      timeoutMs: 60_000,
      what: "a dead letter per case",
    }).catch(() => false);
    const letters = await count(STREAMS.dlq.name);
    const accepted = await count(STREAMS.events.name);

    // Every letter names a code and a reason.
    const codes = new Map<string, number>();
    let unexplained = 0;
    const c = await bus.js.consumers.get(STREAMS.dlq.name);
    const it = await c.consume();
    let read = 0;
    for await (const m of it) {
      const l = decodeRecord(m.data) as DeadLetter;
      if (!l.code || !l.reason) unexplained++;
      codes.set(l.code, (codes.get(l.code) ?? 0) + 1);
      if (++read >= letters) break;
    }
    await it.close();

    // Still serving: a valid event goes through.
    const ok = JSON.stringify({ specversion: "1.0", type: "t", source: "s", id: "after-fuzz" });
    pub.publish("fuzz.valid", new TextEncoder().encode(ok));
    await waitFor(async () => (await count(STREAMS.events.name)) === accepted + 1, { what: "a valid event after" });
    const mem1 = process.memoryUsage();
    peakRss = Math.max(peakRss, mem1.rss);
    const heapGrowthMb = Math.round((mem1.heapUsed - mem0.heapUsed) / 2 ** 20);
    recordRow({
      scenario: "gateway fuzzing (in-process, core NATS)",
      eventsSent: sent,
      expected: sent,
      actual: letters,
      lost: Math.max(0, sent - letters),
      duplicated: Math.max(0, letters - sent) + accepted,
      notes:
        `expected/actual = dead letters; ${accepted} accepted; codes ${[...codes].map(([k, v]) => `${k.replace("EVT_GATEWAY_", "")}:${v}`).join(" ")}; ` +
        `heap +${heapGrowthMb} MB, peak RSS ${Math.round(peakRss / 2 ** 20)} MB; ${Math.round((Date.now() - started) / 1000)} s`,
      ok: Boolean(allLettered) && letters === sent && accepted === 0 && unexplained === 0 && gw.ready() === true,
    });
    expect(letters).toBe(sent);
    expect(accepted).toBe(0);
    expect(unexplained).toBe(0);
    expect(gw.ready()).toBe(true);
    // Bounded: the 10 MB bodies and 5,000-member batches are not retained.
    expect(heapGrowthMb).toBeLessThan(256);
  }, 600_000);
});
