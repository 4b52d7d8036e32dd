// Reading literal structure out of RE2 patterns without running them: which patterns are plain strings
// (exact, prefix, suffix or substring tests give the same answer as RE2), and which start with a literal
// prefix after `^` (a necessary condition the index can use). Conservative: anything unusual is "not literal".

/** RE2 metacharacters outside a character class. */
const META = new Set(["\\", ".", "+", "*", "?", "(", ")", "|", "[", "]", "{", "}", "^", "$"]);
const QUANTIFIER = new Set(["*", "+", "?", "{"]);

export type LiteralShape =
  /** `^lit$`: the value must equal lit. */
  | { kind: "exact"; lit: string }
  /** `^lit`: the value must start with lit. */
  | { kind: "prefix"; lit: string }
  /** `lit$`: the value must end with lit. */
  | { kind: "suffix"; lit: string }
  /** `lit`: the value must contain lit (RE2 matching is unanchored). */
  | { kind: "contains"; lit: string };

/** Go treats `\` followed by ASCII punctuation as that character; other escapes are classes or codes. */
function isEscapablePunct(c: string): boolean {
  const code = c.charCodeAt(0);
  return c.length === 1 && code < 0x80 && !/[0-9A-Za-z\s]/.test(c) && code > 0x20 && code !== 0x7f;
}

interface Run {
  lit: string;
  /** Index in the pattern after the run. */
  end: number;
}

/** Reads a run of literal characters from `start`: plain non-meta characters and escaped punctuation. */
function literalRun(p: string, start: number): Run {
  let lit = "";
  let i = start;
  while (i < p.length) {
    const c = p[i]!;
    if (c === "\\") {
      const n = p[i + 1];
      if (n === undefined || !isEscapablePunct(n)) break;
      lit += n;
      i += 2;
      continue;
    }
    if (META.has(c)) break;
    // Keep surrogate pairs whole so a quantifier after one never splits it.
    const cp = p.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    lit += ch;
    i += ch.length;
  }
  return { lit, end: i };
}

/** True when the pattern has an unescaped `|` anywhere (then anchors do not bind the whole pattern). */
function hasAlternation(p: string): boolean {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === "\\") i++;
    else if (p[i] === "|") return true;
  }
  return false;
}

/** The plain-string form of a pattern, or undefined when it needs the regex engine. */
export function literalShape(pattern: string): LiteralShape | undefined {
  const anchoredStart = pattern.startsWith("^");
  const run = literalRun(pattern, anchoredStart ? 1 : 0);
  let end = run.end;
  const anchoredEnd = pattern[end] === "$";
  if (anchoredEnd) end++;
  if (end !== pattern.length) return undefined;
  if (anchoredStart && anchoredEnd) return { kind: "exact", lit: run.lit };
  if (anchoredStart) return { kind: "prefix", lit: run.lit };
  if (anchoredEnd) return { kind: "suffix", lit: run.lit };
  return { kind: "contains", lit: run.lit };
}

/**
 * The literal every match must start with, for a `^`-anchored pattern that is not a plain string
 * (`^auth\.example\.com/.*` gives "auth.example.com/"). Empty when there is none.
 */
export function anchoredPrefix(pattern: string): string {
  if (!pattern.startsWith("^") || hasAlternation(pattern)) return "";
  const run = literalRun(pattern, 1);
  const next = pattern[run.end];
  // A quantifier applies to the last character of the run, which is then optional or repeated.
  if (next !== undefined && QUANTIFIER.has(next)) {
    const chars = [...run.lit];
    chars.pop();
    return chars.join("");
  }
  return run.lit;
}

/**
 * Canonical case fold for ASCII atoms: RE2's (?i) uses Unicode simple folding, whose orbits that touch ASCII
 * letters are a-z/A-Z plus KELVIN SIGN (k) and LATIN SMALL LETTER LONG S (s). Mapping those and lowering ASCII
 * makes "folded atom occurs in folded value" a necessary condition for a case-insensitive match.
 */
export function foldAscii(s: string): string {
  let out = "";
  let changed = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      out += String.fromCharCode(c + 32);
      changed = true;
    } else if (c === 0x212a) {
      out += "k";
      changed = true;
    } else if (c === 0x17f) {
      out += "s";
      changed = true;
    } else out += s[i];
  }
  return changed ? out : s;
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
