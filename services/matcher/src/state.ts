// Everything derived from one configuration snapshot: the criteria index and the trigger selector. Rebuilt as
// a whole when the snapshot version changes and swapped in atomically, so an event is matched either entirely
// against the old configuration or entirely against the new one.
import type { ConfigSnapshot } from "@evtrigger/config";
import { type CriterionError, compileSource, type PatternCache } from "./criteria/compile.js";
import { CriteriaIndex } from "./criteria/index.js";
import type { RenderFn } from "./select/templates.js";
import { type TriggerProblem, TriggerSelector } from "./select/triggers.js";

export interface InvalidSource {
  name: string;
  problems: { path: string; reason: string }[];
}

export interface MatchState {
  version: number;
  index: CriteriaIndex;
  selector: TriggerSelector;
  /** EventSources skipped: rejected by libs/config validation or with a pattern that does not compile here. */
  invalidSources: InvalidSource[];
  builtMs: number;
}

export function buildState(
  snap: ConfigSnapshot,
  cache: PatternCache,
  render: RenderFn | undefined,
  onProblem?: (p: TriggerProblem) => void,
): MatchState {
  const started = performance.now();
  const names = [...snap.eventSources.keys()].sort();
  const compiled = names.map((n) => compileSource(n, snap.eventSources.get(n)!.spec?.messagingMatchCriteria, cache));
  cache.sweep();
  const index = new CriteriaIndex(compiled);
  const invalidSources: InvalidSource[] = index.invalid.map((s) => ({
    name: s.name,
    problems: s.errors.map((e: CriterionError) => ({ path: e.path, reason: e.reason })),
  }));
  for (const [key, problems] of snap.invalid) {
    if (!key.startsWith("EventSource/")) continue;
    invalidSources.push({ name: key.slice("EventSource/".length), problems });
  }
  return {
    version: snap.version,
    index,
    selector: new TriggerSelector(snap, render, onProblem),
    invalidSources,
    builtMs: performance.now() - started,
  };
}
