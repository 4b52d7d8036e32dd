/**
 * sigs.k8s.io/yaml over template values. Marshal = json.Marshal, then yaml.v2 reading that JSON (ints stay
 * ints, other numbers floats) and emitting it. Unmarshal = yaml.v2 (YAML 1.1 resolution, first document
 * only, merge keys), keys made strings, then JSON semantics (numbers become float64).
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type Node, parseAllDocuments, type Scalar } from "yaml";
import { GoComplex, GoInt, GoObject, mapSet, newMap, typeName, type Value } from "../../value.js";
import { GoJsonError, type JsonMarshaler } from "./json.js";
import { formatFloat, formatFloat32G, inInt64, inUint64, jsonFloat } from "./strconv.js";
import { emitYaml, type YNode } from "./yaml-emit.js";
import { plainIsStr, resolvePlain } from "./yaml-resolve.js";

export class GoYamlError extends Error {}

// ---- marshal ----

function numberNode(f: number): YNode {
  if (!Number.isFinite(f)) throw new GoJsonError(`json: unsupported value: ${f > 0 ? "+Inf" : f < 0 ? "-Inf" : "NaN"}`);
  const text = jsonFloat(f);
  if (/^-?\d+$/.test(text)) {
    const b = BigInt(text);
    if (inInt64(b) || inUint64(b)) return { k: "scalar", text: b.toString(), str: false };
  }
  return { k: "scalar", text: formatFloat(Number(text), "g"), str: false };
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

const ASCII = /^[\x00-\x7f]*$/;
const isAsciiLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** keyList.Less for ASCII keys (the common case), on char codes. */
function asciiKeyLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ac = a.charCodeAt(i);
    const bc = b.charCodeAt(i);
    if (ac === bc) continue;
    const al = isAsciiLetter(ac);
    const bl = isAsciiLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ac === 0x30 || bc === 0x30) {
      for (let j = i - 1; j >= 0 && isAsciiDigit(a.charCodeAt(j)); j--) {
        if (a.charCodeAt(j) !== 0x30) {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < a.length && isAsciiDigit(a.charCodeAt(ai)); ai++) an = an * 10n + BigInt(a.charCodeAt(ai) - 48);
    let bi = i;
    for (; bi < b.length && isAsciiDigit(b.charCodeAt(bi)); bi++) bn = bn * 10n + BigInt(b.charCodeAt(bi) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ac < bc;
  }
  return a.length < b.length;
}

const asciiOrder = (a: string, b: string) => (asciiKeyLess(a, b) ? -1 : asciiKeyLess(b, a) ? 1 : 0);
const fullOrder = (a: string, b: string) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0);

/** Keys in yaml.v2's map order (the ASCII comparator when every key is ASCII). */
export function sortYamlKeys(keys: string[]): string[] {
  return keys.sort(keys.every((k) => ASCII.test(k)) ? asciiOrder : fullOrder);
}

/** yaml.v2 sorter.go keyList.Less for two string keys (digit runs compare numerically). */
export function yamlKeyLess(a: string, b: string): boolean {
  if (ASCII.test(a) && ASCII.test(b)) return asciiKeyLess(a, b);
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string;
    const bc = br[i] as string;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number);
    if (al || bl) return bl;
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

/** json.Marshal leaves U+0085 raw; yaml.v2 reading that JSON folds it like a line break in a quoted scalar. */
function foldNel(s: string): string {
  return s.replace(/[ \t]*(\u0085[ \t]*)+/g, (m) => {
    const k = m.split("\u0085").length - 1;
    return k === 1 ? " " : "\n".repeat(k - 1);
  });
}

function toNode(v: Value, depth: number): YNode {
  if (depth > 1000) throw new GoJsonError("json: unsupported value: encountered a cycle");
  switch (typeof v) {
    case "string":
      return { k: "scalar", text: v.includes("\u0085") ? foldNel(v) : v, str: true };
    case "number":
      return numberNode(v);
    case "boolean":
      return { k: "scalar", text: String(v), str: false };
    case "undefined":
      return { k: "scalar", text: "null", str: false };
    case "function":
      throw new GoJsonError(`json: unsupported type: ${typeName(v)}`);
  }
  if (v === null) return { k: "scalar", text: "null", str: false };
  if (v instanceof GoInt) return { k: "scalar", text: v.value.toString(), str: false };
  if (v instanceof Uint8Array) return { k: "scalar", text: Buffer.from(v).toString("base64"), str: true };
  if (v instanceof GoComplex) throw new GoJsonError("json: unsupported type: complex128");
  if (v instanceof GoObject) {
    const j = (v as Partial<JsonMarshaler>).goJson;
    return typeof j === "function" ? toNode(j.call(v), depth + 1) : { k: "map", entries: [] };
  }
  // A Go nil slice/map marshals to JSON null first.
  if ((v as { [k: symbol]: unknown })[Symbol.for("evtrigger.gotemplate.nilCollection")] === true) {
    return { k: "scalar", text: "null", str: false };
  }
  if (Array.isArray(v)) return { k: "seq", items: v.map((x) => toNode(x, depth + 1)) };
  const keys = sortYamlKeys(Object.keys(v));
  return {
    k: "map",
    entries: keys.map((k) => [{ k: "scalar", text: k, str: true }, toNode(v[k], depth + 1)] as [YNode, YNode]),
  };
}

/** sigs.k8s.io/yaml.Marshal(v) as text (with the trailing newline). Throws GoJsonError like json.Marshal. */
export function goYamlMarshal(v: Value): string {
  return emitYaml(toNode(v, 0), plainIsStr);
}

// ---- unmarshal ----

const TAG = "tag:yaml.org,2002:";

interface Ctx {
  doc: Document;
  src: string;
  depth: number;
  /** yaml.v3 semantics (YAML 1.2 booleans, timestamps as time.Time through `time`). */
  v3?: { time: (s: string) => Value };
  /** Decoded-node budget shared by the whole document: alias bombs stop here, as in yaml.v2/v3. */
  budget: { nodes: number };
}

const MAX_DECODED_NODES = 500_000;

/** libyaml: a block scalar ending the input without a final newline has no trailing line break. */
function blockAtEof(n: Scalar, src: string, raw: string): string {
  if (n.type !== "BLOCK_LITERAL" && n.type !== "BLOCK_FOLDED") return raw;
  const end = n.range?.[2] ?? 0;
  if (end >= src.length && !src.endsWith("\n") && raw.endsWith("\n")) return raw.slice(0, -1);
  return raw;
}

function scalarValue(n: Scalar, src: string, v3?: Ctx["v3"]): Value {
  const raw = blockAtEof(n, src, String(n.value ?? ""));
  const tag = n.tag;
  if (tag === `${TAG}str` || tag === "!") return raw;
  if (tag === `${TAG}binary`) return Buffer.from(raw.replace(/\s+/g, ""), "base64").toString("latin1");
  if (n.type !== "PLAIN" && tag === undefined) return raw;
  const r = resolvePlain(raw, v3 !== undefined);
  if (v3 && r.tag === "timestamp" && tag === undefined) return v3.time(raw);
  if (tag?.startsWith(TAG) && tag !== `${TAG}${r.tag}`) {
    if (!(tag === `${TAG}float` && r.tag === "int")) {
      throw new GoYamlError(`yaml: cannot decode !!${r.tag} \`${raw}\` as a !!${tag.slice(TAG.length)}`);
    }
  }
  switch (r.tag) {
    case "null":
      return null;
    case "bool":
      return r.value;
    case "int":
      return new GoInt(r.unsigned ? "uint64" : "int", r.value);
    case "float":
      return r.value;
    default:
      return r.value;
  }
}

/** yaml.v2 decoding into interface{}: maps keep Go-typed keys until keyString converts them. */
function decodeNode(n: Node | null | undefined, c: Ctx): Value {
  if (n === null || n === undefined) return null;
  if (++c.budget.nodes > MAX_DECODED_NODES) throw new GoYamlError("yaml: document contains excessive aliasing");
  if (c.depth > 10000) throw new GoYamlError("yaml: exceeded max depth of 10000");
  if (isAlias(n)) {
    const target = n.resolve(c.doc) as Node | undefined;
    if (target === undefined) throw new GoYamlError(`yaml: unknown anchor '${n.source}' referenced`);
    return decodeNode(target, { ...c, depth: c.depth + 1 });
  }
  if (isScalar(n)) return scalarValue(n, c.src, c.v3);
  if (isSeq(n)) return n.items.map((x) => decodeNode(x as Node, { ...c, depth: c.depth + 1 }));
  if (isMap(n)) {
    const m = newMap();
    let seen: Map<string, number> | undefined;
    for (const pair of n.items) {
      const k = pair.key as Node | null;
      if (isScalar(k) && k.type === "PLAIN" && String(k.value) === "<<" && k.tag === undefined) {
        merge(pair.value as Node, m, c);
        continue;
      }
      // yaml.v2 needs a key before ':' (the `yaml` package reads ": x" as an empty key).
      if (k === null || (isScalar(k) && k.range && k.range[0] === k.range[1] && !k.tag)) {
        throw new GoYamlError("yaml: did not find expected key");
      }
      const key = decodeNode(k, { ...c, depth: c.depth + 1 });
      if (key !== null && typeof key === "object" && !(key instanceof GoInt) && !(key instanceof GoObject)) {
        throw new GoYamlError(`yaml: invalid map key: ${goSharpV(key)}`);
      }
      // yaml.v3 keys keep their text ("1e2" stays "1e2") and may not repeat.
      const name = c.v3 && isScalar(k) ? String(k.value ?? "") : keyString(key, pair.value);
      if (c.v3) {
        const line = lineOf(c.src, k?.range?.[0] ?? 0);
        seen ??= new Map<string, number>();
        const first = seen.get(name);
        if (first !== undefined) {
          throw new GoYamlError(
            `yaml: unmarshal errors:\n  line ${line}: mapping key ${JSON.stringify(name)} already defined at line ${first}`,
          );
        }
        seen.set(name, line);
      }
      mapSet(m, name, decodeNode(pair.value as Node, { ...c, depth: c.depth + 1 }));
    }
    return m;
  }
  return null;
}

function merge(n: Node | null, into: Record<string, Value>, c: Ctx): void {
  const target = isAlias(n) ? (n.resolve(c.doc) as Node | undefined) : n;
  const mergeOne = (x: Node | undefined | null) => {
    const v = decodeNode(x, { ...c, depth: c.depth + 1 });
    if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof GoInt) {
      throw new GoYamlError("yaml: map merge requires map or sequence of maps as the value");
    }
    for (const [k, x2] of Object.entries(v)) mapSet(into, k, x2);
  };
  if (isSeq(target)) {
    for (let i = target.items.length - 1; i >= 0; i--) mergeOne(target.items[i] as Node);
  } else mergeOne(target);
}

/** fmt's %#v of a decoded yaml.v2 value (for "invalid map key" errors). */
function goSharpV(v: Value): string {
  if (v === null || v === undefined) return "interface {}(nil)";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return formatFloat(v, "g");
  if (typeof v === "boolean" || v instanceof GoInt) return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharpV).join(", ")}}`;
  const m = v as Record<string, Value>;
  const items = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${goSharpV(m[k])}`);
  return `map[interface {}]interface {}{${items.join(", ")}}`;
}

function keyString(k: Value, v: unknown): string {
  if (typeof k === "string") return k;
  if (k instanceof GoInt) return k.value.toString();
  if (typeof k === "number") {
    const s = formatFloat32G(k);
    return s === "+Inf" ? ".inf" : s === "-Inf" ? "-.inf" : s === "NaN" ? ".nan" : s;
  }
  if (typeof k === "boolean") return String(k);
  const shown = isScalar(v) ? String(v.value) : "…";
  throw new GoYamlError(`Unsupported map key of type: %!s(<nil>), key: <nil>, value: ${shown}`);
}

/** Converts decoded YAML to what json.Unmarshal yields: ints → float64; NaN/Inf are a json error. */
function jsonify(v: Value): Value {
  if (v instanceof GoInt) return Number(v.value);
  if (typeof v === "number" && !Number.isFinite(v)) {
    throw new GoJsonError(`json: unsupported value: ${v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN"}`);
  }
  if (Array.isArray(v)) return v.map(jsonify);
  if (v !== null && typeof v === "object") {
    const m = newMap();
    for (const [k, x] of Object.entries(v)) mapSet(m, k, jsonify(x));
    return m;
  }
  return v;
}

/** The previous non-blank line before 1-based `line` starts a block sequence entry. */
function previousIsSeqEntry(src: string, line: number): boolean {
  const lines = src
    .split("\n")
    .slice(0, line - 1)
    .reverse();
  const prev = lines.find((l) => l.trim() !== "");
  return prev !== undefined && /^\s*-(\s|$)/.test(prev);
}

/** Maps the `yaml` package's first error to the yaml.v2 text for the same mistake (best effort). */
function syntaxMessage(doc: Document, src: string): string {
  const e = doc.errors[0];
  if (!e) return "yaml: unknown error";
  const line = e.linePos?.[0]?.line ?? 1;
  const msg = e.message.split("\n")[0] ?? "";
  switch (e.code) {
    case "TAB_AS_INDENT":
      return line > 1
        ? `yaml: line ${line}: found a tab character that violates indentation`
        : "yaml: found character that cannot start any token";
    case "BAD_SCALAR_START":
      return "yaml: found character that cannot start any token";
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY":
      return "yaml: mapping values are not allowed in this context";
    case "MISSING_CHAR":
      if (msg.includes("quote")) return "yaml: found unexpected end of stream";
      if (/^\s*[[{]\s*$/.test(src.slice(src.search(/[[{][^[{]*$/))))
        return `yaml: line ${line}: did not find expected node content`;
      return `yaml: line ${line}: did not find expected ',' or ']'`;
    case "BAD_INDENT":
      if (msg.startsWith("Flow sequence") || msg.startsWith("Flow map")) {
        if (/[[{]\s*$/.test(src)) return `yaml: line ${line}: did not find expected node content`;
        return `yaml: line ${line}: did not find expected ',' or '${msg.startsWith("Flow map") ? "}" : "]"}'`;
      }
      return `yaml: line ${Math.max(line - 1, 1)}: did not find expected key`;
    case "UNEXPECTED_TOKEN":
      if (/flow-(map|seq)-end/.test(msg)) return "yaml: did not find expected node content";
      if (msg.includes("block-seq-ind")) return "yaml: block sequence entries are not allowed in this context";
      if (msg.startsWith("Block scalar header includes extra characters"))
        return "yaml: did not find expected comment or line break";
      if (msg.includes("at node end")) {
        const what = previousIsSeqEntry(src, line) ? "'-' indicator" : "key";
        return `yaml: line ${Math.max(line - 1, 1)}: did not find expected ${what}`;
      }
      return "yaml: found character that cannot start any token";
    default:
      return `yaml: line ${line}: ${msg.replace(/ at line \d+, column \d+:?$/, "")}`;
  }
}

/**
 * sigs.k8s.io/yaml.Unmarshal into interface{} (first document; `null` for an empty stream). Throws
 * GoYamlError with "error converting YAML to JSON: ..." texts.
 */
export function goYamlUnmarshal(src: string): Value {
  const docs = parseAllDocuments(src, { version: "1.1", schema: "failsafe", uniqueKeys: false, strict: false });
  const list = Array.isArray(docs) ? docs : [];
  const doc = list[0];
  if (!doc) return null;
  if (doc.errors.length > 0) throw new GoYamlError(`error converting YAML to JSON: ${syntaxMessage(doc, src)}`);
  // yaml.v2 only accepts %YAML 1.1 documents.
  const directive = /^%YAML\s+(\S+)/m.exec(src.slice(0, Math.max(src.indexOf("\n---"), 0)));
  if (directive && directive[1] !== "1.1")
    throw new GoYamlError("error converting YAML to JSON: yaml: found incompatible YAML document");
  try {
    return jsonify(decodeNode(doc.contents as Node | null, { doc, src, depth: 0, budget: { nodes: 0 } }));
  } catch (e) {
    if (e instanceof GoYamlError || e instanceof GoJsonError) {
      throw new GoYamlError(`error converting YAML to JSON: ${e.message}`);
    }
    throw e;
  }
}

const lineOf = (src: string, offset: number): number => src.slice(0, offset).split("\n").length;

const V3_KINDS: [(v: Value) => boolean, string][] = [
  [(v) => Array.isArray(v), "!!seq"],
  [(v) => typeof v === "string", "!!str"],
  [(v) => typeof v === "boolean", "!!bool"],
  [(v) => typeof v === "number", "!!float"],
  [(v) => v instanceof GoInt, "!!int"],
];

/** yaml.v3's tag name for a decoded value in "cannot unmarshal !!seq into ..." errors. */
function v3Kind(v: Value): string {
  for (const [test, name] of V3_KINDS) if (test(v)) return name;
  return isScalarTimestamp(v) ? "!!timestamp" : "!!map";
}
const isScalarTimestamp = (v: Value): boolean => v instanceof GoObject && v.goType === "time.Time";

/**
 * gopkg.in/yaml.v3 Unmarshal (what current libsveltos uses) into `target`: ints stay Go ints, timestamps
 * become time.Time, NaN is allowed, YAML 1.1 yes/no are strings. Throws GoYamlError with v3's texts.
 */
export function goYaml3Unmarshal(src: string, target: "map" | "slice", time: (s: string) => Value): Value {
  const docs = parseAllDocuments(src, { version: "1.1", schema: "failsafe", uniqueKeys: false, strict: false });
  const doc = (Array.isArray(docs) ? docs : [])[0];
  if (!doc) return null;
  if (doc.errors.length > 0) throw new GoYamlError(syntaxMessage(doc, src));
  const directive = /^%YAML\s+(\S+)/m.exec(src.slice(0, Math.max(src.indexOf("\n---"), 0)));
  if (directive && directive[1] !== "1.1") throw new GoYamlError("yaml: found incompatible YAML document");
  const v = decodeNode(doc.contents as Node | null, { doc, src, depth: 0, v3: { time }, budget: { nodes: 0 } });
  if (v === null || v === undefined) return null;
  const isMapV = typeof v === "object" && !Array.isArray(v) && !(v instanceof GoInt) && !(v instanceof GoObject);
  if ((target === "map" && !isMapV) || (target === "slice" && !Array.isArray(v))) {
    const node = doc.contents as Node | null;
    const into = target === "map" ? "map[string]interface {}" : "[]interface {}";
    // v3's terror: scalars show their text, cut to 7 bytes and "..." past 10.
    let text = "";
    if (isScalar(node)) {
      const raw = String(node.value ?? "");
      const b = Buffer.from(raw, "utf8");
      text = b.length > 10 ? ` \`${b.subarray(0, 7).toString("utf8")}...\`` : ` \`${raw}\``;
    }
    const kind = isScalar(node) && !node.tag && node.type !== "PLAIN" ? "!!str" : v3Kind(v);
    throw new GoYamlError(
      `yaml: unmarshal errors:\n  line ${lineOf(src, node?.range?.[0] ?? 0)}: cannot unmarshal ${kind}${text} into ${into}`,
    );
  }
  return v;
}

/** The Go kind json.Unmarshal reports for a decoded value ("array", "string", ...). */
export function jsonKind(v: Value): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "array";
  return "object";
}
