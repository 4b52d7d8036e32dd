import { ApiError } from "../errors.js";

// Label and field selectors in the string syntax of the Kubernetes API (`a=b,c in (x,y),!d`).

export type Requirement =
  | { key: string; op: "=" | "!="; values: [string] }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!" };

export type Selector = Requirement[];

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p.length > 0);
}

const SET = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQ = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/;
const KEY = /^(!?)\s*([^\s!=(),]+)$/;

/** Parses a label selector; throws a 400 Status error naming the bad clause. */
export function parseLabelSelector(s: string | null | undefined): Selector {
  if (!s) return [];
  return splitTop(s).map((clause) => {
    let m = SET.exec(clause);
    if (m) {
      const values = m[3]!
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "");
      return { key: m[1]!, op: m[2] as "in" | "notin", values };
    }
    m = EQ.exec(clause);
    if (m) return { key: m[1]!, op: m[2] === "!=" ? "!=" : "=", values: [m[3]!] };
    m = KEY.exec(clause);
    if (m) return { key: m[2]!, op: m[1] ? "!" : "exists" };
    throw new ApiError(400, "BadRequest", `unable to parse requirement: invalid label selector "${clause}"`);
  });
}

/** Field selectors allow only `=`, `==` and `!=`. */
export function parseFieldSelector(s: string | null | undefined): Selector {
  if (!s) return [];
  return splitTop(s).map((clause) => {
    const m = EQ.exec(clause);
    if (!m) throw new ApiError(400, "BadRequest", `invalid field selector: "${clause}"`);
    return { key: m[1]!, op: m[2] === "!=" ? "!=" : "=", values: [m[3]!] };
  });
}

export function matches(sel: Selector, lookup: (key: string) => string | undefined): boolean {
  return sel.every((r) => {
    const v = lookup(r.key);
    switch (r.op) {
      case "=":
        return v === r.values[0];
      case "!=":
        return v !== r.values[0];
      case "in":
        return v !== undefined && r.values.includes(v);
      case "notin":
        return v === undefined || !r.values.includes(v);
      case "exists":
        return v !== undefined;
      case "!":
        return v === undefined;
    }
    return false;
  });
}

export function matchesLabels(sel: Selector, labels: Record<string, string> | undefined): boolean {
  return matches(sel, (k) => labels?.[k]);
}

/** Field values are looked up by dotted path (`metadata.name`, `status.phase`, `type`) and compared as strings. */
export function matchesFields(sel: Selector, obj: Record<string, unknown>): boolean {
  return matches(sel, (path) => {
    let cur: unknown = obj;
    for (const part of path.split(".")) {
      if (typeof cur !== "object" || cur === null) return path === "metadata.namespace" ? "" : undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    if (cur === undefined || cur === null) return path === "metadata.namespace" ? "" : undefined;
    return typeof cur === "object" ? JSON.stringify(cur) : String(cur);
  });
}
