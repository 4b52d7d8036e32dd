// The lookup structures of one event field: exact values (hash), literal prefixes (trie) and required atoms
// (Aho-Corasick). Criteria are filed and unfiled one at a time, so a configuration change costs work and garbage
// proportional to the change, not to the number of EventSources.
import { AhoCorasick } from "./ahocorasick.js";
import type { AtomSet } from "./atoms.js";
import type { FieldTest } from "./compile.js";

export type IndexKey =
  | { cat: "exact"; key: string }
  | { cat: "prefix"; key: string }
  | { cat: "atoms"; atoms: AtomSet; fold: boolean };

/** Every key a field test could be filed under (a criterion is filed under one key of one field). */
export function keysOf(t: FieldTest): IndexKey[] {
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

/** Removes one occurrence of `v` (order is not kept: lists are candidate sets). */
export function removeFrom(list: number[], v: number): void {
  const i = list.indexOf(v);
  if (i < 0) return;
  list[i] = list[list.length - 1]!;
  list.pop();
}

export class FieldIndex {
  readonly exact = new Map<string, number[]>();
  readonly prefix = new PrefixTrie();
  readonly atoms = new AtomTable();
  readonly atomsFold = new AtomTable();

  file(k: IndexKey, crit: number): void {
    if (k.cat === "exact") {
      const list = this.exact.get(k.key);
      if (list) list.push(crit);
      else this.exact.set(k.key, [crit]);
    } else if (k.cat === "prefix") this.prefix.add(k.key, crit);
    else for (const atom of k.atoms) (k.fold ? this.atomsFold : this.atoms).add(atom, crit);
  }

  unfile(k: IndexKey, crit: number): void {
    if (k.cat === "exact") {
      const list = this.exact.get(k.key);
      if (!list) return;
      removeFrom(list, crit);
      if (list.length === 0) this.exact.delete(k.key);
    } else if (k.cat === "prefix") this.prefix.remove(k.key, crit);
    else for (const atom of k.atoms) (k.fold ? this.atomsFold : this.atoms).remove(atom, crit);
  }
}

/** Literal prefixes: walking the value once finds every registered prefix of it, without slicing strings. */
export class PrefixTrie {
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

  /** Nodes stay (a later refile of the whole index drops them); only the criterion goes. */
  remove(prefix: string, crit: number): void {
    let node = 0;
    for (let i = 0; i < prefix.length; i++) {
      const n = this.next[node]!.get(prefix.charCodeAt(i));
      if (n === undefined) return;
      node = n;
    }
    const list = this.crits[node];
    if (!list?.includes(crit)) return;
    removeFrom(list, crit);
    if (list.length === 0) this.crits[node] = undefined;
    this.size--;
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

/**
 * Atoms of one field (case-folded or not). The automaton is rebuilt lazily, on a lookup, and only once the atoms
 * added since the last build outnumber an eighth of the built ones (at least PENDING): until then they are
 * checked with `includes`. Rebuilding per batch of changes made a burst of 5,000 new atom-indexed EventSources
 * allocate ~30 MB of automatons that lived long enough to reach the old space; a burst without events now
 * builds nothing, and with events the rebuilds grow geometrically (O(n) in total).
 */
export class AtomTable {
  private static readonly PENDING = 32;
  private ids = new Map<string, number>();
  private atoms: string[] = [];
  private crits: number[][] = [];
  private ac: AhoCorasick | undefined;
  /** Atoms [0, inAc) are in the automaton. */
  private inAc = 0;
  /** Atoms with at least one criterion. */
  private live = 0;

  get size(): number {
    return this.live;
  }

  add(atom: string, crit: number): void {
    let id = this.ids.get(atom);
    if (id === undefined) {
      id = this.atoms.length;
      this.ids.set(atom, id);
      this.atoms.push(atom);
      this.crits.push([]);
    }
    const list = this.crits[id]!;
    if (list.length === 0) this.live++;
    list.push(crit);
  }

  remove(atom: string, crit: number): void {
    const id = this.ids.get(atom);
    if (id === undefined) return;
    const list = this.crits[id]!;
    const before = list.length;
    removeFrom(list, crit);
    if (before > 0 && list.length === 0) this.live--;
  }

  /** Builds the automaton over the live atoms (ids are renumbered). */
  prepare(): void {
    if (this.inAc === this.atoms.length && this.atoms.length <= 2 * this.live + AtomTable.PENDING) return;
    this.build();
  }

  private build(): void {
    const ids = new Map<string, number>();
    const atoms: string[] = [];
    const crits: number[][] = [];
    this.atoms.forEach((atom, id) => {
      const list = this.crits[id]!;
      if (list.length === 0) return;
      ids.set(atom, atoms.length);
      atoms.push(atom);
      crits.push(list);
    });
    this.ids = ids;
    this.atoms = atoms;
    this.crits = crits;
    if (atoms.length === 0) this.ac = undefined;
    else {
      const ac = new AhoCorasick();
      atoms.forEach((atom, id) => {
        ac.add(atom, id);
      });
      this.ac = ac.build();
    }
    this.inAc = atoms.length;
  }

  /** Calls `add` for every criterion filed under an atom occurring in `v`; `scratch` is reused storage. */
  collect(v: string, add: (crit: number) => void, scratch: number[]): void {
    if (this.live === 0) return;
    const pending = this.atoms.length - this.inAc;
    if (pending > AtomTable.PENDING && pending > this.inAc / 8) this.build();
    scratch.length = 0;
    this.ac?.scanInto(v, scratch);
    for (let id = this.inAc; id < this.atoms.length; id++) if (v.includes(this.atoms[id]!)) scratch.push(id);
    for (const id of scratch) for (const c of this.crits[id]!) add(c);
  }
}
