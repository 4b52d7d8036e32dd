// Bad input fuzzing of the gateway (in-process, real nats-servers): every generated case is dead-lettered with a
// code and a reason, nothing reaches EVT_EVENTS, the gateway stays ready, memory stays bounded, and a valid event
// published afterwards still goes through. The cases reach the gateway through an upstream JetStream stream: over
// core NATS a gateway starved of CPU (a loaded CI machine) is cut off as a slow consumer and its backlog dropped —
// at-most-once by design, and not what this scenario measures. Decoding, validation and dead-lettering are the
// same code for both transports (ingest.ts).
import { type Bus, connectBus, type DeadLetter, decodeRecord, STREAMS } from "@evtrigger/bus";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";
import { type JetStreamClient, jetstream, jetstreamManager } from "@nats-io/jetstream";
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
  let js: JetStreamClient;
  const source = new MemoryClusterSource();
  const cluster = { namespace: "default", name: "fuzzed", kind: "SveltosCluster" as const };

  beforeAll(async () => {
    internal = await startNatsServer();
    // 10 MB bodies must reach the gateway to be refused there (not by the server).
    upstream = await startNatsServer({ maxPayload: 16 * 1024 * 1024 });
    bus = await connectBus({ servers: internal.url, name: "faults-fuzz" });
    pub = await connect({ servers: upstream.url, name: "fuzzer" });
    js = jetstream(pub);
    await (await jetstreamManager(pub)).streams.add({ name: "FUZZ", subjects: ["fuzz.>"] });
    source.set(cluster, {
      jetstream: { configuration: { url: upstream.url, streams: [{ name: "FUZZ", subjects: ["fuzz.>"] }] } },
    });
    gw = await startGateway({ bus, clusters: source, statusKv: false });
    await waitFor(() => gw.status().clusters[0]?.subscribed, { timeoutMs: 60_000, what: "gateway consuming FUZZ" });
  }, 120_000);
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
    const letteredAll = (timeoutMs: number) =>
      waitFor(async () => (await count(STREAMS.dlq.name)) >= sent, { timeoutMs, what: "a dead letter per case" });
    let batch: Promise<unknown>[] = [];
    for (const c of fuzzCases(CASES, 14, Math.min(500, Math.floor(CASES / 4)))) {
      let headers: ReturnType<typeof natsHeaders> | undefined;
      if (c.headers) {
        headers = natsHeaders();
        for (const [k, v] of Object.entries(c.headers)) headers.set(k, v);
      }
      const heavy = c.body.length > 1 << 20;
      // One heavy case at a time, so the heap figure is about what the gateway keeps, not what is queued for it.
      if (heavy) {
        await Promise.all(batch);
        batch = [];
        await letteredAll(120_000);
      }
      batch.push(js.publish(`fuzz.${c.kind.replace(/\W+/g, "-")}`, c.body, { headers, timeout: 60_000 }));
      sent++;
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      if (batch.length >= 128 || heavy) {
        await Promise.all(batch);
        batch = [];
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    }
    await Promise.all(batch);
    // Stored upstream, so nothing can be dropped: every case is dead-lettered eventually; the deadline only bounds
    // a broken run (generous for a loaded 2-core machine).
    const allLettered = await letteredAll(Math.max(120_000, CASES * 30)).catch(() => false);
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
    await js.publish("fuzz.valid", new TextEncoder().encode(ok));
    await waitFor(async () => (await count(STREAMS.events.name)) === accepted + 1, {
      timeoutMs: 60_000,
      what: "a valid event after",
    });
    const mem1 = process.memoryUsage();
    peakRss = Math.max(peakRss, mem1.rss);
    const heapGrowthMb = Math.round((mem1.heapUsed - mem0.heapUsed) / 2 ** 20);
    recordRow({
      scenario: "gateway fuzzing (in-process, JetStream source)",
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
