import { inventoryFilter } from "../src/mod.js";
import {
  type Harness,
  loginEvent,
  logoutEvent,
  manageNamespaceYaml,
  SEED_CREATE_NAMESPACE,
  startHarness,
  waitFor,
} from "./harness.js";

describe("applier against the emulator (seed triggers)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.writeConfig("seed-create.yaml", SEED_CREATE_NAMESPACE, (x) =>
      x.store.snapshot().eventTriggers.has("create-namespace"),
    );
    await h.writeConfig("seed-manage.yaml", manageNamespaceYaml(), (x) =>
      x.store.snapshot().eventTriggers.has("manage-namespace"),
    );
    await h.startApplier();
  });
  afterAll(async () => {
    await h?.close();
  });

  const nsJson = async (name: string) => {
    const r = await h.kubectl("get", "namespace", name, "-o", "json");
    return r.code === 0 ? (JSON.parse(r.stdout) as { metadata: { labels?: Record<string, string> } }) : undefined;
  };

  test("seed - create-namespace creates the Namespace named after the CE subject, with the organization label", async () => {
    await h.publishMatch({
      eventTrigger: "create-namespace",
      eventSeq: 1,
      event: loginEvent("mgianluc", "projectsveltos"),
    });
    const ns = await waitFor(() => nsJson("mgianluc"), { what: "namespace mgianluc" });
    expect(ns.metadata.labels).toMatchObject({
      organization: "projectsveltos",
      "eventtrigger.lib.projectsveltos.io/cesource": "auth.example.com",
      "eventtrigger.lib.projectsveltos.io/cesubject": "mgianluc",
      "evtrigger.io/trigger": "create-namespace",
    });
    const inv = await waitFor(
      async () => (await h.appliers[0]!.inventory.list(inventoryFilter("applied", "create-namespace")))[0],
    );
    expect(inv.entry).toMatchObject({ action: "Create", eventSeq: 1, cluster: "default/clusterapi-workload" });
    expect(inv.entry.objects).toEqual([
      expect.objectContaining({ apiVersion: "v1", kind: "Namespace", name: "mgianluc" }),
    ]);
  });

  test("seed - manage-namespace creates on login and deletes on logout", async () => {
    await h.publishMatch({ eventTrigger: "manage-namespace", eventSeq: 10, event: loginEvent("alice") });
    await waitFor(() => nsJson("alice"), { what: "namespace alice" });
    await h.publishMatch({ eventTrigger: "manage-namespace", eventSeq: 11, event: logoutEvent("alice") });
    await waitFor(async () => (await h.kubectl("get", "namespace", "alice")).code !== 0, { what: "alice deleted" });
    const [inv] = await h.appliers[0]!.inventory.list(inventoryFilter("applied", "manage-namespace"));
    expect(inv?.entry).toMatchObject({ action: "Delete", eventSeq: 11, objects: [] });
  });

  test("fencing - a redelivered match and a stale (lower eventSeq) match change nothing", async () => {
    await h.publishMatch({ eventTrigger: "manage-namespace", eventSeq: 20, event: loginEvent("bob") });
    await waitFor(() => nsJson("bob"));
    await h.publishMatch({ eventTrigger: "manage-namespace", eventSeq: 21, event: logoutEvent("bob") });
    await waitFor(async () => (await h.kubectl("get", "namespace", "bob")).code !== 0);
    const before = (await h.appliers[0]!.inventory.list(inventoryFilter("applied", "manage-namespace"))).find(
      (e) => e.entry.ceSubject === "bob",
    )!;
    // Stale login (seq 20 again, new msg id so the stream keeps it) and an older one: neither resurrects bob.
    await h.publishMatch({
      eventTrigger: "manage-namespace",
      eventSeq: 20,
      eventMsgId: "redelivered-20",
      event: loginEvent("bob"),
    });
    await h.publishMatch({
      eventTrigger: "manage-namespace",
      eventSeq: 19,
      eventMsgId: "older-19",
      event: loginEvent("bob"),
    });
    // A later event for another user proves the stale ones were consumed before it (same partition order is not
    // guaranteed, so wait for the consumer to have nothing pending instead).
    await waitFor(async () => {
      const ci = await h.bus.jsm.consumers.info("EVT_MATCHES", "evt-applier");
      return ci.num_pending === 0 && ci.num_ack_pending === 0;
    });
    expect((await h.kubectl("get", "namespace", "bob")).code).not.toBe(0);
    const after = (await h.appliers[0]!.inventory.list(inventoryFilter("applied", "manage-namespace"))).find(
      (e) => e.entry.ceSubject === "bob",
    )!;
    expect(after.revision).toBe(before.revision);
    expect(after.entry.eventSeq).toBe(21);
  });

  test("fencing - publish order (upstream sequence) wins over EVT_EVENTS order; without it, eventSeq", async () => {
    const up = (seq: number) => ({ stream: "USERS", created: "2026-11-25T10:00:00.000Z", seq, index: 0 });
    const entry = async () =>
      (await h.appliers[0]!.inventory.list(inventoryFilter("applied", "manage-namespace"))).find(
        (e) => e.entry.ceSubject === "carol",
      );
    const idle = () =>
      waitFor(async () => {
        const ci = await h.bus.jsm.consumers.info("EVT_MATCHES", "evt-applier");
        return ci.num_pending === 0 && ci.num_ack_pending === 0;
      });
    await h.publishMatch({
      eventTrigger: "manage-namespace",
      eventSeq: 30,
      upstream: up(2),
      event: loginEvent("carol"),
    });
    await waitFor(() => nsJson("carol"));
    await h.publishMatch({
      eventTrigger: "manage-namespace",
      eventSeq: 31,
      upstream: up(4),
      event: logoutEvent("carol"),
    });
    await waitFor(async () => (await h.kubectl("get", "namespace", "carol")).code !== 0);
    // Published before the logout but stored after it (a killed gateway's redelivery): the tombstone holds.
    await h.publishMatch({
      eventTrigger: "manage-namespace",
      eventSeq: 32,
      upstream: up(3),
      event: loginEvent("carol"),
    });
    await idle();
    expect((await h.kubectl("get", "namespace", "carol")).code).not.toBe(0);
    expect((await entry())?.entry).toMatchObject({ action: "Delete", eventSeq: 31, upstream: up(4) });
    // No upstream position (core NATS): EVT_EVENTS' order decides, so this later login applies.
    await h.publishMatch({ eventTrigger: "manage-namespace", eventSeq: 33, event: loginEvent("carol") });
    await waitFor(() => nsJson("carol"), { what: "namespace carol re-created" });
    const last = (await entry())!.entry;
    expect(last).toMatchObject({ action: "Create", eventSeq: 33 });
    expect(last.upstream).toBeUndefined();
  });
});
