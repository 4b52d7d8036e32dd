// The index must give exactly the brute-force answer (every pattern through re2js, every source in order).

import { seededRandom } from "@evtrigger/testkit";
import { AhoCorasick } from "../src/criteria/ahocorasick.js";
import { compileSource, PatternCache } from "../src/criteria/compile.js";
import { bruteForceMatch, type EventFields } from "../src/criteria/evaluate.js";
import { CriteriaIndex } from "../src/criteria/index.js";
import { anchoredPrefix, literalShape } from "../src/criteria/literal.js";

const rng = seededRandom;

const WORDS = ["ab", "a", "b", "ba", "auth", "login", "out", "K", "k", "\u212a", "s", "\u017f", "S", "x.y", "é", "😀"];

function gen(seed: number) {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const word = () => pick(WORDS);
  const esc = (s: string) => s.replace(/[.\\+*?()|[\]{}^$]/g, "\\$&");
  const pattern = (): string => {
    switch (Math.floor(r() * 12)) {
      case 0:
        return "";
      case 1:
        return `^${esc(word())}$`;
      case 2:
        return `^${esc(word())}`;
      case 3:
        return `${esc(word())}$`;
      case 4:
        return esc(word() + word());
      case 5:
        return `(?i)${esc(word())}`;
      case 6:
        return `${word()}.${word()}`;
      case 7:
        return `^(${esc(word())}|${esc(word())})[a-z]*$`;
      case 8:
        return `${esc(word())}\\pL?${esc(word())}`;
      case 9:
        return `^${esc(word())}b?${esc(word())}`;
      case 10:
        return `(?i)^${esc(word())}.*${esc(word())}$`;
      default:
        return `[ab]+${r() < 0.5 ? "" : esc(word())}`;
    }
  };
  const value = () => Array.from({ length: Math.floor(r() * 4) }, word).join(pick(["", ".", "-"]));
  const sources = Array.from({ length: 40 }, (_, i) => ({
    name: `es-${String(i).padStart(2, "0")}`,
    criteria: Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
      const c: Record<string, string> = {};
      for (const f of ["subject", "cloudEventSource", "cloudEventType", "cloudEventSubject"]) {
        if (r() < 0.5) c[f] = pattern();
      }
      return c;
    }),
  }));
  const events: EventFields[] = Array.from({ length: 60 }, () => ({
    subscription: value(),
    natsSubject: r() < 0.5 ? value() : "",
    source: value(),
    type: value(),
    subject: value(),
  }));
  return { sources, events };
}

describe("index - equals brute force", () => {
  test.each(Array.from({ length: 20 }, (_, i) => [i + 1]))("index - random patterns and events, seed %i", (seed) => {
    const { sources, events } = gen(seed);
    const cache = new PatternCache();
    const index = new CriteriaIndex(sources.map((s) => compileSource(s.name, s.criteria, cache)));
    let matched = 0;
    for (const ev of events) {
      const want = bruteForceMatch(sources, ev);
      expect(index.match(ev)).toEqual(want);
      matched += want.length;
    }
    // The generator must produce both outcomes, or the comparison proves nothing.
    expect(matched).toBeGreaterThan(0);
    expect(matched).toBeLessThan(sources.length * events.length);
  });

  test("index - most criteria are filed under a key, not tried for every event", () => {
    const sources = Array.from({ length: 1000 }, (_, i) => ({
      name: `es-${i}`,
      criteria: [{ cloudEventType: i % 2 ? `^svc${i}\\.login$` : `(?i)^svc${i}\\.(login|logout)-[0-9]+$` }],
    }));
    const index = new CriteriaIndex(sources.map((s) => compileSource(s.name, s.criteria)));
    expect(index.stats.unindexed).toBe(0);
    expect(index.stats.exact).toBe(500);
    const ev = { subscription: "s", natsSubject: "s", source: "x", type: "SVC42.logout-7", subject: "" };
    expect(index.match(ev)).toEqual([{ name: "es-42", criterion: 0 }]);
  });
});

describe("literal - shapes", () => {
  test("literal - plain strings and anchors", () => {
    expect(literalShape("^a\\.b$")).toEqual({ kind: "exact", lit: "a.b" });
    expect(literalShape("^ab")).toEqual({ kind: "prefix", lit: "ab" });
    expect(literalShape("ab$")).toEqual({ kind: "suffix", lit: "ab" });
    expect(literalShape("a-b")).toEqual({ kind: "contains", lit: "a-b" });
    expect(literalShape("a.b")).toBeUndefined();
    expect(literalShape("(?i)ab")).toBeUndefined();
    expect(literalShape("a\\d")).toBeUndefined();
  });

  test("literal - anchored prefix stops before a quantified character and at alternation", () => {
    expect(anchoredPrefix("^abc?d")).toBe("ab");
    expect(anchoredPrefix("^a\\.b/.*")).toBe("a.b/");
    expect(anchoredPrefix("^ab|c")).toBe("");
    expect(anchoredPrefix("ab")).toBe("");
    expect(anchoredPrefix("^😀+")).toBe("");
  });
});

describe("ahocorasick - scan", () => {
  test("ahocorasick - reports overlapping and nested atoms", () => {
    const ac = new AhoCorasick();
    for (const [i, w] of ["he", "she", "his", "hers", "e"].entries()) ac.add(w, i);
    ac.build();
    const hits: number[] = [];
    ac.scanInto("ushers", hits);
    expect(hits.sort()).toEqual([0, 1, 3, 4]);
  });
});

describe("index - incremental updates", () => {
  test.each(Array.from({ length: 10 }, (_, i) => [i + 1]))(
    "index - random upserts and removals give the same matches as a full build, seed %i",
    (seed) => {
      const r = rng(seed * 7919);
      const { sources: pool, events } = gen(seed);
      const alt = gen(seed + 1000).sources;
      const names = pool.map((s) => s.name);
      const cache = new PatternCache();
      const live = new Map<string, (typeof pool)[number]["criteria"]>();
      // Start from half of the pool, built in one go.
      for (const s of pool) if (r() < 0.5) live.set(s.name, s.criteria);
      const compiledAll = () => [...live.keys()].sort().map((n) => compileSource(n, live.get(n), cache));
      const index = new CriteriaIndex(compiledAll());
      let matched = 0;
      for (let step = 0; step < 300; step++) {
        const name = names[Math.floor(r() * names.length)]!;
        const roll = r();
        if (live.has(name) && roll < 0.35) {
          live.delete(name);
          expect(index.remove(name)).toBe(true);
        } else {
          const criteria =
            roll > 0.97
              ? [{ subject: "(" }] // does not compile: kept aside as invalid
              : (roll > 0.6 ? alt : pool)[Math.floor(r() * pool.length)]!.criteria;
          live.set(name, criteria);
          index.upsert(compileSource(name, criteria, cache));
        }
        if (step % 10 !== 9) continue;
        const full = new CriteriaIndex(compiledAll());
        const sorted = [...live.keys()].sort().map((n) => ({ name: n, criteria: live.get(n)! }));
        for (const ev of events.slice(0, 20)) {
          const want = bruteForceMatch(sorted, ev);
          expect(full.match(ev)).toEqual(want);
          expect(index.match(ev)).toEqual(want);
          matched += want.length;
        }
        const { sources, invalid, criteria } = full.stats;
        expect(index.stats).toMatchObject({ sources, invalid, criteria });
        expect(index.invalid.map((s) => s.name)).toEqual(full.invalid.map((s) => s.name));
      }
      expect(matched).toBeGreaterThan(0);
    },
  );

  test("index - many additions one by one keep lookups indexed after the refile", () => {
    const index = new CriteriaIndex();
    for (let i = 0; i < 2000; i++) {
      index.upsert(compileSource(`es-${i}`, [{ subject: "events", cloudEventType: `(?i)^svc${i}\\.login$` }]));
    }
    const ev = { subscription: "events", natsSubject: "events", source: "x", type: "SVC42.login", subject: "" };
    expect(index.match(ev)).toEqual([{ name: "es-42", criterion: 0 }]);
    // After the refile no criterion is filed under the subject every source shares.
    expect(index.stats).toMatchObject({ sources: 2000, criteria: 2000, unindexed: 0, exact: 0, atoms: 2000 });
    expect(index.remove("es-42")).toBe(true);
    expect(index.remove("es-42")).toBe(false);
    expect(index.match(ev)).toEqual([]);
  });
});
