import { inventoryFilter } from "../src/mod.js";
import {
  drained,
  type Harness,
  loginEvent,
  logoutEvent,
  NS_DOC,
  startHarness,
  triggerYaml,
  waitFor,
} from "./harness.js";

describe("applier replicas", () => {
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

  test("replicas - two appliers on one durable reach the expected state with one inventory entry per user", async () => {
    const a = await h.startApplier({ concurrency: 8 });
    await h.startApplier({ concurrency: 8 });
    const users = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    const expected = new Map<string, boolean>();
    let seq = 1000;
    const publishes: Promise<void>[] = [];
    for (const [i, u] of users.entries()) {
      // login, logout, login for even users; login, logout for odd ones. Every fourth user's events are
      // published newest first, so replicas see them out of order and fencing must keep the newest.
      const events = i % 2 === 0 ? [loginEvent(u), logoutEvent(u), loginEvent(u)] : [loginEvent(u), logoutEvent(u)];
      const recs = events.map((event) => ({ eventTrigger: "users", eventSeq: ++seq, event }));
      expected.set(u, i % 2 === 0);
      for (const r of i % 4 === 1 ? recs.reverse() : recs) publishes.push(h.publishMatch(r));
    }
    await Promise.all(publishes);
    await waitFor(() => drained(h), { timeoutMs: 30_000, what: "all matches settled" });

    const r = await h.kubectl(
      "get",
      "namespaces",
      "-l",
      "evtrigger.io/trigger=users",
      "-o",
      "jsonpath={.items[*].metadata.name}",
    );
    const present = new Set(r.stdout.split(/\s+/).filter(Boolean));
    for (const [u, shouldExist] of expected) expect([u, present.has(u)]).toEqual([u, shouldExist]);

    const inv = await a.inventory.list(inventoryFilter("applied", "users"));
    expect(inv).toHaveLength(users.length);
    const bySubject = new Map(inv.map((e) => [e.entry.ceSubject, e.entry]));
    for (const [u, shouldExist] of expected) {
      const e = bySubject.get(u)!;
      expect([u, e.action, e.objects.length]).toEqual([u, shouldExist ? "Create" : "Delete", shouldExist ? 1 : 0]);
    }
  });
});
