import {
  type Bus,
  connectBus,
  deadLetter,
  ensureTopology,
  getDeadLetter,
  listDeadLetters,
  publishDurable,
  STREAMS,
} from "@evtrigger/bus";
import { type NatsServer, startNatsServer } from "@evtrigger/testkit";

describe("dlq-read", () => {
  let srv: NatsServer;
  let bus: Bus;
  beforeAll(async () => {
    srv = await startNatsServer();
    bus = await connectBus({ servers: srv.url, name: "dlq-read-test" });
    await ensureTopology(bus.jsm, bus.kvm);
    for (let i = 1; i <= 150; i++) {
      const stage = i % 3 === 0 ? "gateway" : "applier";
      await deadLetter(
        bus.js,
        {
          stage,
          code: i % 2 ? "EVT_X_ODD" : "EVT_X_EVEN",
          reason: `letter ${i}`,
          object: { kind: "EventTrigger", name: `t${i}` },
        },
        `m${i}`,
      );
    }
    await publishDurable(bus.js, "evt.dlq.matcher", new TextEncoder().encode("not json"), { msgId: "junk" });
  });
  afterAll(async () => {
    await bus?.close();
    await srv?.stop();
  });

  test("dlq-read - lists newest first, across batches, with stage and code filters", async () => {
    const all = await listDeadLetters(bus.jsm, { limit: 200 });
    expect(all).toHaveLength(151);
    expect(all.map((d) => d.seq)).toEqual([...all.map((d) => d.seq)].sort((a, b) => b - a));
    const gw = await listDeadLetters(bus.jsm, { stage: "gateway", code: "EVT_X_ODD", limit: 5 });
    expect(gw.map((d) => d.letter.reason)).toEqual([
      "letter 147",
      "letter 141",
      "letter 135",
      "letter 129",
      "letter 123",
    ]);
    expect(gw.every((d) => d.subject === "evt.dlq.gateway")).toBe(true);
  });

  test("dlq-read - a deleted letter is skipped by list and undefined for get; junk is shown, not hidden", async () => {
    const [newest] = await listDeadLetters(bus.jsm, { limit: 1 });
    expect(newest!.letter).toMatchObject({ stage: "matcher", code: "EVT_BUS_DLQ_UNREADABLE" });
    const victim = (await listDeadLetters(bus.jsm, { limit: 3 }))[2]!;
    await bus.jsm.streams.deleteMessage(STREAMS.dlq.name, victim.seq);
    expect(await getDeadLetter(bus.jsm, victim.seq)).toBeUndefined();
    const after = await listDeadLetters(bus.jsm, { limit: 3 });
    expect(after.map((d) => d.seq)).not.toContain(victim.seq);
    expect(await getDeadLetter(bus.jsm, 1)).toMatchObject({ seq: 1, letter: { reason: "letter 1" } });
  });

  test("dlq-read - maxScan bounds how far back a listing looks", async () => {
    const few = await listDeadLetters(bus.jsm, { code: "EVT_X_ODD", limit: 100, maxScan: 10 });
    expect(few.length).toBeLessThanOrEqual(5);
    expect(few.length).toBeGreaterThan(0);
  });
});
