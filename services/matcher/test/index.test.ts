// The index must give exactly the brute-force answer (every pattern through re2js, every source in order).
import { AhoCorasick } from "../src/criteria/ahocorasick.js";
import { compileSource, PatternCache } from "../src/criteria/compile.js";
import { bruteForceMatch, type EventFields } from "../src/criteria/evaluate.js";
import { CriteriaIndex } from "../src/criteria/index.js";
import { anchoredPrefix, literalShape } from "../src/criteria/literal.js";

/** Small deterministic PRNG (mulberry32) so a failure is reproducible from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
