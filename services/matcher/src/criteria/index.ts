// The criteria index: for one event, find the few criteria that can possibly match without testing all of
// them. Every criterion is filed under its most selective field key: an exact value (hash lookup), a literal
// prefix (trie walk) or a set of required atoms (one Aho-Corasick scan per field). Only criteria with no usable
// key at all (e.g. `[a-z]+` everywhere) are tried for every event. Candidates are then verified with the full
// semantics; the first matching criterion of each EventSource wins, and matches come out sorted by name.
//
// EventSources are added, replaced and removed one at a time (upsert/remove): a change to one EventSource costs
// work and garbage proportional to its criteria. Rebuilding the whole index per change made a burst of 10,000
// new EventSources leave ~130 MB of dead indexes in the old space. "Rarest key" is judged with the document
// frequencies at filing time; once as many criteria have changed as there were at the last full filing, the
// next lookup refiles everything with current frequencies (amortised O(1) per change).
import { type CompiledCriterion, type CompiledSource, FIELDS } from "./compile.js";
import { type EventFields, matchesCriterion, type SourceMatch } from "./evaluate.js";
import { FieldIndex, type IndexKey, keysOf, removeFrom } from "./fieldIndex.js";
import { foldAscii } from "./literal.js";

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

interface SourceEntry {
  src: CompiledSource;
  /** The caller's token for what was compiled (upsert's `tag`): lets it skip unchanged specs. */
  tag: unknown;
  /** Criterion ids, ascending in criterion order (candidates are verified in id order: first match wins). */
  ids: number[];
  /** Epoch of the lookup that matched this source already. */
  stamp: number;
}

/** Where a criterion is filed: a key of field `f`, or (f = -1) the always-tried list. */
interface Filing {
  f: number;
  k: IndexKey | undefined;
}

const ALWAYS: Filing = { f: -1, k: undefined };
const REFILE_MIN_CHURN = 64;

export class CriteriaIndex {
  private readonly valid = new Map<string, SourceEntry>();
  private readonly broken = new Map<string, { src: CompiledSource; tag: unknown }>();
  private crits: (CompiledCriterion | undefined)[] = [];
  private owner: (SourceEntry | undefined)[] = [];
  private filing: (Filing | undefined)[] = [];
  private freeIds: number[] = [];
  private critStamp = new Uint32Array(64);
  /**
   * Document frequencies per field and key category (DF_* + 4 * field), keyed by the literal itself: the
   * literals are held by the compiled criteria anyway, so the maps add no strings.
   */
  private readonly df: Map<string, number>[] = Array.from({ length: 4 * FIELDS.length }, () => new Map());
  private fields: FieldIndex[] = FIELDS.map(() => new FieldIndex());
  private always: number[] = [];
  private filed = { exact: 0, prefix: 0, atoms: 0 };
  private liveCrits = 0;
  /** Criteria added or removed since the last full filing, and how many there were then. */
  private churn = 0;
  private filedAtRefile = 0;
  private epoch = 0;
  private readonly cands: number[] = [];
  private readonly scratch: number[] = [];

  /** Builds the index over `compiled` (EventSources with compile errors are kept aside as invalid). */
  constructor(compiled: readonly CompiledSource[] = []) {
    for (const s of compiled) this.insert(s, false);
    this.refile();
  }

  /** Valid EventSources, sorted by name. */
  get sources(): CompiledSource[] {
    return [...this.valid.values()].map((e) => e.src).sort((a, b) => cmp(a.name, b.name));
  }

  /** EventSources with a pattern that does not compile: skipped, reported. Sorted by name. */
  get invalid(): CompiledSource[] {
    return [...this.broken.values()].map((b) => b.src).sort((a, b) => cmp(a.name, b.name));
  }

  /** The `tag` given with the EventSource's last upsert (undefined if none or unknown). */
  tagOf(name: string): unknown {
    return (this.valid.get(name) ?? this.broken.get(name))?.tag;
  }

  get stats(): IndexStats {
    return {
      sources: this.valid.size,
      invalid: this.broken.size,
      criteria: this.liveCrits,
      ...this.filed,
      unindexed: this.always.length,
    };
  }

  has(name: string): boolean {
    return this.valid.has(name) || this.broken.has(name);
  }

  /** Adds the EventSource, or replaces the one with the same name. `tag`: see tagOf. */
  upsert(src: CompiledSource, tag?: unknown): void {
    this.remove(src.name);
    this.insert(src, true, tag);
  }

  /** Removes the EventSource named `name` (valid or invalid); false if there was none. */
  remove(name: string): boolean {
    if (this.broken.delete(name)) return true;
    const e = this.valid.get(name);
    if (!e) return false;
    this.valid.delete(name);
    for (const id of e.ids) {
      this.unfile(id);
      this.dfAddAll(this.crits[id]!, -1);
      this.crits[id] = undefined;
      this.owner[id] = undefined;
      this.freeIds.push(id);
    }
    this.liveCrits -= e.ids.length;
    this.churn += e.ids.length;
    return true;
  }

  private insert(src: CompiledSource, file: boolean, tag?: unknown): void {
    if (src.errors.length > 0) {
      this.broken.set(src.name, { src, tag });
      return;
    }
    let next = this.crits.length;
    const ids = src.criteria.map(() => this.freeIds.pop() ?? next++).sort((a, b) => a - b);
    const e: SourceEntry = { src, tag, ids, stamp: 0 };
    this.valid.set(src.name, e);
    ids.forEach((id, i) => {
      const c = src.criteria[i]!;
      while (this.crits.length <= id) {
        this.crits.push(undefined);
        this.owner.push(undefined);
        this.filing.push(undefined);
      }
      this.crits[id] = c;
      this.owner[id] = e;
      this.dfAddAll(c, 1);
    });
    if (this.critStamp.length < this.crits.length) {
      const grown = new Uint32Array(Math.max(this.crits.length, 2 * this.critStamp.length));
      grown.set(this.critStamp);
      this.critStamp = grown;
    }
    this.liveCrits += ids.length;
    if (file) {
      for (const id of ids) this.file(id);
      this.churn += ids.length;
    }
  }

  private dfMap(f: number, k: IndexKey): Map<string, number> {
    const cat = k.cat === "exact" ? 0 : k.cat === "prefix" ? 1 : k.fold ? 3 : 2;
    return this.df[4 * f + cat]!;
  }

  private dfOf(f: number, k: IndexKey, key: string): number {
    return this.dfMap(f, k).get(key) ?? 1;
  }

  /** Counts (d = 1) or uncounts (d = -1) every key a criterion could be filed under, atoms one by one. */
  private dfAddAll(c: CompiledCriterion, d: number): void {
    for (let f = 0; f < c.fields.length; f++) {
      for (const k of keysOf(c.fields[f]!.test)) {
        const m = this.dfMap(f, k);
        for (const key of k.cat === "atoms" ? k.atoms : [k.key]) {
          const n = (m.get(key) ?? 0) + d;
          if (n > 0) m.set(key, n);
          else m.delete(key);
        }
      }
    }
  }

  /** Files a criterion under its rarest key by the current document frequencies. */
  private file(id: number): void {
    const c = this.crits[id]!;
    let best: Filing = ALWAYS;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let f = 0; f < c.fields.length; f++) {
      for (const k of keysOf(c.fields[f]!.test)) {
        let cost: number;
        if (k.cat === "exact") cost = this.dfOf(f, k, k.key);
        else if (k.cat === "prefix") cost = this.dfOf(f, k, k.key) + 0.5;
        else {
          cost = 1;
          for (const a of k.atoms) cost += this.dfOf(f, k, a);
        }
        if (cost < bestCost) {
          best = { f, k };
          bestCost = cost;
        }
      }
    }
    this.filing[id] = best;
    if (!best.k) this.always.push(id);
    else {
      this.fields[best.f]!.file(best.k, id);
      this.filed[best.k.cat]++;
    }
  }

  private unfile(id: number): void {
    const at = this.filing[id];
    if (!at) return;
    this.filing[id] = undefined;
    if (!at.k) removeFrom(this.always, id);
    else {
      this.fields[at.f]!.unfile(at.k, id);
      this.filed[at.k.cat]--;
    }
  }

  /** Files every criterion again from scratch with the current document frequencies. */
  private refile(): void {
    this.fields = FIELDS.map(() => new FieldIndex());
    this.always = [];
    this.filed = { exact: 0, prefix: 0, atoms: 0 };
    this.filing = this.crits.map(() => undefined);
    for (let id = 0; id < this.crits.length; id++) if (this.crits[id]) this.file(id);
    this.prepare();
    this.churn = 0;
    this.filedAtRefile = this.liveCrits;
  }

  /** Builds pending lookup structures now rather than on the next event (after a batch of changes). */
  prepare(): void {
    for (const fi of this.fields) {
      fi.atoms.prepare();
      fi.atomsFold.prepare();
    }
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
    fi.atoms.collect(v, this.add, this.scratch);
    if (fi.atomsFold.size) fi.atomsFold.collect(foldAscii(v), this.add, this.scratch);
  }

  /** EventSources matched by the event, sorted by name, each with its first matching criterion. */
  match(ev: EventFields): SourceMatch[] {
    if (this.churn > REFILE_MIN_CHURN && this.churn > this.filedAtRefile) this.refile();
    if (++this.epoch === 0xffffffff) {
      this.critStamp.fill(0);
      for (const e of this.valid.values()) e.stamp = 0;
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
      const e = this.owner[crit]!;
      if (e.stamp === this.epoch) continue;
      const c = this.crits[crit]!;
      if (matchesCriterion(c, ev)) {
        e.stamp = this.epoch;
        out.push({ name: e.src.name, criterion: c.index });
      }
    }
    if (out.length > 1) out.sort((a, b) => cmp(a.name, b.name));
    return out;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
