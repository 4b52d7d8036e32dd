// Everything derived from the configuration: the criteria index and the trigger selector, kept up to date with
// the store's snapshots. EventSources are applied one by one (the store's change events name them), so a burst
// of 10,000 new EventSources costs 10,000 small updates instead of a rebuild per batch; the trigger selector is
// rebuilt only when triggers, clusters or cluster sets changed. Updates run synchronously between events, so an
// event is matched either entirely against the old configuration or entirely against the new one.
import type { ConfigChange, ConfigSnapshot } from "@evtrigger/config";
import { type CriterionError, compileSource, type PatternCache } from "./criteria/compile.js";
import { CriteriaIndex } from "./criteria/index.js";
import type { RenderFn } from "./select/templates.js";
import { type TriggerProblem, TriggerSelector } from "./select/triggers.js";

export interface InvalidSource {
  name: string;
  problems: { path: string; reason: string }[];
}

export interface MatchState {
  /** Snapshot version the state reflects. */
  readonly version: number;
  readonly index: CriteriaIndex;
  readonly selector: TriggerSelector;
  /** EventSources skipped: rejected by libs/config validation or with a pattern that does not compile here. */
  readonly invalidSources: InvalidSource[];
  /** Duration of the last update (full build or applied changes). */
  readonly builtMs: number;
}

/** Builds the state of one snapshot from scratch (tests, tools). */
export function buildState(
  snap: ConfigSnapshot,
  cache: PatternCache,
  render: RenderFn | undefined,
  onProblem?: (p: TriggerProblem) => void,
): MatchState {
  const keeper = new MatchStateKeeper(cache, render, onProblem);
  keeper.update(snap);
  return keeper.state;
}

/** What an update did: a full build, or how many EventSources it applied. */
export interface UpdateResult {
  full: boolean;
  applied: number;
  selectorRebuilt: boolean;
}

type SelectorInputs = Pick<ConfigSnapshot, "eventTriggers" | "clusters" | "clusterSets">;

export class MatchStateKeeper {
  private readonly index = new CriteriaIndex();
  private selector: TriggerSelector | undefined;
  private selectorInputs: SelectorInputs | undefined;
  /** EventSources named by change events since the last update. */
  private dirty = new Set<string>();
  private version: number | undefined;
  private sources: ConfigSnapshot["eventSources"] | undefined;
  private invalidMap: ConfigSnapshot["invalid"] | undefined;
  private configInvalid: InvalidSource[] = [];
  private builtMs = 0;
  private cacheSwept = 0;
  readonly state: MatchState;

  constructor(
    private readonly cache: PatternCache,
    private readonly render: RenderFn | undefined,
    private readonly onProblem?: (p: TriggerProblem) => void,
  ) {
    const self = this;
    this.state = {
      get version() {
        return self.version ?? -1;
      },
      index: this.index,
      get selector() {
        if (!self.selector) throw new Error("MatchStateKeeper: state read before the first update");
        return self.selector;
      },
      get invalidSources() {
        const compileErrors = self.index.invalid.map((s) => ({
          name: s.name,
          problems: s.errors.map((e: CriterionError) => ({ path: e.path, reason: e.reason })),
        }));
        return [...compileErrors, ...self.configInvalid];
      },
      get builtMs() {
        return self.builtMs;
      },
    };
  }

  /** Feed every change event of the store here (subscribe before the first update). */
  noteChange(change: ConfigChange): void {
    if (change.kind === "EventSource") this.dirty.add(change.key);
  }

  /** True when `snap` differs from what the state reflects. */
  stale(snap: ConfigSnapshot): boolean {
    return snap.version !== this.version || snap.invalid !== this.invalidMap;
  }

  /** Brings the state up to `snap`; undefined when it already was. */
  update(snap: ConfigSnapshot): UpdateResult | undefined {
    if (!this.stale(snap)) return undefined;
    const started = performance.now();
    const full = this.version === undefined;
    let applied = 0;
    if (full || (this.dirty.size === 0 && snap.eventSources !== this.sources)) {
      // First build, or the sources changed without change events naming them: compare everything.
      applied = this.diffAll(snap);
    } else {
      for (const name of this.dirty) if (this.apply(name, snap)) applied++;
    }
    this.dirty = new Set();
    if (applied > 0 && this.cache.size > 2 * this.cacheSwept + 256) this.sweepCache();
    // Incremental updates leave lookup structures to the next event (they rebuild lazily and amortised).
    if (full) this.index.prepare();
    let selectorRebuilt = false;
    const inputs = this.selectorInputs;
    if (
      !inputs ||
      inputs.eventTriggers !== snap.eventTriggers ||
      inputs.clusters !== snap.clusters ||
      inputs.clusterSets !== snap.clusterSets
    ) {
      // Only the three maps it reads: holding the whole snapshot would keep old EventSource maps alive.
      this.selectorInputs = {
        eventTriggers: snap.eventTriggers,
        clusters: snap.clusters,
        clusterSets: snap.clusterSets,
      };
      this.selector = new TriggerSelector(this.selectorInputs, this.render, this.onProblem);
      selectorRebuilt = true;
    }
    if (snap.invalid !== this.invalidMap) {
      this.invalidMap = snap.invalid;
      this.configInvalid = [];
      for (const [key, problems] of snap.invalid) {
        if (key.startsWith("EventSource/"))
          this.configInvalid.push({ name: key.slice("EventSource/".length), problems });
      }
    }
    this.version = snap.version;
    this.sources = snap.eventSources;
    this.builtMs = performance.now() - started;
    return { full, applied, selectorRebuilt };
  }

  /** Applies the current state of one EventSource; false when the index already had it. */
  private apply(name: string, snap: ConfigSnapshot): boolean {
    const obj = snap.eventSources.get(name);
    if (!obj) {
      return this.index.remove(name);
    }
    const criteria = obj.spec?.messagingMatchCriteria;
    // The index keeps the criteria array it compiled as the tag: same array (a status-only update), no work.
    if (this.index.has(name) && this.index.tagOf(name) === criteria) return false;
    this.index.upsert(compileSource(name, criteria, this.cache), criteria);
    return true;
  }

  private diffAll(snap: ConfigSnapshot): number {
    let applied = 0;
    for (const name of snap.eventSources.keys()) if (this.apply(name, snap)) applied++;
    const { sources, invalid } = this.index.stats;
    if (sources + invalid > snap.eventSources.size) {
      for (const s of [...this.index.sources, ...this.index.invalid]) {
        if (!snap.eventSources.has(s.name) && this.apply(s.name, snap)) applied++;
      }
    }
    return applied;
  }

  /** Forgets compiled patterns no EventSource uses any more (amortised: when the cache doubled). */
  private sweepCache(): void {
    const keep: string[] = [];
    for (const s of this.index.sources) for (const c of s.criteria) for (const f of c.fields) keep.push(f.pattern);
    this.cache.sweep(keep);
    this.cacheSwept = this.cache.size;
  }
}
