// Which EventTriggers fire for (source cluster, matched EventSource), precomputed per configuration snapshot.
// A trigger fires when its eventSourceName (rendered over .Cluster when templated) names the EventSource and the
// cluster is selected by its sourceClusterSelector or one of its clusterSetRefs (libs/config's selection rules).
import { type ConfigSnapshot, type EventTrigger, selectClusters } from "@evtrigger/config";
import { isTemplate, type RenderFn } from "./templates.js";

export interface TriggerProblem {
  trigger: string;
  cluster: string;
  reason: string;
}

/** The parts of a configuration snapshot trigger selection reads. */
export type SelectorConfig = Pick<ConfigSnapshot, "eventTriggers" | "clusters" | "clusterSets">;

export class TriggerSelector {
  /** Non-templated triggers by EventSource name, sorted by trigger name. */
  private readonly byName = new Map<string, EventTrigger[]>();
  private readonly templated: EventTrigger[] = [];
  /** trigger name → selected cluster keys; computed on first use. */
  private readonly selected = new Map<string, Set<string>>();
  /** `${cluster}\0${es}` → triggers; computed on first use. */
  private readonly memo = new Map<string, readonly EventTrigger[]>();
  /** `${trigger}\0${cluster}` → rendered name (undefined: render failed). */
  private readonly rendered = new Map<string, string | undefined>();

  constructor(
    private readonly snapshot: SelectorConfig,
    private readonly render: RenderFn | undefined,
    private readonly onProblem: (p: TriggerProblem) => void = () => {},
  ) {
    const all = [...snapshot.eventTriggers.values()].sort((a, b) => cmp(a.metadata.name, b.metadata.name));
    for (const t of all) {
      const name = t.spec.eventSourceName;
      if (isTemplate(name)) this.templated.push(t);
      else {
        const list = this.byName.get(name);
        if (list) list.push(t);
        else this.byName.set(name, [t]);
      }
    }
  }

  get triggerCount(): number {
    return this.snapshot.eventTriggers.size;
  }

  /** Triggers that fire for an event from `clusterKey` ("ns/name") matching EventSource `es`, by name. */
  triggersFor(clusterKey: string, es: string): readonly EventTrigger[] {
    const memoKey = `${clusterKey}\u0000${es}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const out: EventTrigger[] = [];
    // Unknown clusters select nothing; not memoised so foreign names cannot grow the memo.
    if (!this.snapshot.clusters.has(clusterKey)) return out;
    for (const t of this.byName.get(es) ?? []) if (this.selects(t, clusterKey)) out.push(t);
    for (const t of this.templated) {
      if (this.selects(t, clusterKey) && this.renderedName(t, clusterKey) === es) out.push(t);
    }
    if (this.templated.length) out.sort((a, b) => cmp(a.metadata.name, b.metadata.name));
    this.memo.set(memoKey, out);
    return out;
  }

  private selects(t: EventTrigger, clusterKey: string): boolean {
    let set = this.selected.get(t.metadata.name);
    if (!set) {
      const picked = selectClusters(this.snapshot, {
        clusterSelector: t.spec.sourceClusterSelector,
        clusterSetRefs: t.spec.clusterSetRefs,
      });
      set = new Set(picked.map((c) => c.key));
      this.selected.set(t.metadata.name, set);
    }
    return set.has(clusterKey);
  }

  private renderedName(t: EventTrigger, clusterKey: string): string | undefined {
    const key = `${t.metadata.name}\u0000${clusterKey}`;
    if (this.rendered.has(key)) return this.rendered.get(key);
    let name: string | undefined;
    const cluster = this.snapshot.clusters.get(clusterKey);
    if (!this.render) {
      this.onProblem({
        trigger: t.metadata.name,
        cluster: clusterKey,
        reason: "spec.eventSourceName is a template but the Go template engine is not available",
      });
    } else {
      try {
        name = this.render(`${t.metadata.name}-eventSourceName`, t.spec.eventSourceName, {
          Cluster: cluster?.object as unknown as Record<string, unknown>,
        }).trim();
      } catch (err) {
        this.onProblem({
          trigger: t.metadata.name,
          cluster: clusterKey,
          reason: `spec.eventSourceName: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
    this.rendered.set(key, name);
    return name;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
