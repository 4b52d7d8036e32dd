// Required literal atoms of a regex: strings of which at least one must occur in any matching value. Derived
// from re2js' own prefilter tree (the one RE2 uses to skip hopeless inputs), so the analysis follows the real
// parser. A pattern without usable atoms (e.g. `[a-z]+`) is simply not indexable and is run for every event.
import { RE2JS } from "re2js";
import { foldAscii, isAscii } from "./literal.js";

/** One way to pre-filter a pattern: the value must contain at least one of `atoms`. */
export type AtomSet = readonly string[];

export interface RequiredAtoms {
  /** Alternative atom sets; each one alone is a valid necessary condition. The index picks the rarest. */
  alternatives: AtomSet[];
  /** Atoms are case-folded (see foldAscii): look for them in the folded value. */
  fold: boolean;
}

// Shape of re2js' internal Prefilter (RE2.prefilter): NONE 0, EXACT 1, AND 2, OR 3. Guarded: any other shape
// means "no atoms", which is always safe.
interface PrefilterNode {
  type: number;
  subs: PrefilterNode[];
  str: string;
}
const EXACT = 1;
const AND = 2;
const OR = 3;
const MAX_ALTERNATIVES = 8;
const MAX_OR_ATOMS = 64;

function isNode(x: unknown): x is PrefilterNode {
  const n = x as PrefilterNode;
  return !!n && typeof n === "object" && typeof n.type === "number" && Array.isArray(n.subs);
}

/** A set is as weak as its shortest atom; fewer atoms is better at equal length. */
function strength(set: AtomSet): number {
  let min = Number.POSITIVE_INFINITY;
  for (const a of set) min = Math.min(min, a.length);
  return min * 1000 - set.length;
}

function alternativesOf(n: unknown): AtomSet[] | undefined {
  if (!isNode(n)) return undefined;
  if (n.type === EXACT) return typeof n.str === "string" && n.str !== "" ? [[n.str]] : undefined;
  if (n.type === AND) {
    const out: AtomSet[] = [];
    for (const s of n.subs) out.push(...(alternativesOf(s) ?? []));
    if (out.length === 0) return undefined;
    out.sort((a, b) => strength(b) - strength(a));
    return out.slice(0, MAX_ALTERNATIVES);
  }
  if (n.type === OR) {
    const union: string[] = [];
    for (const s of n.subs) {
      const alts = alternativesOf(s);
      if (!alts?.length) return undefined;
      union.push(...alts[0]!);
    }
    const set = [...new Set(union)];
    return set.length > 0 && set.length <= MAX_OR_ATOMS ? [set] : undefined;
  }
  return undefined;
}

function prefilterOf(re: RE2JS): unknown {
  // re2js keeps the prefilter on its RE2 program object; not part of its typed API, hence the guard above.
  return (re.re2() as unknown as { prefilter?: unknown }).prefilter;
}

/**
 * Atoms for `pattern` (already compiled as `re`). A leading `(?i)` is handled by analysing the rest without
 * the flag and folding the atoms, which stays a necessary condition: a case-insensitive match of a literal
 * implies its folded form occurs in the folded value. Non-ASCII atoms under (?i) are not used.
 */
export function requiredAtoms(pattern: string, re: RE2JS): RequiredAtoms | undefined {
  if (pattern.startsWith("(?i)")) {
    let rest: RE2JS;
    try {
      rest = RE2JS.compile(pattern.slice(4));
    } catch {
      return undefined;
    }
    const alts = alternativesOf(prefilterOf(rest))
      ?.filter((set) => set.every(isAscii))
      .map((set) => [...new Set(set.map(foldAscii))]);
    return alts?.length ? { alternatives: alts, fold: true } : undefined;
  }
  const alts = alternativesOf(prefilterOf(re));
  return alts?.length ? { alternatives: alts, fold: false } : undefined;
}
