import { MemoryConfigStore } from "@evtrigger/config";
import { seededRandom } from "@evtrigger/testkit";
import { CowMap } from "../src/cowMap.js";

const rng = seededRandom;

const sorted = (m: ReadonlyMap<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe("cowMap - frozen views", () => {
  test.each([[1], [2], [3]])("cowMap - every frozen view keeps its content through later writes, seed %i", (seed) => {
    const r = rng(seed);
    const cow = new CowMap<number>();
    const model = new Map<string, number>();
    const views: { view: ReadonlyMap<string, number>; want: [string, number][] }[] = [];
    // Enough keys to cross the split into shards, with deletes and overwrites on both sides of it.
    for (let step = 0; step < 6000; step++) {
      const key = `k${Math.floor(r() * 2500)}`;
      if (r() < 0.25) expect(cow.delete(key)).toBe(model.delete(key));
      else {
        cow.set(key, step);
        model.set(key, step);
      }
      expect(cow.size).toBe(model.size);
      if (step % 500 === 0) views.push({ view: cow.freeze(), want: sorted(model) });
    }
    views.push({ view: cow.freeze(), want: sorted(model) });
    expect(cow.freeze()).toBe(cow.freeze()); // unchanged: the same view
    for (const { view, want } of views) {
      expect(view.size).toBe(want.length);
      expect(sorted(view)).toEqual(want);
      expect([...view.keys()].length).toBe(want.length);
      for (const [k, v] of want.slice(0, 50)) {
        expect(view.get(k)).toBe(v);
        expect(view.has(k)).toBe(true);
      }
      expect(view.has("absent")).toBe(false);
      let n = 0;
      view.forEach(() => {
        n++;
      });
      expect(n).toBe(want.length);
    }
  });

  test("cowMap - views taken across several re-splits keep their content", () => {
    const cow = new CowMap<number>();
    const views: [ReadonlyMap<string, number>, number][] = [];
    for (let i = 0; i < 40_000; i++) {
      cow.set(`k${i}`, i);
      if (i % 4000 === 0) views.push([cow.freeze(), i + 1]);
    }
    for (let i = 0; i < 40_000; i += 2) cow.delete(`k${i}`);
    views.push([cow.freeze(), -1]);
    for (const [view, n] of views.slice(0, -1)) {
      expect(view.size).toBe(n);
      expect(view.get(`k${n - 1}`)).toBe(n - 1);
      expect(view.has(`k${n}`)).toBe(false);
      expect(new Set(view.keys()).size).toBe(n);
    }
    const last = views.at(-1)![0];
    expect(last.size).toBe(20_000);
    expect(last.has("k0")).toBe(false);
    expect(last.get("k39999")).toBe(39_999);
  });

  test("cowMap - a small map iterates in insertion order", () => {
    const cow = new CowMap<number>([
      ["b", 1],
      ["a", 2],
    ]);
    cow.set("c", 3);
    expect([...cow.freeze().keys()]).toEqual(["b", "a", "c"]);
    expect(Object.prototype.toString.call(cow.freeze())).toBe("[object Map]");
  });
});

describe("cowMap - store snapshots", () => {
  test("cowMap - a snapshot of 2,000 EventSources is not changed by later updates and deletes", () => {
    const store = new MemoryConfigStore();
    const es = (i: number, subject: string) => ({
      apiVersion: "lib.projectsveltos.io/v1beta1",
      kind: "EventSource",
      metadata: { name: `es-${i}` },
      spec: { messagingMatchCriteria: [{ subject }] },
    });
    store.apply(...Array.from({ length: 2000 }, (_, i) => es(i, "a")));
    const before = store.snapshot();
    store.apply(es(7, "b"), es(2000, "new"));
    store.delete("EventSource", "es-8");
    const after = store.snapshot();
    expect(before.eventSources.size).toBe(2000);
    expect(before.eventSources.get("es-7")?.spec.messagingMatchCriteria?.[0]?.subject).toBe("a");
    expect(before.eventSources.has("es-8")).toBe(true);
    expect(before.eventSources.has("es-2000")).toBe(false);
    expect(after.eventSources.size).toBe(2000);
    expect(after.eventSources.get("es-7")?.spec.messagingMatchCriteria?.[0]?.subject).toBe("b");
    expect(after.eventSources.has("es-8")).toBe(false);
    expect(after.eventSources.has("es-2000")).toBe(true);
    // Objects that did not change are shared, not copied.
    expect(after.eventSources.get("es-9")).toBe(before.eventSources.get("es-9"));
    expect(after.eventTriggers).toBe(before.eventTriggers);
  });
});
