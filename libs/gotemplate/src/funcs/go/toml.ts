/**
 * BurntSushi/toml 1.2: the Encoder's output for template values (plain keys first, then [tables] and
 * [[arrays of tables]], floats always with a decimal point) and decoding into map[string]interface{}
 * (parsing through smol-toml; integers int64, datetimes time.Time).
 */
import { parse, TomlDate, TomlError } from "smol-toml";
import { GoComplex, GoInt, GoObject, goInt, mapSet, newMap, typeName, type Value } from "../../value.js";
import type { JsonMarshaler } from "./json.js";
import { formatFloat } from "./strconv.js";

export class GoTomlError extends Error {}

const isBare = (k: string) => k !== "" && /^[A-Za-z0-9_-]+$/.test(k);

function quoted(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `"${out}"`;
}

const keyPart = (k: string) => (k === "" ? '""' : isBare(k) ? k : quoted(k));
const keyString = (key: string[]) => key.map(keyPart).join(".");

type TType = "nil" | "bool" | "int" | "float" | "string" | "datetime" | "array" | "hash" | "arrayHash";

const isTimeLike = (v: Value): boolean => v instanceof GoObject && v.goType === "time.Time";
const isTextMarshaler = (v: Value): boolean =>
  v instanceof GoObject && typeof (v as Partial<JsonMarshaler>).goJson === "function";

function ttype(v: Value): TType {
  if (v === null || v === undefined) return "nil";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return "float";
  if (typeof v === "string") return "string";
  if (v instanceof GoInt) return "int";
  if (isTimeLike(v)) return "datetime";
  if (isTextMarshaler(v)) return "string";
  if (v instanceof GoObject) return "hash";
  if (v instanceof GoComplex || typeof v === "function")
    throw new GoTomlError(`toml: unsupported type: ${typeName(v)}`);
  if (v instanceof Uint8Array) return v.length > 0 ? "array" : "array";
  if (Array.isArray(v)) {
    if (v.length === 0) return "array";
    let allHash = true;
    for (const x of v) {
      const t = ttype(x);
      if (t === "nil") throw new GoTomlError("toml: cannot encode array with nil element");
      if (t !== "hash") allHash = false;
    }
    return allHash ? "arrayHash" : "array";
  }
  return "hash";
}

class Encoder {
  out = "";
  private nl(): void {
    if (this.out !== "") this.out += "\n";
  }
  private indent(key: string[]): string {
    return "  ".repeat(Math.max(key.length - 1, 0));
  }

  encode(key: string[], v: Value): void {
    const t = ttype(v);
    switch (t) {
      case "nil":
        return;
      case "arrayHash":
        if (key.length === 0) throw new GoTomlError("toml: top-level values must be Go maps or structs");
        for (const item of v as Value[]) {
          this.nl();
          this.out += `${this.indent(key)}[[${keyString(key)}]]`;
          this.nl();
          this.map(key, item, false);
        }
        return;
      case "hash":
        if (key.length === 1) this.nl();
        if (key.length > 0) {
          this.out += `${this.indent(key)}[${keyString(key)}]`;
          this.nl();
        }
        this.map(key, v, false);
        return;
      default:
        this.keyValue(key, v, false);
    }
  }

  private keyValue(key: string[], v: Value, inline: boolean): void {
    if (key.length === 0) throw new GoTomlError("toml: top-level values must be Go maps or structs");
    this.out += `${this.indent(key)}${keyPart(key[key.length - 1] as string)} = `;
    this.element(v);
    if (!inline) this.nl();
  }

  private element(v: Value): void {
    if (isTimeLike(v) || isTextMarshaler(v)) {
      const text = (v as unknown as JsonMarshaler).goJson();
      this.out += isTimeLike(v) ? String(text) : quoted(String(text));
      return;
    }
    if (typeof v === "string") this.out += quoted(v);
    else if (typeof v === "boolean") this.out += String(v);
    else if (v instanceof GoInt) this.out += v.value.toString();
    else if (typeof v === "number") {
      if (Number.isNaN(v)) this.out += "nan";
      else if (!Number.isFinite(v)) this.out += v < 0 ? "-inf" : "+inf";
      else {
        const s = formatFloat(v, "f");
        this.out += s.includes(".") ? s : `${s}.0`;
      }
    } else if (Array.isArray(v) || v instanceof Uint8Array) {
      const items: Value[] = Array.isArray(v) ? v : Array.from(v, (b) => goInt(b, "uint8"));
      this.out += "[";
      items.forEach((x, i) => {
        this.element(x);
        if (i !== items.length - 1) this.out += ", ";
      });
      this.out += "]";
    } else if (v === null || v === undefined) {
      throw new GoTomlError("toml: cannot encode array with nil element");
    } else if (v instanceof GoObject) this.out += "{}";
    else this.map([], v, true);
  }

  private map(key: string[], v: Value, inline: boolean): void {
    const m = (v instanceof GoObject ? {} : v) as Record<string, Value>;
    const direct: string[] = [];
    const sub: string[] = [];
    for (const k of Object.keys(m)) {
      const t = ttype(m[k]);
      (t === "hash" || t === "arrayHash" ? sub : direct).push(k);
    }
    const write = (keys: string[], trailComma: boolean) => {
      keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      keys.forEach((k, i) => {
        const val = m[k];
        if (val === null || val === undefined) return;
        if (inline) {
          this.keyValue([k], val, true);
          if (trailComma || i !== keys.length - 1) this.out += ", ";
        } else this.encode([...key, k], val);
      });
    };
    if (inline) this.out += "{";
    write(direct, sub.length > 0);
    write(sub, false);
    if (inline) this.out += "}";
  }
}

/** toml.NewEncoder(w).Encode(v): the text, or a GoTomlError with the encoder's error. */
export function goTomlEncode(v: Value): string {
  const e = new Encoder();
  e.encode([], v);
  return e.out;
}

function convert(v: unknown, toTime: (d: TomlDate) => Value): Value {
  if (typeof v === "bigint") return goInt(BigInt.asIntN(64, v), "int64");
  if (v instanceof TomlDate) return toTime(v);
  if (Array.isArray(v)) return v.map((x) => convert(x, toTime));
  if (v !== null && typeof v === "object") {
    const m = newMap();
    for (const [k, x] of Object.entries(v)) mapSet(m, k, convert(x, toTime));
    return m;
  }
  return v as Value;
}

/**
 * TOML 1.0 (BurntSushi 1.2) rejects a trailing comma in an inline table, which smol-toml (TOML 1.1) accepts:
 * returns the 1-based line of the first one, scanning past strings and comments.
 */
function inlineTrailingComma(src: string): number | undefined {
  let line = 1;
  const braces: boolean[] = []; // per open bracket: true for an inline table
  let lastSignificant = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === "\n") line++;
    if (c === "#") {
      while (i + 1 < src.length && src[i + 1] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      i += close.length;
      while (i < src.length && !src.startsWith(close, i)) {
        if (src[i] === "\n") line++;
        if (c === '"' && src[i] === "\\") i++;
        i++;
      }
      i += close.length - 1;
      lastSignificant = c;
      continue;
    }
    if (c === "{" || c === "[") braces.push(c === "{");
    else if (c === "}" || c === "]") {
      const inline = braces.pop();
      if (inline && c === "}" && lastSignificant === ",") return line;
    }
    if (c !== " " && c !== "\t" && c !== "\r" && c !== "\n") lastSignificant = c;
  }
  return undefined;
}

/** Rewords a smol-toml error the way BurntSushi 1.2 reports the same mistake (best effort). */
function burntSushiMessage(e: TomlError, src: string): string {
  const msg = e.message.split("\n")[0]?.replace(/^Invalid TOML document: /, "") ?? "";
  const lineText = src.split("\n")[e.line - 1] ?? "";
  const key = /^\s*([A-Za-z0-9_.-]+)\s*=/.exec(lineText)?.[1];
  const lastKey = key === undefined ? "" : ` (last key ${JSON.stringify(key)})`;
  const atEof =
    src
      .slice(
        src
          .split("\n")
          .slice(0, e.line - 1)
          .join("\n").length + e.column,
      )
      .trim() === "";
  if (msg.startsWith("incomplete key-value")) return "toml: line 0: unexpected EOF; expected key separator '='";
  if (msg.startsWith("illegal character in key")) {
    const ch = lineText[e.column - 1] ?? "\n";
    return `toml: line ${e.line}: expected '.' or '=', but got ${JSON.stringify(ch).replace(/^"|"$/g, "'")} instead`;
  }
  if (msg.startsWith("trying to redefine") && key !== undefined) {
    return `toml: line ${e.line}${lastKey}: Key '${key}' has already been defined.`;
  }
  if (msg.startsWith("unfinished string")) return `toml: line 0${lastKey}: unexpected EOF; expected '"'`;
  if (msg.startsWith("invalid value")) {
    if (atEof || /=\s*(\[[^\]]*)?$/.test(lineText)) return `toml: line 0${lastKey}: unexpected EOF; expected value`;
    const found = lineText.slice(lineText.indexOf("=") + 1).trim();
    return `toml: line ${e.line}${lastKey}: expected value but found ${JSON.stringify(found)} instead`;
  }
  return `toml: line ${e.line}: ${msg}`;
}

/** toml.Unmarshal into map[string]interface{}; `toTime` builds time.Time values. Throws GoTomlError. */
export function goTomlDecode(src: string, toTime: (d: TomlDate) => Value): Record<string, Value> {
  const comma = inlineTrailingComma(src);
  if (comma !== undefined) throw new GoTomlError(`toml: line ${comma}: trailing comma not allowed in inline tables`);
  let parsed: unknown;
  try {
    parsed = parse(src, { integersAsBigInt: true });
  } catch (e) {
    if (e instanceof TomlError) throw new GoTomlError(burntSushiMessage(e, src));
    throw e;
  }
  return convert(parsed, toTime) as Record<string, Value>;
}

export { TomlDate };
