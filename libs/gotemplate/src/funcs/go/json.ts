/**
 * Go encoding/json over template values: Marshal (sorted keys, HTML escaping, float64 text), MarshalIndent,
 * and Unmarshal into interface{} with Go's syntax error texts ("invalid character 'o' in literal null ...").
 */
import { GoComplex, GoInt, GoObject, mapSet, newMap, typeName, type Value } from "../../value.js";
import { jsonFloat } from "./strconv.js";

export class GoJsonError extends Error {}

/** A GoObject that marshals to JSON as another value (time.Time → RFC 3339 string, ...). */
export interface JsonMarshaler {
  goJson(): Value;
}

const hasGoJson = (v: unknown): v is JsonMarshaler => typeof (v as Partial<JsonMarshaler>).goJson === "function";

const HEX = "0123456789abcdef";

const NEEDS_ESCAPE_HTML = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\u2028\u2029\ud800-\udfff]/;

/** Go map key order (UTF-8 bytes): UTF-16 order except around surrogates, where Buffer order decides. */
export function goKeyCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 || y >= 0xd800) return Buffer.compare(Buffer.from(a.slice(i)), Buffer.from(b.slice(i)));
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

export const goSortedKeys = (m: object): string[] => Object.keys(m).sort(goKeyCompare);

export function jsonString(s: string, escapeHTML: boolean): string {
  if (!(escapeHTML ? NEEDS_ESCAPE_HTML : NEEDS_ESCAPE).test(s)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c) {
      if (c === 0x22) rep = '\\"';
      else if (c === 0x5c) rep = "\\\\";
      else if (c === 0x0a) rep = "\\n";
      else if (c === 0x0d) rep = "\\r";
      else if (c === 0x09) rep = "\\t";
      else rep = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26)) {
      rep = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 0x2028 || c === 0x2029) {
      rep = `\\u${c.toString(16)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // Lone surrogates are invalid UTF-8 in Go: encoded as U+FFFD.
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = "\\ufffd";
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return `${out + s.slice(start)}"`;
}

interface EncOpts {
  escapeHTML: boolean;
  indent?: string;
}

function encode(v: Value, o: EncOpts, depth: number, prefix: string): string {
  if (depth > 1000) throw new GoJsonError("json: unsupported value: encountered a cycle");
  switch (typeof v) {
    case "string":
      return jsonString(v, o.escapeHTML);
    case "number":
      if (!Number.isFinite(v))
        throw new GoJsonError(`json: unsupported value: ${v > 0 ? "+Inf" : v < 0 ? "-Inf" : "NaN"}`);
      return jsonFloat(v);
    case "boolean":
      return v ? "true" : "false";
    case "undefined":
      return "null";
    case "function":
      throw new GoJsonError(`json: unsupported type: ${typeName(v)}`);
  }
  if (v === null) return "null";
  if (v instanceof GoInt) return v.value.toString();
  if (v instanceof Uint8Array) return `"${Buffer.from(v).toString("base64")}"`;
  if (v instanceof GoComplex) throw new GoJsonError("json: unsupported type: complex128");
  if (v instanceof GoObject) {
    if (hasGoJson(v)) return encode(v.goJson(), o, depth + 1, prefix);
    return "{}";
  }
  if ((v as { [k: symbol]: unknown })[Symbol.for("evtrigger.gotemplate.nilCollection")] === true) return "null";
  const inner = o.indent === undefined ? "" : prefix + o.indent;
  const nl = o.indent === undefined ? "" : `\n${inner}`;
  const end = o.indent === undefined ? "" : `\n${prefix}`;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const parts = v.map((x) => encode(x, o, depth + 1, inner));
    return `[${nl}${parts.join(`,${nl}`)}${end}]`;
  }
  const keys = goSortedKeys(v);
  if (keys.length === 0) return "{}";
  const sep = o.indent === undefined ? ":" : ": ";
  const parts = keys.map((k) => jsonString(k, o.escapeHTML) + sep + encode(v[k], o, depth + 1, inner));
  return `{${nl}${parts.join(`,${nl}`)}${end}}`;
}

/** json.Marshal (escapeHTML true) or an Encoder with SetEscapeHTML(false). Throws GoJsonError. */
export function goJsonMarshal(v: Value, escapeHTML = true): string {
  return encode(v, { escapeHTML }, 0, "");
}

/** json.MarshalIndent(v, "", indent). */
export function goJsonMarshalIndent(v: Value, indent: string, escapeHTML = true): string {
  return encode(v, { escapeHTML, indent }, 0, "");
}

// ---- decoding ----

function quoteChar(ch: string): string {
  // Go reports the offending byte: a non-ASCII character shows as its first UTF-8 byte read as Latin-1.
  const code = ch.codePointAt(0) as number;
  const c = code < 0x80 ? ch : String.fromCharCode(Buffer.from(ch)[0] as number);
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  const j = JSON.stringify(c).slice(1, -1);
  const q = /^\\u00[0-9a-f]{2}$/.test(j) ? `\\x${j.slice(4)}` : j;
  return `'${q}'`;
}

/** Go's json syntax check (scanner.go): undefined when valid, else the error text. */
export function goJsonSyntaxError(s: string): string | undefined {
  let i = 0;
  const n = s.length;
  const err = (ctx: string): string =>
    i >= n ? "unexpected end of JSON input" : `invalid character ${quoteChar(s[i] as string)} ${ctx}`;
  // At EOF Go's scanner feeds a space: states that reject a space report it instead of "unexpected end".
  const errSp = (ctx: string): string => `invalid character ${quoteChar(i >= n ? " " : (s[i] as string))} ${ctx}`;
  const ws = () => {
    while (i < n && (s[i] === " " || s[i] === "\t" || s[i] === "\n" || s[i] === "\r")) i++;
  };
  const lit = (word: string): string | undefined => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (s[i] !== word[k]) return errSp(`in literal ${word} (expecting ${quoteChar(word[k] as string)})`);
    }
    i++;
    return undefined;
  };
  const digit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  const value = (): string | undefined => {
    ws();
    if (i >= n) return "unexpected end of JSON input";
    const c = s[i] as string;
    if (c === "{") {
      i++;
      ws();
      if (s[i] === "}") {
        i++;
        return undefined;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') return err("looking for beginning of object key string");
        const e = str();
        if (e) return e;
        ws();
        if (s[i] !== ":") return err("after object key");
        i++;
        const ve = value();
        if (ve) return ve;
        ws();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === "}") {
          i++;
          return undefined;
        }
        return err("after object key:value pair");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (s[i] === "]") {
        i++;
        return undefined;
      }
      for (;;) {
        const ve = value();
        if (ve) return ve;
        ws();
        if (s[i] === ",") {
          i++;
          continue;
        }
        if (s[i] === "]") {
          i++;
          return undefined;
        }
        return err("after array element");
      }
    }
    if (c === '"') return str();
    if (c === "t") return lit("true");
    if (c === "f") return lit("false");
    if (c === "n") return lit("null");
    if (c === "-" || digit(c)) return num();
    return err("looking for beginning of value");
  };
  const str = (): string | undefined => {
    i++;
    while (i < n) {
      const c = s[i] as string;
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c === "\\") {
        i++;
        const e = s[i] ?? " ";
        if (e === "u") {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(s[i] ?? " ")) return errSp("in \\u hexadecimal character escape");
          }
        } else if (!'"\\/bfnrt'.includes(e)) return errSp("in string escape code");
        i++;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) return err("in string literal");
      i++;
    }
    return "unexpected end of JSON input";
  };
  const num = (): string | undefined => {
    if (s[i] === "-") {
      i++;
      if (!digit(s[i])) return errSp("in numeric literal");
    }
    if (s[i] === "0") i++;
    else while (digit(s[i])) i++;
    if (s[i] === ".") {
      i++;
      if (!digit(s[i])) return errSp("after decimal point in numeric literal");
      while (digit(s[i])) i++;
    }
    if (s[i] === "e" || s[i] === "E") {
      i++;
      if (s[i] === "+" || s[i] === "-") i++;
      if (!digit(s[i])) return errSp("in exponent of numeric literal");
      while (digit(s[i])) i++;
    }
    return undefined;
  };
  const e = value();
  if (e) return e;
  ws();
  if (i < n) return err("after top-level value");
  return undefined;
}

/** JSON text → template value: objects become maps (null prototype), numbers float64. */
export function goJsonParse(s: string): Value {
  const e = goJsonSyntaxError(s);
  if (e !== undefined) throw new GoJsonError(e);
  return fromParsed(JSON.parse(s));
}

function fromParsed(v: unknown): Value {
  if (Array.isArray(v)) return v.map(fromParsed);
  if (v !== null && typeof v === "object") {
    const m = newMap();
    for (const [k, x] of Object.entries(v)) mapSet(m, k, fromParsed(x));
    return m;
  }
  return v as Value;
}

/** The Go type name json reports for a decoded value in "cannot unmarshal X into ..." errors. */
export function jsonKindName(v: Value): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "array";
  return "object";
}
