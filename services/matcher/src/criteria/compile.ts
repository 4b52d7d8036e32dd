// Compiling EventSource messaging criteria once per configuration change. Each field becomes a test with the
// same answer as Go's regexp.MatchString (unanchored RE2; empty matches anything): plain-string patterns use
// string operations, everything else runs in re2js. Never JavaScript's RegExp on a user pattern.
import { RE2JS } from "re2js";
import { type RequiredAtoms, requiredAtoms } from "./atoms.js";
import { anchoredPrefix, type LiteralShape, literalShape } from "./literal.js";

/** The four criterion fields, in the order Sveltos lists them. */
export const FIELDS = ["subject", "cloudEventSource", "cloudEventType", "cloudEventSubject"] as const;
export type FieldName = (typeof FIELDS)[number];
export const FIELD_INDEX: Record<FieldName, number> = {
  subject: 0,
  cloudEventSource: 1,
  cloudEventType: 2,
  cloudEventSubject: 3,
};

/** Shape of one messagingMatchCriteria entry (libs/config's MessagingMatchCriteria). */
export interface CriteriaSpec {
  subject?: string;
  cloudEventSource?: string;
  cloudEventType?: string;
  cloudEventSubject?: string;
}

export type FieldTest =
  | { kind: "any" }
  | LiteralShape
  | {
      kind: "regex";
      pattern: string;
      /**
       * Compiled on the first test: a re2js program is ~9 KB, so 5,000 regex criteria that seldom or never run
       * would keep ~45 MB resident. The pattern was compiled once already (syntax check, prefilter atoms).
       */
      re: RE2JS | undefined;
      /** Literal every match starts with (`^`-anchored patterns), "" when unknown. */
      prefix: string;
      atoms: RequiredAtoms | undefined;
    };

export interface CompiledField {
  pattern: string;
  test: FieldTest;
}

export interface CompiledCriterion {
  /** Position in spec.messagingMatchCriteria: first match wins, so lower is reported. */
  index: number;
  /** Indexed by FIELD_INDEX. */
  fields: [CompiledField, CompiledField, CompiledField, CompiledField];
}

export interface CriterionError {
  path: string;
  pattern: string;
  reason: string;
}

export interface CompiledSource {
  name: string;
  criteria: CompiledCriterion[];
  /** Set when a pattern does not compile: the EventSource is invalid and never matches. */
  errors: CriterionError[];
}

const ANY: CompiledField = { pattern: "", test: { kind: "any" } };

/**
 * Compiled fields shared across rebuilds, by pattern text: re-compiling 5,000 regexes (and their prefilters) on
 * every configuration change would make a one-object edit cost seconds at 10,000 EventSources.
 */
export class PatternCache {
  private map = new Map<string, CompiledField | Error>();

  field(pattern: string): CompiledField | Error {
    let hit = this.map.get(pattern);
    if (hit === undefined) {
      try {
        hit = compileUncached(pattern);
      } catch (err) {
        hit = err instanceof Error ? err : new Error(String(err));
      }
      this.map.set(pattern, hit);
    }
    return hit;
  }

  /** Forgets every pattern not in `keep` (the patterns still in use). */
  sweep(keep: Iterable<string>): void {
    const kept = new Map<string, CompiledField | Error>();
    for (const p of keep) {
      const hit = this.map.get(p);
      if (hit !== undefined) kept.set(p, hit);
    }
    this.map = kept;
  }

  get size(): number {
    return this.map.size;
  }
}

/** Compiles one field pattern; throws the RE2 syntax error for an invalid one. */
export function compileField(pattern: string | undefined, cache?: PatternCache): CompiledField {
  if (pattern === undefined || pattern === "") return ANY;
  if (!cache) return compileUncached(pattern);
  const hit = cache.field(pattern);
  if (hit instanceof Error) throw hit;
  return hit;
}

function compileUncached(pattern: string): CompiledField {
  const shape = literalShape(pattern);
  if (shape) {
    // "", "^" and "$" match everything, like the empty pattern.
    if (shape.lit === "" && shape.kind !== "exact") return { pattern, test: { kind: "any" } };
    return { pattern, test: shape };
  }
  const re = compileOrError(pattern);
  if (re instanceof Error) throw re;
  const atoms = requiredAtoms(pattern, re);
  return { pattern, test: { kind: "regex", pattern, re: undefined, prefix: anchoredPrefix(pattern), atoms } };
}

function compileOrError(pattern: string): RE2JS | Error {
  try {
    return RE2JS.compile(pattern);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Compiles an EventSource's messagingMatchCriteria; invalid patterns are collected, not thrown. */
export function compileSource(
  name: string,
  criteria: readonly CriteriaSpec[] | undefined,
  cache?: PatternCache,
): CompiledSource {
  // Arrays are built at their final length (map, literals): a pushed-to array keeps room for 17 elements, and
  // 10,000 EventSources hold 30,000 of these arrays.
  const errors: CriterionError[] = [];
  const field = (c: CriteriaSpec | undefined, index: number, f: FieldName): CompiledField => {
    const pattern = c?.[f];
    try {
      return compileField(typeof pattern === "string" ? pattern : undefined, cache);
    } catch (err) {
      errors.push({
        path: `spec.messagingMatchCriteria[${index}].${f}`,
        pattern: String(pattern),
        reason: `invalid RE2 regular expression: ${err instanceof Error ? err.message : String(err)}`,
      });
      return ANY;
    }
  };
  const compiled = (criteria ?? []).map(
    (c, index): CompiledCriterion => ({
      index,
      fields: [
        field(c, index, FIELDS[0]),
        field(c, index, FIELDS[1]),
        field(c, index, FIELDS[2]),
        field(c, index, FIELDS[3]),
      ],
    }),
  );
  return { name, criteria: errors.length ? [] : compiled, errors };
}

/** Go's regexp.MatchString for one compiled field. */
export function testField(t: FieldTest, value: string): boolean {
  switch (t.kind) {
    case "any":
      return true;
    case "exact":
      return value === t.lit;
    case "prefix":
      return value.startsWith(t.lit);
    case "suffix":
      return value.endsWith(t.lit);
    case "contains":
      return value.includes(t.lit);
    case "regex":
      t.re ??= RE2JS.compile(t.pattern);
      return t.re.test(value);
  }
}
