// Evaluating one event against compiled criteria, with Sveltos' semantics: the four fields are ANDed, the
// criteria of an EventSource are ORed and the first matching criterion wins (one match per EventSource).
import { RE2JS } from "re2js";
import { type CompiledCriterion, type CriteriaSpec, FIELDS, testField } from "./compile.js";

/** The values an event offers to the criteria. */
export interface EventFields {
  /**
   * The configured subscription entry that received the event (core NATS subject pattern or JetStream stream
   * name): what Sveltos tests the `subject` criterion against.
   */
  subscription: string;
  /** The concrete subject the message arrived on. */
  natsSubject: string;
  source: string;
  type: string;
  /** CE subject; "" when the event has none (Go's event.Subject()). */
  subject: string;
}

/** Fields of an event envelope as the criteria see them. */
export function eventFields(env: {
  subscription?: string;
  natsSubject?: string;
  event: { source?: unknown; type?: unknown; subject?: unknown };
}): EventFields {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    subscription: str(env.subscription),
    natsSubject: str(env.natsSubject),
    source: str(env.event.source),
    type: str(env.event.type),
    subject: str(env.event.subject),
  };
}

/**
 * All four fields of one criterion. The `subject` criterion matches when it matches the subscription entry
 * (Sveltos' behaviour, kept for compatibility) OR the concrete NATS subject (so a wildcard subscription can
 * still be told apart per subject); see the README.
 */
export function matchesCriterion(c: CompiledCriterion, ev: EventFields): boolean {
  const [subj, src, typ, ces] = c.fields;
  if (subj.test.kind !== "any" && !testField(subj.test, ev.subscription) && !testField(subj.test, ev.natsSubject)) {
    return false;
  }
  return testField(src.test, ev.source) && testField(typ.test, ev.type) && testField(ces.test, ev.subject);
}

// Reference-evaluator compile cache (undefined: invalid pattern), bounded.
const compiled = new Map<string, RE2JS | undefined>();
function re(p: string): RE2JS | undefined {
  if (!compiled.has(p)) {
    if (compiled.size >= 10_000) compiled.clear();
    try {
      compiled.set(p, RE2JS.compile(p));
    } catch {
      compiled.set(p, undefined);
    }
  }
  return compiled.get(p);
}

export interface SourceMatch {
  /** EventSource name. */
  name: string;
  /** Index of the first criterion that matched. */
  criterion: number;
}

/**
 * Reference evaluation: every pattern through re2js, every EventSource and criterion in order, no index and
 * no string shortcuts. Used by tests to check the index, and as the definition of the semantics.
 */
export function bruteForceMatch(
  sources: readonly { name: string; criteria: readonly CriteriaSpec[] }[],
  ev: EventFields,
): SourceMatch[] {
  const out: SourceMatch[] = [];
  const m = (p: string | undefined, v: string) => !p || re(p)!.test(v);
  const valid = (p: string | undefined) => !p || re(p) !== undefined;
  for (const s of sources) {
    // An invalid pattern makes the whole EventSource invalid (it never matches), as in the index.
    if (!s.criteria.every((c) => FIELDS.every((f) => valid(c[f])))) continue;
    const i = s.criteria.findIndex(
      (c) =>
        (m(c.subject, ev.subscription) || m(c.subject, ev.natsSubject)) &&
        m(c.cloudEventSource, ev.source) &&
        m(c.cloudEventType, ev.type) &&
        m(c.cloudEventSubject, ev.subject),
    );
    if (i >= 0) out.push({ name: s.name, criterion: i });
  }
  return out;
}
