// The keeper must always equal a from-scratch build of the current snapshot, whatever the order of changes.
import { type KubeObject, MemoryConfigStore } from "@evtrigger/config";
import { seededRandom } from "@evtrigger/testkit";
import { PatternCache } from "../src/criteria/compile.js";
import { buildState, MatchStateKeeper } from "../src/state.js";

const rng = seededRandom;

const es = (name: string, criteria: unknown[], rv: number): KubeObject =>
  ({
    apiVersion: "lib.projectsveltos.io/v1beta1",
    kind: "EventSource",
    metadata: { name, resourceVersion: String(rv), generation: 1 },
    spec: { messagingMatchCriteria: criteria },
  }) as KubeObject;

const CRITERIA: unknown[][] = [
  [{ subject: "events" }],
  [{ cloudEventType: "^auth\\.login$" }, { cloudEventSource: "(?i)svc" }],
  [{ cloudEventSubject: "^user-" }],
  [{ subject: "(" }], // does not compile in the matcher
  [{ cloudEventType: 42 }], // rejected by libs/config validation
];

const EVENTS = [
  { subscription: "events", natsSubject: "events", source: "SVC", type: "auth.login", subject: "user-1" },
  { subscription: "other", natsSubject: "other", source: "x", type: "auth.logout", subject: "admin" },
  { subscription: "events", natsSubject: "events.a", source: "y", type: "z", subject: "" },
];

describe("state - keeper follows the store", () => {
  test.each([[1], [2], [3], [4], [5]])(
    "state - random changes applied one by one equal a full build, seed %i",
    (seed) => {
      const r = rng(seed);
      const store = new MemoryConfigStore();
      const keeper = new MatchStateKeeper(new PatternCache(), undefined);
      store.onChange((c) => keeper.noteChange(c));
      keeper.update(store.snapshot());
      let rv = 1;
      let applied = 0;
      for (let step = 0; step < 200; step++) {
        const name = `es-${Math.floor(r() * 12)}`;
        const roll = r();
        if (roll < 0.2) store.delete("EventSource", name);
        else if (roll < 0.35) {
          // Same spec, new resourceVersion and status: not a change the index needs.
          const cur = store.snapshot().eventSources.get(name);
          if (cur)
            store.apply({ ...cur, metadata: { ...cur.metadata, resourceVersion: String(++rv) }, status: { x: rv } });
        } else store.apply(es(name, CRITERIA[Math.floor(r() * CRITERIA.length)]!, ++rv));
        if (r() < 0.5) continue; // let changes pile up between updates
        applied += keeper.update(store.snapshot())?.applied ?? 0;
        const full = buildState(store.snapshot(), new PatternCache(), undefined);
        const st = keeper.state;
        expect(st.version).toBe(full.version);
        expect(st.index.stats).toMatchObject({ sources: full.index.stats.sources, invalid: full.index.stats.invalid });
        expect(st.invalidSources.map((s) => s.name).sort()).toEqual(full.invalidSources.map((s) => s.name).sort());
        for (const ev of EVENTS) expect(st.index.match(ev)).toEqual(full.index.match(ev));
      }
      expect(applied).toBeGreaterThan(20);
    },
  );

  test("state - a status-only update applies nothing", () => {
    const store = new MemoryConfigStore();
    const keeper = new MatchStateKeeper(new PatternCache(), undefined);
    store.onChange((c) => keeper.noteChange(c));
    store.apply(es("a", CRITERIA[0]!, 1), es("b", CRITERIA[1]!, 2));
    expect(keeper.update(store.snapshot())).toMatchObject({ full: true, applied: 2 });
    store.apply({ ...es("a", CRITERIA[0]!, 3), status: { conditions: [] } });
    store.apply(es("c", CRITERIA[2]!, 4)); // moves the version
    expect(keeper.update(store.snapshot())).toMatchObject({ full: false, applied: 1, selectorRebuilt: false });
    expect(keeper.update(store.snapshot())).toBeUndefined();
  });
});
