// The criteria index: for one event, find the few criteria that can possibly match without testing all of
// them. Every criterion is filed under its most selective field key: an exact value (hash lookup), a literal
// prefix (hash lookup per distinct prefix length) or a set of required atoms (one Aho-Corasick scan per field).
// Only criteria with no usable key at all (e.g. `[a-z]+` everywhere) are tried for every event. Candidates are
// then verified with the full semantics, in (EventSource, criterion) order so the first match wins.
import { AhoCorasick } from "./ahocorasick.js";
import type { AtomSet } from "./atoms.js";
import { type CompiledCriterion, type CompiledSource, FIELDS, type FieldTest } from "./compile.js";
import { type EventFields, matchesCriterion, type SourceMatch } from "./evaluate.js";
import { foldAscii } from "./literal.js";

type IndexKey =
  | { cat: "exact"; key: string }
  | { cat: "prefix"; key: string }
  | { cat: "atoms"; atoms: AtomSet; fold: boolean };

function keysOf(t: FieldTest): IndexKey[] {
  switch (t.kind) {
    case "any":
      return [];
    case "exact":
      return [{ cat: "exact", key: t.lit }];
    case "prefix":
      return [{ cat: "prefix", key: t.lit }];
    case "suffix":
    case "contains":
      return [{ cat: "atoms", atoms: [t.lit], fold: false }];
    case "regex": {
      const out: IndexKey[] = [];
      if (t.prefix) out.push({ cat: "prefix", key: t.prefix });
      for (const a of t.atoms?.alternatives ?? []) out.push({ cat: "atoms", atoms: a, fold: t.atoms!.fold });
      return out;
    }
  }
}

const dfKey = (f: number, k: IndexKey, atom?: string) =>
  k.cat === "atoms" ? `${f}\u0000${k.fold ? "F" : "A"}\u0000${atom}` : `${f}\u0000${k.cat}\u0000${k.key}`;

class FieldIndex {
  readonly exact = new Map<string, number[]>();
  readonly prefix = new PrefixTrie();
  private atomIds = new Map<string, number>();
  private atomIdsFold = new Map<string, number>();
  readonly atomCrits: number[][] = [];
  readonly atomCritsFold: number[][] = [];
  ac: AhoCorasick | undefined;
  acFold: AhoCorasick | undefined;

  file(k: IndexKey, crit: number): void {
    if (k.cat === "exact") push(this.exact, k.key, crit);
    else if (k.cat === "prefix") this.prefix.add(k.key, crit);
    else {
      const ids = k.fold ? this.atomIdsFold : this.atomIds;
      const crits = k.fold ? this.atomCritsFold : this.atomCrits;
      for (const atom of k.atoms) {
        let id = ids.get(atom);
        if (id === undefined) {
          id = crits.length;
          ids.set(atom, id);
          crits.push([]);
        }
        crits[id]!.push(crit);
      }
    }
  }

  seal(): void {
    if (this.atomIds.size) {
      this.ac = new AhoCorasick();
      for (const [atom, id] of this.atomIds) this.ac.add(atom, id);
      this.ac.build();
    }
    if (this.atomIdsFold.size) {
      this.acFold = new AhoCorasick();
      for (const [atom, id] of this.atomIdsFold) this.acFold.add(atom, id);
      this.acFold.build();
    }
    this.atomIds = new Map();
    this.atomIdsFold = new Map();
  }
}

/** Literal prefixes: walking the value once finds every registered prefix of it, without slicing strings. */
class PrefixTrie {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly crits: (number[] | undefined)[] = [undefined];
  size = 0;

  add(prefix: string, crit: number): void {
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const c = prefix.charCodeAt(i);
      let child = this.next[node]!.get(c);
      if (child === undefined) {
        child = this.next.length;
        this.next.push(new Map());
        this.crits.push(undefined);
        this.next[node]!.set(c, child);
      }
      node = child;
    }
    const list = this.crits[node];
    if (list) list.push(crit);
    else this.crits[node] = [crit];
    this.size++;
  }

  /** Appends the criteria of every registered prefix of `v`. */
  collect(v: string, add: (crit: number) => void): void {
    let node = 0;
    for (let i = 0; i < v.length; i++) {
      const n = this.next[node]!.get(v.charCodeAt(i));
      if (n === undefined) return;
      node = n;
      const list = this.crits[node];
      if (list) for (const c of list) add(c);
    }
  }
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}

export interface IndexStats {
  sources: number;
  invalid: number;
  criteria: number;
  exact: number;
  prefix: number;
  atoms: number;
  /** Criteria tried for every event (no usable key). */
  unindexed: number;
}

export class CriteriaIndex {
  /** Valid EventSources, in the order given (callers sort by name). */
  readonly sources: readonly CompiledSource[];
  /** EventSources with a pattern that does not compile: skipped, reported. */
  readonly invalid: readonly CompiledSource[];
  readonly stats: IndexStats;
  private readonly critSource: Int32Array;
  private readonly crits: CompiledCriterion[] = [];
  private readonly fields: FieldIndex[] = FIELDS.map(() => new FieldIndex());
  private readonly always: number[] = [];
  private readonly critStamp: Uint32Array;
  private readonly srcStamp: Uint32Array;
  private epoch = 0;
  private readonly cands: number[] = [];
  private readonly atoms: number[] = [];

  constructor(compiled: readonly CompiledSource[]) {
    this.sources = compiled.filter((s) => s.errors.length === 0);
    this.invalid = compiled.filter((s) => s.errors.length > 0);
    const owner: number[] = [];
    this.sources.forEach((s, si) => {
      for (const c of s.criteria) {
        this.crits.push(c);
        owner.push(si);
      }
    });
    this.critSource = Int32Array.from(owner);
    this.critStamp = new Uint32Array(this.crits.length);
    this.srcStamp = new Uint32Array(this.sources.length);

    // Pass 1: how many criteria could use each key (document frequency), to file each under its rarest one.
    const df = new Map<string, number>();
    const keys = this.crits.map((c) => c.fields.map((f) => keysOf(f.test)));
    for (const perField of keys) {
      perField.forEach((ks, f) => {
        for (const k of ks) {
          if (k.cat === "atoms") for (const a of k.atoms) df.set(dfKey(f, k, a), (df.get(dfKey(f, k, a)) ?? 0) + 1);
          else df.set(dfKey(f, k), (df.get(dfKey(f, k)) ?? 0) + 1);
        }
      });
    }
    const cost = (f: number, k: IndexKey): number => {
      if (k.cat === "exact") return df.get(dfKey(f, k))!;
      if (k.cat === "prefix") return df.get(dfKey(f, k))! + 0.5;
      let sum = 1;
      for (const a of k.atoms) sum += df.get(dfKey(f, k, a))!;
      return sum;
    };
    let exact = 0;
    let prefix = 0;
    let atoms = 0;
    // Pass 2: file each criterion once.
    keys.forEach((perField, crit) => {
      let best: { f: number; k: IndexKey; c: number } | undefined;
      perField.forEach((ks, f) => {
        for (const k of ks) {
          const c = cost(f, k);
          if (!best || c < best.c) best = { f, k, c };
        }
      });
      if (!best) {
        this.always.push(crit);
        return;
      }
      this.fields[best.f]!.file(best.k, crit);
      if (best.k.cat === "exact") exact++;
      else if (best.k.cat === "prefix") prefix++;
      else atoms++;
    });
    for (const fi of this.fields) fi.seal();
    this.stats = {
      sources: this.sources.length,
      invalid: this.invalid.length,
      criteria: this.crits.length,
      exact,
      prefix,
      atoms,
      unindexed: this.always.length,
    };
  }

  private readonly add = (crit: number): void => {
    if (this.critStamp[crit] !== this.epoch) {
      this.critStamp[crit] = this.epoch;
      this.cands.push(crit);
    }
  };

  private collect(f: number, v: string): void {
    const fi = this.fields[f]!;
    const ex = fi.exact.get(v);
    if (ex) for (const c of ex) this.add(c);
    if (fi.prefix.size) fi.prefix.collect(v, this.add);
    const atoms = this.atoms;
    if (fi.ac) {
      atoms.length = 0;
      fi.ac.scanInto(v, atoms);
      for (const id of atoms) for (const c of fi.atomCrits[id]!) this.add(c);
    }
    if (fi.acFold) {
      atoms.length = 0;
      fi.acFold.scanInto(foldAscii(v), atoms);
      for (const id of atoms) for (const c of fi.atomCritsFold[id]!) this.add(c);
    }
  }

  /** EventSources matched by the event, in index order, each with its first matching criterion. */
  match(ev: EventFields): SourceMatch[] {
    if (++this.epoch === 0xffffffff) {
      this.critStamp.fill(0);
      this.srcStamp.fill(0);
      this.epoch = 1;
    }
    this.cands.length = 0;
    this.collect(0, ev.subscription);
    if (ev.natsSubject !== ev.subscription) this.collect(0, ev.natsSubject);
    this.collect(1, ev.source);
    this.collect(2, ev.type);
    this.collect(3, ev.subject);
    for (const c of this.always) this.add(c);
    const cands = this.cands;
    if (cands.length > 1) cands.sort((a, b) => a - b);
    const out: SourceMatch[] = [];
    for (const crit of cands) {
      const si = this.critSource[crit]!;
      if (this.srcStamp[si] === this.epoch) continue;
      const c = this.crits[crit]!;
      if (matchesCriterion(c, ev)) {
        this.srcStamp[si] = this.epoch;
        out.push({ name: this.sources[si]!.name, criterion: c.index });
      }
    }
    return out;
  }
}
