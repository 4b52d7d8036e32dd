import { BUCKETS, type Bus, connectBus, ensureTopology, PipelinedPublisher } from "@evtrigger/bus";
import { type NatsServer, startNatsServer } from "@evtrigger/testkit";
import type { InventoryEntry } from "../src/inventory/entry.js";
import { eventKeyOf, inventoryKey } from "../src/inventory/keys.js";
import { InventoryConflict, type InventoryStore, openInventory } from "../src/inventory/store.js";
import { CLUSTER, drained, type Harness, loginEvent, NS_DOC, startHarness, triggerYaml, waitFor } from "./harness.js";

function entry(eventSeq: number, subject = "mgianluc"): InventoryEntry {
  return {
    v: 1,
    trigger: "users",
    triggerGeneration: 1,
    cluster: "default/workload",
    sourceCluster: CLUSTER,
    eventSource: "user-operation",
    eventKey: eventKeyOf(CLUSTER, "auth.example.com", subject),
    ceSource: "auth.example.com",
    ceSubject: subject,
    ceType: "auth.example.com.login",
    ceId: `id-${eventSeq}`,
    eventSeq,
    eventMsgId: `ev-${eventSeq}`,
    action: "Create",
    syncMode: "Continuous",
    stopMatchingBehavior: "WithdrawPolicies",
    objects: [{ apiVersion: "v1", kind: "Namespace", name: subject }],
    event: loginEvent(subject),
    matchedAt: "2026-11-25T10:00:00.000Z",
    appliedAt: "2026-11-25T10:00:00.100Z",
  };
}

describe("inventory store", () => {
  let nats: NatsServer;
  let bus: Bus;
  let publisher: PipelinedPublisher;
  let a: InventoryStore;
  let b: InventoryStore;
  beforeAll(async () => {
    nats = await startNatsServer();
    bus = await connectBus({ servers: nats.url, name: "inventory-test" });
    await ensureTopology(bus.jsm, bus.kvm);
    publisher = new PipelinedPublisher(bus.nc);
    // Two replicas' stores on one bucket: `a` writes pipelined, `b` through kv.update/kv.create.
    a = await openInventory(bus.kvm, BUCKETS.inventory, { publisher });
    b = await openInventory(bus.kvm, BUCKETS.inventory);
  });
  afterAll(async () => {
    publisher?.close();
    await bus?.close();
    await nats?.stop();
  });

  test("inventory - pipelined writes are compare-and-set: a wrong revision is an InventoryConflict", async () => {
    const key = inventoryKey({ trigger: "users", cluster: "default/workload", eventKey: "k1" });
    const r1 = await a.put(key, entry(1), 0);
    await expect(a.put(key, entry(2), 0)).rejects.toBeInstanceOf(InventoryConflict);
    await expect(a.put(key, entry(2), r1 + 100)).rejects.toBeInstanceOf(InventoryConflict);
    const r2 = await a.put(key, entry(2), r1);
    expect(r2).toBeGreaterThan(r1);
    expect(await b.get(key)).toEqual({ entry: entry(2), revision: r2 });
  });

  test("inventory - a pipelined create succeeds over a deleted key, as kv.create does", async () => {
    const key = inventoryKey({ trigger: "users", cluster: "default/workload", eventKey: "k2" });
    const r1 = await b.put(key, entry(1), 0);
    await b.remove(key, r1);
    expect(await a.get(key)).toBeUndefined();
    const r2 = await a.put(key, entry(3), 0);
    expect(await b.get(key)).toEqual({ entry: entry(3), revision: r2 });
  });

  test("inventory - latest() answers from this process's last write; once another replica wrote, the stale copy fails the write and latest() reads KV", async () => {
    const key = inventoryKey({ trigger: "users", cluster: "default/workload", eventKey: "k3" });
    const r1 = await a.put(key, entry(1), 0);
    expect(await a.latest(key)).toEqual({ entry: entry(1), revision: r1, cached: true });

    const r2 = await b.put(key, entry(2), r1);
    // Still the copy: a is not told about b's write...
    expect(await a.latest(key)).toMatchObject({ revision: r1, cached: true });
    // ...but writing from it cannot overwrite b's entry.
    await expect(a.put(key, entry(3), r1)).rejects.toBeInstanceOf(InventoryConflict);
    expect(await a.latest(key)).toEqual({ entry: entry(2), revision: r2, cached: false });
    const r3 = await a.put(key, entry(3), r2);
    expect(await b.get(key)).toEqual({ entry: entry(3), revision: r3 });
  });

  test("inventory - a read that finishes after a newer write does not bring the older revision back", async () => {
    const key = inventoryKey({ trigger: "users", cluster: "default/workload", eventKey: "k4" });
    const r1 = await a.put(key, entry(1), 0);
    const read = a.get(key); // in flight while the next write lands
    const r2 = await a.put(key, entry(2), r1);
    await read;
    expect(await a.latest(key)).toMatchObject({ revision: r2, cached: true });
  });
});

describe("inventory cache in the applier", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.writeConfig("users.yaml", triggerYaml({ name: "users", cm: "users", docs: NS_DOC }), (x) =>
      x.store.snapshot().eventTriggers.has("users"),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  test("inventory - a cached entry never makes a match stale: an entry removed behind the applier's back is written again", async () => {
    const applier = await h.startApplier();
    await h.publishMatch({ eventTrigger: "users", eventSeq: 10, event: loginEvent("cache-user") });
    await waitFor(() => drained(h), { what: "login applied" });
    const key = inventoryKey({
      trigger: "users",
      cluster: `${CLUSTER.namespace}/${CLUSTER.name}`,
      eventKey: eventKeyOf(CLUSTER, "auth.example.com", "cache-user"),
    });
    const stored = await applier.inventory.latest(key);
    expect(stored).toMatchObject({ cached: true, entry: { eventSeq: 10 } });

    // Another writer (an operator, a replica's withdraw) removes the entry and the namespace; the same event
    // arrives again (a replay). The applier's copy says "already applied"; KV says nothing is recorded.
    const kv = await h.bus.kvm.open(BUCKETS.inventory);
    await kv.delete(key);
    expect((await h.kubectl("delete", "namespace", "cache-user")).code).toBe(0);
    await h.publishMatch({
      eventTrigger: "users",
      eventSeq: 10,
      eventMsgId: "replay-10",
      event: loginEvent("cache-user"),
    });
    await waitFor(async () => (await h.kubectl("get", "namespace", "cache-user")).code === 0, {
      what: "namespace applied again",
    });
    await waitFor(async () => (await applier.inventory.get(key))?.entry.eventSeq === 10, {
      what: "entry written again",
    });
  });
});
