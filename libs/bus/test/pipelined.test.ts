import {
  type Bus,
  BusError,
  connectBus,
  JetStreamPublishError,
  PipelinedPublisher,
  WRONG_LAST_SEQUENCE,
} from "@evtrigger/bus";
import { type NatsServer, startNatsServer } from "@evtrigger/testkit";

const enc = new TextEncoder();

describe("pipelined publisher", () => {
  let srv: NatsServer;
  let bus: Bus;
  let pub: PipelinedPublisher;
  beforeAll(async () => {
    srv = await startNatsServer();
    bus = await connectBus({ servers: srv.url, name: "pipelined-test" });
    await bus.jsm.streams.add({ name: "T_PIPE", subjects: ["tp.>"] });
    pub = new PipelinedPublisher(bus.nc, 500);
  });
  afterAll(async () => {
    pub?.close();
    await bus?.close();
    await srv?.stop();
  });

  test("pipelined - resolves once stored, in publish order, with headers kept", async () => {
    const acks = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        pub.publish(`tp.order.${i % 3}`, enc.encode(String(i)), { msgId: `o-${i}`, headers: { "x-n": String(i) } }),
      ),
    );
    const first = acks[0]!.seq;
    expect(acks.map((a) => a.seq)).toEqual(acks.map((_, i) => first + i));
    expect(acks.every((a) => a.stream === "T_PIPE" && !a.duplicate)).toBe(true);
    const m = await bus.jsm.streams.getMessage("T_PIPE", { seq: first + 7 });
    expect(m?.header.get("x-n")).toBe("7");
    expect(m?.header.get("Nats-Msg-Id")).toBe("o-7");
    expect(pub.inFlight()).toBe(0);
  });

  test("pipelined - headers arrive as headers() + set() would write them; bad names and values are refused", async () => {
    const a = await pub.publish("tp.hdrs", enc.encode("x"), {
      msgId: "  h-1 ",
      headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "x-uni": "wert ü" },
    });
    const m = await bus.jsm.streams.getMessage("T_PIPE", { seq: a.seq });
    // set() trims values and keeps the name as given; non-ASCII values travel as UTF-8.
    expect([...m!.header].map(([k, v]) => [k, v])).toEqual([
      ["Nats-Msg-Id", ["h-1"]],
      ["traceparent", ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]],
      ["x-uni", ["wert ü"]],
    ]);
    const refused: Record<string, string>[] = [
      { "x-bad": "a\r\nInjected: 1" },
      { "bad name": "v" },
      { "x:colon": "v" },
      { "x-ünï": "v" },
    ];
    for (const headers of refused) {
      const err = await pub.publish("tp.hdrs", enc.encode("x"), { headers, retryForMs: 0 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BusError);
      expect(String((err as BusError).cause)).toMatch(/header/);
    }
    expect(pub.inFlight()).toBe(0);
  });

  test("pipelined - the same msg id is stored once, distinct ids twice", async () => {
    const a = await pub.publish("tp.dedup", enc.encode("x"), { msgId: "d-1" });
    const b = await pub.publish("tp.dedup", enc.encode("x"), { msgId: "d-1" });
    const c = await pub.publish("tp.dedup", enc.encode("x"), { msgId: "d-2" });
    expect(b).toEqual({ stream: "T_PIPE", seq: a.seq, duplicate: true });
    expect(c.seq).toBe(a.seq + 1);
  });

  test("pipelined - a lost compare-and-set is rejected at once, not retried", async () => {
    const a = await pub.publish("tp.cas", enc.encode("1"), {});
    const err = await pub
      .publish("tp.cas", enc.encode("2"), {
        headers: { "Nats-Expected-Last-Subject-Sequence": String(a.seq - 1) },
        retryForMs: 60_000,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JetStreamPublishError);
    expect((err as JetStreamPublishError).errCode).toBe(WRONG_LAST_SEQUENCE);
    const ok = await pub.publish("tp.cas", enc.encode("2"), {
      headers: { "Nats-Expected-Last-Subject-Sequence": String(a.seq) },
    });
    expect(ok.seq).toBeGreaterThan(a.seq);
  });

  test("pipelined - a subject without a stream fails with EVT_BUS_PUBLISH after the retry budget", async () => {
    const err = await pub
      .publish("nostream.x", enc.encode("x"), { msgId: "n-1", retryForMs: 200 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusError);
    expect((err as BusError).code).toBe("EVT_BUS_PUBLISH");
    expect(pub.inFlight()).toBe(0);
  });

  test("pipelined - an attempt that times out is retried until its stream exists, and stored once", async () => {
    // A plain subscriber sees the first attempt (and keeps the server from answering "no responders"); the stream
    // is created only then, so the first attempt times out and a retry stores the message.
    let attempts = 0;
    const sub = bus.nc.subscribe("late.>", {
      callback: () => {
        attempts++;
        if (attempts === 1) {
          sub.unsubscribe();
          void bus.jsm.streams.add({ name: "T_LATE", subjects: ["late.>"] });
        }
      },
    });
    const a = await pub.publish("late.x", enc.encode("x"), { msgId: "late-1", retryForMs: 10_000 });
    expect(attempts).toBe(1);
    expect(a).toEqual({ stream: "T_LATE", seq: 1, duplicate: false });
    expect((await bus.jsm.streams.info("T_LATE")).state.messages).toBe(1);
  });
});
