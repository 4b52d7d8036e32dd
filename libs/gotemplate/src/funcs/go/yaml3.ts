/**
 * gopkg.in/yaml.v3 Marshal of template values, as Sveltos' event-manager uses for copy/setField/removeField:
 * 4-space indentation, indented sequences, no line folding, floats in %g form (1e+06), YAML 1.1 booleans quoted.
 */
import { GoComplex, GoInt, GoObject, typeName, type Value } from "../../value.js";
import type { JsonMarshaler } from "./json.js";
import { formatFloat } from "./strconv.js";
import { emitYaml, type YNode } from "./yaml-emit.js";
import { plainIsStr, resolvePlain } from "./yaml-resolve.js";

export class GoYaml3Error extends Error {}

const OLD_BOOL = new Set([
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "on",
  "On",
  "ON",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "off",
  "Off",
  "OFF",
]);

/** yaml.v3 stringv: plain only if it reads back as the same string (and is no YAML 1.1 bool or "<<"). */
function plainIsStrV3(s: string): boolean {
  if (s === "<<") return false;
  if (OLD_BOOL.has(s)) return false;
  return plainIsStr(s) && resolvePlain(s).tag === "str";
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

/** yaml.v3 sorter.go keyList.Less for string keys. */
function keyLessV3(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) {
      digits = isDigit(ac);
      continue;
    }
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number);
    if (al || bl) return digits ? al : bl;
    let an = 0n;
    let bn = 0n;
    if (ac === "0" || bc === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++)
      an = an * 10n + BigInt((ar[ai] as string).charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi] as string); bi++)
      bn = bn * 10n + BigInt((br[bi] as string).charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number);
  }
  return ar.length < br.length;
}

function floatText(f: number): string {
  const s = formatFloat(f, "g");
  return s === "+Inf" ? ".inf" : s === "-Inf" ? "-.inf" : s === "NaN" ? ".nan" : s;
}

function toNode(v: Value, depth: number): YNode {
  if (depth > 1000) throw new GoYaml3Error("yaml: exceeded max depth");
  switch (typeof v) {
    case "string":
      return { k: "scalar", text: v, str: true };
    case "number":
      return { k: "scalar", text: floatText(v), str: false };
    case "boolean":
      return { k: "scalar", text: String(v), str: false };
    case "undefined":
      return { k: "scalar", text: "null", str: false };
    case "function":
      throw new GoYaml3Error(`cannot marshal type: ${typeName(v)}`);
  }
  if (v === null) return { k: "scalar", text: "null", str: false };
  if (v instanceof GoInt) return { k: "scalar", text: v.value.toString(), str: false };
  if (v instanceof Uint8Array)
    return { k: "seq", items: Array.from(v, (b) => ({ k: "scalar", text: String(b), str: false }) as YNode) };
  if (v instanceof GoComplex) throw new GoYaml3Error("cannot marshal type: complex128");
  if (v instanceof GoObject) {
    const j = (v as Partial<JsonMarshaler>).goJson;
    // yaml.v3 writes time.Time as a plain RFC 3339 scalar.
    if (v.goType === "time.Time" && typeof j === "function")
      return { k: "scalar", text: String(j.call(v)), str: false };
    return typeof j === "function" ? toNode(j.call(v), depth + 1) : { k: "map", entries: [] };
  }
  if (Array.isArray(v)) return { k: "seq", items: v.map((x) => toNode(x, depth + 1)) };
  const keys = Object.keys(v).sort((a, b) => (keyLessV3(a, b) ? -1 : keyLessV3(b, a) ? 1 : 0));
  return {
    k: "map",
    entries: keys.map((k) => [{ k: "scalar", text: k, str: true }, toNode(v[k], depth + 1)] as [YNode, YNode]),
  };
}

/** yaml.v3 Marshal(v) (trailing newline included). */
export function goYaml3Marshal(v: Value): string {
  return emitYaml(toNode(v, 0), plainIsStrV3, { v3: true });
}
