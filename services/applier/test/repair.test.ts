// Drift repair and crashes: our own deletions are not repaired, and a repair killed between its apply and its
// inventory write leaves a mark that the next applier resolves (a logout's tombstone sweeps what it re-applied).
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUCKETS, listKeys } from "@evtrigger/bus";
import { REPAIR_MARK_FILTER, repairMarkKey } from "../src/inventory/keys.js";
import { openRepairMarks } from "../src/inventory/marks.js";
import { eventKeyOf, inventoryFilter, inventoryKey, listAddons } from "../src/mod.js";
import {
  CLUSTER,
  drained,
  type Harness,
  loginEvent,
  logoutEvent,
  NS_DOC,
  quietLogger,
  startHarness,
  triggerYaml,
  waitFor,
} from "./harness.js";

const DEST = `${CLUSTER.namespace}/${CLUSTER.name}`;

describe("applier repairs and crashes", () => {
  let h: Harness;
  let seq = 5000;
  const next = () => ++seq;
  beforeAll(async () => {
    h = await startHarness();
    await h.writeConfig(
      "drift.yaml",
      triggerYaml({ name: "drift", cm: "drift", syncMode: "ContinuousWithDriftDetection", docs: NS_DOC }),
      (x) => x.store.snapshot().eventTriggers.has("drift"),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  const exists = async (name: string) => (await h.kubectl("get", "namespace", name)).code === 0;
  const keyOf = (user: string) =>
    inventoryKey({ trigger: "drift", cluster: DEST, eventKey: eventKeyOf(CLUSTER, "auth.example.com", user) });
  const kv = () => h.bus.kvm.open(BUCKETS.inventory);
  const markKeys = async (filter = REPAIR_MARK_FILTER) => {
    const bucket = await kv();
    const out: string[] = [];
    for (const k of await listKeys(bucket, filter)) if ((await bucket.get(k))?.operation === "PUT") out.push(k);
    return out;
  };

  test("drift - a logout's own deletion is not repaired; someone else's deletion is", async () => {
    const repaired: string[] = [];
    const logger = {
      ...quietLogger,
      info(msg: string, f?: Record<string, unknown>) {
        if (msg.startsWith("drift detected")) repaired.push(`${f?.name}:${f?.change}`);
      },
    };
    const a = await h.startApplier({ logger });
    await h.publishMatch({ eventTrigger: "drift", eventSeq: next(), event: loginEvent("dora") });
    await h.publishMatch({ eventTrigger: "drift", eventSeq: next(), event: loginEvent("eve") });
    await waitFor(async () => (await exists("dora")) && (await exists("eve")), { what: "dora and eve created" });
    await h.publishMatch({ eventTrigger: "drift", eventSeq: next(), event: logoutEvent("dora") });
    await waitFor(async () => !(await exists("dora")), { what: "dora deleted on logout" });
    // Watch events arrive in order: once eve's (external) deletion was seen, dora's had been too.
    expect((await h.kubectl("delete", "namespace", "eve", "--wait=false")).code).toBe(0);
    await waitFor(() => repaired.includes("eve:DELETED"), { what: "eve's deletion seen as drift" });
    await waitFor(() => exists("eve"), { what: "eve restored" });
    await waitFor(() => drained(h));
    await a.idle();
    expect(repaired.filter((r) => r.startsWith("dora:"))).toEqual([]);
    // Repairs leave no marks behind once they are recorded.
    expect(await markKeys()).toEqual([]);
    await a.close();
    h.appliers.splice(h.appliers.indexOf(a), 1);
  });

  test("recovery - a repair killed after re-applying a logged-out Namespace: the next applier removes it", async () => {
    const a = await h.startApplier();
    await h.publishMatch({ eventTrigger: "drift", eventSeq: next(), event: loginEvent("fred") });
    await waitFor(() => exists("fred"), { what: "fred created" });
    const applied = JSON.parse((await h.kubectl("get", "namespace", "fred", "-o", "json")).stdout) as {
      metadata: Record<string, unknown>;
    };
    await h.publishMatch({ eventTrigger: "drift", eventSeq: next(), event: logoutEvent("fred") });
    await waitFor(async () => !(await exists("fred")), { what: "fred deleted on logout" });
    await waitFor(() => drained(h));
    await a.idle();
    await a.close();
    h.appliers.splice(h.appliers.indexOf(a), 1);
    const key = keyOf("fred");
    expect((await a.inventory.get(key))?.entry.action).toBe("Delete");

    // What a drift repair that read the login's entry, re-applied, and was killed before its CAS write leaves:
    // the object (with our owner labels) and its mark; the inventory still says Delete.
    const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = applied.metadata;
    const file = join(tmpdir(), `evt-fred-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ ...applied, metadata: meta }));
    expect((await h.kubectl("create", "-f", file)).code).toBe(0);
    await (await kv()).put(repairMarkKey("deadbeef0000", key), JSON.stringify({ key, owner: "deadbeef0000" }));
    // Marks are not inventory: listings and `evtctl show addons` never see them.
    expect((await a.inventory.list(inventoryFilter("applied"))).map((e) => e.key)).not.toContain(
      repairMarkKey("deadbeef0000", key),
    );
    expect((await listAddons(a.inventory, { trigger: "drift" })).map((r) => r.name)).not.toContain("fred");

    // A young mark (its owner may be a live replica mid-repair) is resynced but kept.
    const b = await h.startApplier();
    await waitFor(async () => !(await exists("fred")), { what: "the re-applied fred swept" });
    await b.idle();
    expect(await markKeys()).toEqual([repairMarkKey("deadbeef0000", key)]);
    expect((await b.inventory.get(key))?.entry.action).toBe("Delete");
    await b.close();
    h.appliers.splice(h.appliers.indexOf(b), 1);

    // Once stale, it is resynced again and removed.
    expect((await h.kubectl("create", "-f", file)).code).toBe(0);
    const c = await h.startApplier({ recovery: { staleMs: 0 } });
    await waitFor(async () => !(await exists("fred")), { what: "fred swept again" });
    await c.idle();
    expect(await markKeys()).toEqual([]);
    rmSync(file, { force: true });
  });

  test("marks - held while the repair runs, removed after it succeeded, kept after it failed", async () => {
    const marks = await openRepairMarks(h.bus.kvm, h.bus.jsm, BUCKETS.inventory, quietLogger, "owner1");
    const key = keyOf("gina");
    const mark = repairMarkKey("owner1", key);
    const during = await marks.hold(key, async () => {
      expect(marks.holding(key)).toBe(true);
      // A second hold of the same key shares the mark; it outlives the first hold.
      return marks.hold(key, async () => (await marks.list()).map((m) => [m.key, m.owner]));
    });
    expect(during).toEqual([[key, "owner1"]]);
    await marks.close();
    expect(await markKeys("rpr.owner1.>")).toEqual([]);

    await expect(
      marks.hold(key, async () => {
        throw new Error("kube down");
      }),
    ).rejects.toThrow("kube down");
    await marks.close();
    expect(await markKeys("rpr.owner1.>")).toEqual([mark]);
    // A later successful repair of the key removes it.
    await marks.hold(key, async () => undefined);
    await marks.close();
    expect(await markKeys("rpr.owner1.>")).toEqual([]);

    // clear() leaves a mark that was written again since it was listed.
    await (await kv()).put(mark, "{}");
    const [listed] = await marks.list();
    await (await kv()).put(mark, "{}");
    await marks.clear(listed!);
    expect(await markKeys("rpr.owner1.>")).toEqual([mark]);
    const [again] = await marks.list();
    await marks.clear(again!);
    expect(await markKeys("rpr.owner1.>")).toEqual([]);
  });
});
