import { KubeEmulatorError } from "./errors.js";

// Fault injection for reliability tests: the next N requests matching a pattern fail in a chosen way.

export interface FaultMatch {
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  pathPrefix?: string;
}

export type FaultAction =
  | { status: 429; retryAfterSeconds?: number }
  | { status: 500 }
  | { delayMs: number }
  | { drop: true };

export interface FaultSpec {
  match?: FaultMatch;
  /** How many matching requests to hit; default 1 (unlimited when only `probability` is given). */
  count?: number;
  /** Chance (0..1] that a matching request is hit. */
  probability?: number;
  action: FaultAction;
}

export interface RequestFacts {
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  path: string;
}

interface Armed {
  id: string;
  spec: FaultSpec;
  remaining: number;
}

export class FaultInjector {
  private readonly faults: Armed[] = [];
  private seq = 0;

  /** Arms a fault; returns its id (for `remove`). Throws EVT_KUBEEMU_FAULT on a malformed spec. */
  inject(spec: FaultSpec): string {
    checkSpec(spec);
    const id = `fault-${++this.seq}`;
    const remaining = spec.count ?? (spec.probability !== undefined ? Number.POSITIVE_INFINITY : 1);
    this.faults.push({ id, spec: structuredClone(spec), remaining });
    return id;
  }

  remove(id: string): boolean {
    const i = this.faults.findIndex((f) => f.id === id);
    if (i >= 0) this.faults.splice(i, 1);
    return i >= 0;
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): { id: string; spec: FaultSpec; remaining: number }[] {
    return this.faults.map((f) => ({ id: f.id, spec: f.spec, remaining: f.remaining }));
  }

  /** The action for this request, if a fault fires; consumes one use of it. */
  take(req: RequestFacts): FaultAction | undefined {
    for (const f of this.faults) {
      if (!matches(f.spec.match, req)) continue;
      if (f.spec.probability !== undefined && Math.random() >= f.spec.probability) continue;
      f.remaining--;
      if (f.remaining <= 0) this.faults.splice(this.faults.indexOf(f), 1);
      return f.spec.action;
    }
    return undefined;
  }
}

function matches(m: FaultMatch | undefined, r: RequestFacts): boolean {
  if (!m) return true;
  return (
    (m.verb === undefined || m.verb === r.verb) &&
    (m.resource === undefined || m.resource === r.resource) &&
    (m.namespace === undefined || m.namespace === r.namespace) &&
    (m.name === undefined || m.name === r.name) &&
    (m.pathPrefix === undefined || r.path.startsWith(m.pathPrefix))
  );
}

export function checkSpec(spec: unknown): asserts spec is FaultSpec {
  const bad = (why: string) => new KubeEmulatorError("EVT_KUBEEMU_FAULT", `invalid fault spec: ${why}`);
  if (typeof spec !== "object" || spec === null) throw bad("must be an object");
  const s = spec as Record<string, unknown>;
  const a = s.action as Record<string, unknown> | undefined;
  if (typeof a !== "object" || a === null) throw bad("action is required");
  const ok =
    a.status === 429 || a.status === 500 || (typeof a.delayMs === "number" && a.delayMs >= 0) || a.drop === true;
  if (!ok) throw bad("action must be {status:429[,retryAfterSeconds]}, {status:500}, {delayMs:n} or {drop:true}");
  if (s.count !== undefined && !(typeof s.count === "number" && s.count >= 1)) throw bad("count must be a number >= 1");
  if (s.probability !== undefined && !(typeof s.probability === "number" && s.probability > 0 && s.probability <= 1))
    throw bad("probability must be in (0, 1]");
  if (s.match !== undefined && (typeof s.match !== "object" || s.match === null)) throw bad("match must be an object");
}
