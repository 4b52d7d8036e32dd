/** gopkg.in/yaml.v2 resolve.go: what a plain (unquoted) scalar means (YAML 1.1 booleans, octal, base 60...). */
import { parseGoFloat, parseGoInt, parseGoUint } from "./strconv.js";

export type Resolved =
  | { tag: "str"; value: string }
  | { tag: "null"; value: null }
  | { tag: "bool"; value: boolean }
  | { tag: "int"; value: bigint; unsigned: boolean }
  | { tag: "float"; value: number }
  | { tag: "timestamp"; value: string }
  | { tag: "merge"; value: string };

const MAP = new Map<string, Resolved>();
const add = (r: Resolved, names: string[]) => {
  for (const n of names) MAP.set(n, r);
};
add({ tag: "bool", value: true }, ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]);
add({ tag: "bool", value: false }, ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]);
add({ tag: "null", value: null }, ["", "~", "null", "Null", "NULL"]);
add({ tag: "float", value: Number.NaN }, [".nan", ".NaN", ".NAN"]);
add({ tag: "float", value: Infinity }, [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]);
add({ tag: "float", value: -Infinity }, ["-.inf", "-.Inf", "-.INF"]);
add({ tag: "merge", value: "<<" }, ["<<"]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function hint(c: string | undefined): string {
  if (c === undefined) return "N";
  if (c === "+" || c === "-") return "S";
  if (c >= "0" && c <= "9") return "D";
  if ("yYnNtTfFoO~".includes(c)) return "M";
  if (c === ".") return ".";
  return "";
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && !leap ? 28 : (DAYS[m - 1] as number));
}

/** yaml.v2 parseTimestamp: the subset of formats it accepts via time.Parse. */
export function isYamlTimestamp(s: string): boolean {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (m[6] === undefined) return true;
  if (Number(m[6]) > 23 || Number(m[7]) > 59 || Number(m[8]) > 59) return false;
  if (m[4] !== undefined) return m[10] !== undefined; // RFC3339 form needs a zone
  return m[10] === undefined; // space form has none
}

/** yaml.v3: YAML 1.1 words such as yes/on/y are plain strings; only true/false spellings are booleans. */
const OLD_BOOLS = new Set([
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

export function resolvePlain(s: string, v3 = false): Resolved {
  const h = hint(s[0]);
  if (h === "") return { tag: "str", value: s };
  if (v3 && OLD_BOOLS.has(s)) return { tag: "str", value: s };
  const fromMap = MAP.get(s);
  if (fromMap) return fromMap;
  if (h === ".") {
    const f = parseGoFloat(s);
    if (f !== undefined) return { tag: "float", value: f };
  } else if (h === "D" || h === "S") {
    if (isYamlTimestamp(s)) return { tag: "timestamp", value: s };
    const plain = s.replaceAll("_", "");
    const i = parseGoInt(plain, 0);
    if (typeof i === "bigint") return { tag: "int", value: i, unsigned: false };
    const u = parseGoUint(plain, 0);
    if (typeof u === "bigint") return { tag: "int", value: u, unsigned: true };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = parseGoFloat(plain);
      if (f !== undefined) return { tag: "float", value: f };
    }
    if (plain.startsWith("0b")) {
      const b = parseGoInt(plain.slice(2), 2);
      if (typeof b === "bigint") return { tag: "int", value: b, unsigned: false };
      const ub = parseGoUint(plain.slice(2), 2);
      if (typeof ub === "bigint") return { tag: "int", value: ub, unsigned: true };
    } else if (plain.startsWith("-0b")) {
      const b = parseGoInt(`-${plain.slice(3)}`, 2);
      if (typeof b === "bigint") return { tag: "int", value: b, unsigned: false };
    }
  }
  return { tag: "str", value: s };
}

function isBase60Float(s: string): boolean {
  if (s === "") return false;
  const c = s[0] as string;
  if (!(c === "+" || c === "-" || (c >= "0" && c <= "9")) || !s.includes(":")) return false;
  return BASE60.test(s);
}

/** encode.go stringv: may a Go string be emitted as a plain scalar (it would read back as the same string)? */
export function plainIsStr(s: string): boolean {
  return resolvePlain(s).tag === "str" && !isBase60Float(s);
}
