import { type Bus, connectBus, listKeys } from "@evtrigger/bus";
import { type NatsServer, startNatsServer } from "@evtrigger/testkit";
import type { KV } from "@nats-io/kv";

describe("kv-keys", () => {
  let srv: NatsServer;
  let bus: Bus;
  let kv: KV;
  beforeAll(async () => {
    srv = await startNatsServer();
    bus = await connectBus({ servers: srv.url, name: "kv-keys-test" });
    kv = await bus.kvm.create("kv-keys-test", { history: 1 });
  });
  afterAll(async () => {
    await bus?.close();
    await srv?.stop();
  });

  test("kv-keys - lists the keys under a filter, sorted, tombstones included for the caller to skip", async () => {
    for (const k of ["b.2", "a.1", "b.1", "c.x.1", "c.y.1"]) await kv.put(k, "v");
    await kv.delete("b.2");
    await kv.purge("c.y.1");
    expect(await listKeys(kv)).toEqual(["a.1", "b.1", "b.2", "c.x.1", "c.y.1"]);
    expect(await listKeys(kv, "b.>")).toEqual(["b.1", "b.2"]);
    expect(await listKeys(kv, "c.*.1")).toEqual(["c.x.1", "c.y.1"]);
    expect(await listKeys(kv, "none.>")).toEqual([]);
    expect((await kv.get("b.2"))?.operation).toBe("DEL");
    expect((await kv.get("c.y.1"))?.operation).toBe("PURGE");
  });

  test("kv-keys - every listing sees every key while the keys are being rewritten", async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `w.${String(i).padStart(2, "0")}`);
    for (const k of keys) await kv.put(k, "0");
    let writing = true;
    const writer = (async () => {
      for (let round = 1; writing; round++) await Promise.all(keys.map((k) => kv.put(k, String(round))));
    })();
    try {
      for (let i = 0; i < 30; i++) expect(await listKeys(kv, "w.>")).toEqual(keys);
    } finally {
      writing = false;
      await writer;
    }
  });
});
