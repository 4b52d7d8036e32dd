import {
  AckBatcher,
  ack,
  type Bus,
  connectBus,
  type DeadLetter,
  deadLetter,
  decodeRecord,
  ensureDurable,
  ensureTopology,
  eventSubject,
  nak,
  PipelinedPublisher,
  partitionOf,
  publishDurable,
  STREAMS,
  startConsumeLoop,
  term,
  truncateBody,
} from "@evtrigger/bus";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";

const enc = new TextEncoder();

describe("bus", () => {
  let srv: NatsServer;
  let bus: Bus;
  beforeAll(async () => {
    srv = await startNatsServer();
    bus = await connectBus({ servers: srv.url, name: "bus-test" });
    await ensureTopology(bus.jsm, bus.kvm);
  });
  afterAll(async () => {
    await bus?.close();
    await srv?.stop();
  });

  test("topology - ensureTopology is idempotent and creates streams and buckets", async () => {
    await ensureTopology(bus.jsm, bus.kvm);
    const names: string[] = [];
    for await (const s of bus.jsm.streams.list()) names.push(s.config.name);
    expect(names).toEqual(expect.arrayContaining(["EVT_EVENTS", "EVT_MATCHES", "EVT_DLQ", "KV_evt-inventory"]));
  });

  test("publish - the same msg id is stored once, distinct ids twice", async () => {
    const subj = eventSubject({ namespace: "dedup", name: "c1" });
    const a = await publishDurable(bus.js, subj, enc.encode("x"), { msgId: "m-1" });
    const b = await publishDurable(bus.js, subj, enc.encode("x"), { msgId: "m-1" });
    const c = await publishDurable(bus.js, subj, enc.encode("x"), { msgId: "m-2" });
    expect(b.duplicate).toBe(true);
    expect(b.seq).toBe(a.seq);
    expect(c.seq).toBe(a.seq + 1);
  });

  test("consume - ack, nak-then-ack and term, with per-key order kept", async () => {
    await bus.jsm.streams.add({ name: "T_CONSUME", subjects: ["tc.>"] });
    await ensureDurable(bus.jsm, { stream: "T_CONSUME", durable: "w" });
    await ensureDurable(bus.jsm, { stream: "T_CONSUME", durable: "w" }); // idempotent
    for (let i = 0; i < 20; i++) await bus.js.publish(`tc.k${i % 2}`, enc.encode(String(i)));
    await bus.js.publish("tc.poison", enc.encode("poison"));
    const seen: Record<string, number[]> = { "tc.k0": [], "tc.k1": [] };
    let naked = false;
    let termed = 0;
    const loop = await startConsumeLoop({
      js: bus.js,
      stream: "T_CONSUME",
      durable: "w",
      concurrency: 8,
      keyOf: (m) => m.subject,
      handler: async (m) => {
        if (m.subject === "tc.poison") {
          termed++;
          return term("poison");
        }
        const n = Number(m.string());
        if (n === 3 && !naked) {
          naked = true;
          return nak(10);
        }
        seen[m.subject].push(n);
        return ack();
      },
    });
    await waitFor(() => seen["tc.k0"].length + seen["tc.k1"].length === 20 && termed === 1, { what: "all settled" });
    await loop.stop();
    expect(seen["tc.k0"]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect([...seen["tc.k1"]].sort((a, b) => a - b)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    await waitFor(async () => (await bus.jsm.consumers.info("T_CONSUME", "w")).num_ack_pending === 0, {
      what: "no ack pending",
    });
  });

  test("consume - ensureDurable changes an existing durable's AckWait; messages held longer are not redelivered", async () => {
    await bus.jsm.streams.add({ name: "T_ACKWAIT", subjects: ["ta.>"] });
    await ensureDurable(bus.jsm, { stream: "T_ACKWAIT", durable: "w" });
    expect((await bus.jsm.consumers.info("T_ACKWAIT", "w")).config.ack_wait).toBe(30_000 * 1_000_000);
    await ensureDurable(bus.jsm, { stream: "T_ACKWAIT", durable: "w", ackWaitMs: 1000 });
    expect((await bus.jsm.consumers.info("T_ACKWAIT", "w")).config.ack_wait).toBe(1000 * 1_000_000);
    await bus.js.publish("ta.k", enc.encode("slow"));
    await bus.js.publish("ta.k", enc.encode("queued"));
    const deliveries: string[] = [];
    const loop = await startConsumeLoop({
      js: bus.js,
      stream: "T_ACKWAIT",
      durable: "w",
      keyOf: (m) => m.subject,
      handler: async (m) => {
        deliveries.push(`${m.string()}#${m.info.deliveryCount}`);
        // Busy for three AckWaits; the second message waits behind it (same key) all that time.
        const started = Date.now();
        if (m.string() === "slow") await waitFor(() => Date.now() - started > 3000, { intervalMs: 100 });
        return { kind: "ack" };
      },
    });
    await waitFor(() => deliveries.length >= 2, { what: "both handled" });
    await waitFor(async () => (await bus.jsm.consumers.info("T_ACKWAIT", "w")).num_ack_pending === 0, {
      what: "both acked",
    });
    await loop.stop();
    expect(deliveries).toEqual(["slow#1", "queued#1"]);
  });

  test("consume - held acks go out with the next publish of the same connection, and stop() sends the rest", async () => {
    await bus.jsm.streams.add({ name: "T_HELD", subjects: ["th.>"] });
    await bus.jsm.streams.add({ name: "T_HELD_OUT", subjects: ["tho.>"] });
    await ensureDurable(bus.jsm, { stream: "T_HELD", durable: "w" });
    const acks = new AckBatcher(600_000); // no timer within the test: only a publish or stop() can send them
    const publisher = new PipelinedPublisher(bus.nc, 5000, acks);
    const handled: string[] = [];
    const loop = await startConsumeLoop({
      js: bus.js,
      stream: "T_HELD",
      durable: "w",
      acks,
      handler: async (m) => {
        handled.push(m.string());
        return ack();
      },
    });
    const ackPending = async () => (await bus.jsm.consumers.info("T_HELD", "w")).num_ack_pending;
    try {
      await bus.js.publish("th.in", enc.encode("one"));
      await waitFor(() => acks.size === 1, { what: "the first ack held" });
      expect(await ackPending()).toBe(1);
      await publisher.publish("tho.out", enc.encode("successor"));
      await waitFor(async () => (await ackPending()) === 0, { what: "the held ack sent with the publish" });
      expect(acks.size).toBe(0);

      await bus.js.publish("th.in", enc.encode("two"));
      await waitFor(() => acks.size === 1, { what: "the second ack held" });
      expect(await ackPending()).toBe(1);
    } finally {
      await loop.stop();
      publisher.close();
    }
    await waitFor(async () => (await ackPending()) === 0, { what: "stop() sent the held ack" });
    expect(handled).toEqual(["one", "two"]);
  });

  test("consume - without a publish, a held ack goes out after the batcher's delay", async () => {
    await bus.jsm.streams.add({ name: "T_HELD_TIMER", subjects: ["tht.>"] });
    await ensureDurable(bus.jsm, { stream: "T_HELD_TIMER", durable: "w" });
    const acks = new AckBatcher(50);
    const loop = await startConsumeLoop({
      js: bus.js,
      stream: "T_HELD_TIMER",
      durable: "w",
      acks,
      handler: async () => ack(),
    });
    try {
      await bus.js.publish("tht.in", enc.encode("x"));
      await waitFor(
        async () => (await bus.jsm.consumers.info("T_HELD_TIMER", "w")).num_ack_pending === 0 && acks.size === 0,
        {
          what: "the timer sent the ack",
        },
      );
      const info = await bus.jsm.consumers.info("T_HELD_TIMER", "w");
      expect(info.delivered.stream_seq).toBe(1);
      expect(info.ack_floor.stream_seq).toBe(1);
    } finally {
      await loop.stop();
    }
  });

  test("dlq - a dead letter is stored once with a truncated body", async () => {
    const big = enc.encode("a".repeat(10_000));
    const letter = { stage: "gateway" as const, code: "EVT_GW_TOO_LARGE", reason: "too large", ...truncateBody(big) };
    await deadLetter(bus.js, letter, "x1");
    await deadLetter(bus.js, letter, "x1");
    const info = await bus.jsm.streams.info(STREAMS.dlq.name);
    expect(info.state.messages).toBe(1);
    const m = await bus.jsm.streams.getMessage(STREAMS.dlq.name, { last_by_subj: "evt.dlq.gateway" });
    const rec = decodeRecord<DeadLetter>(m!.data);
    expect(rec.bodyBytes).toBe(10_000);
    expect(rec.body?.length).toBe(4096);
    expect(rec.bodyEncoding).toBe("utf8");
  });

  test("dlq - invalid UTF-8 is kept as base64", () => {
    const t = truncateBody(new Uint8Array([0xff, 0xfe, 0x00]));
    expect(t.bodyEncoding).toBe("base64");
    expect(Buffer.from(t.body!, "base64")).toEqual(Buffer.from([0xff, 0xfe, 0x00]));
  });

  test("partition - stable and within range", () => {
    expect(partitionOf("t|auth.example.com|mgianluc")).toBe(partitionOf("t|auth.example.com|mgianluc"));
    for (let i = 0; i < 100; i++) expect(partitionOf(`k${i}`)).toBeLessThan(16);
  });
});
