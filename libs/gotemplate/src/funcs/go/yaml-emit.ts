/**
 * A port of the block-style subset of gopkg.in/yaml.v2's emitter (emitterc.go + encode.go): what
 * sigs.k8s.io/yaml.Marshal produces for JSON-shaped data. Same scalar analysis, quoting choices, indentation
 * (sequences not indented under a mapping key), 80-column folding and escapes, so output is byte-identical.
 */

import { analyze, escapeCp, isBreakCp, isPrintableCp, utf8Length } from "./yaml-analyze.js";

export type YNode =
  /** str: a Go string (style chosen by yaml.v2's rules); otherwise a number/bool/null printed plain. */
  { k: "scalar"; text: string; str: boolean } | { k: "seq"; items: YNode[] } | { k: "map"; entries: [YNode, YNode][] };

enum Style {
  Plain,
  Single,
  Double,
  Literal,
}

/** Emitter flavour: yaml.v2 (indent 2, width 80, sequences not indented under keys) or yaml.v3 (indent 4). */
export interface EmitOptions {
  v3: boolean;
}

const V2 = { indent: 2, width: 80 };
const V3 = { indent: 4, width: 2 ** 31 - 1 };

/** The style yaml.v2's encoder requests for a Go string (encode.go stringv). */
function requestedStyle(s: string, plainResolvesToStr: (s: string) => boolean): Style {
  if (s.includes("\n")) return Style.Literal;
  return plainResolvesToStr(s) ? Style.Plain : Style.Double;
}

/** Scalars whose yaml.v2 analysis allows every style: no indicators, breaks, edge spaces or specials. */
const SIMPLE = /^[A-Za-z0-9_/+]([A-Za-z0-9_./+ -]*[A-Za-z0-9_./+-])?$/;

interface Ctx {
  root: boolean;
  sequence: boolean;
  mapping: boolean;
  simpleKey: boolean;
}

class Emitter {
  out = "";
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;
  indents: number[] = [];

  private readonly bestIndent: number;
  private readonly bestWidth: number;

  constructor(
    private readonly plainIsStr: (s: string) => boolean,
    private readonly v3: boolean,
  ) {
    this.bestIndent = v3 ? V3.indent : V2.indent;
    this.bestWidth = v3 ? V3.width : V2.width;
  }

  private put(s: string): void {
    this.out += s;
    this.column += s.length;
  }
  private putBreak(): void {
    this.out += "\n";
    this.column = 0;
  }
  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) this.put(" ".repeat(indent - this.column));
    this.whitespace = true;
    this.indention = true;
  }
  private indicator(s: string, needWs: boolean, isWs: boolean, isIndention: boolean): void {
    if (needWs && !this.whitespace) this.put(" ");
    this.put(s);
    this.whitespace = isWs;
    this.indention = this.indention && isIndention;
  }
  /** `inSeqItem`: the node being indented is a block sequence item (yaml.v3 then indents by 2 only). */
  private increaseIndent(flow: boolean, indentless: boolean, inSeqItem = false): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) {
      if (!this.v3) this.indent += this.bestIndent;
      else if (inSeqItem) this.indent += 2;
      else this.indent = this.bestIndent * Math.floor((this.indent + this.bestIndent) / this.bestIndent);
    }
  }
  private popIndent(): void {
    this.indent = this.indents.pop() as number;
  }

  node(n: YNode, ctx: Ctx): void {
    if (n.k === "scalar") {
      this.scalar(n, ctx);
      return;
    }
    if (n.k === "seq") {
      if (n.items.length === 0) {
        this.emptyFlow("[", "]");
        return;
      }
      this.increaseIndent(false, !this.v3 && ctx.mapping && !this.indention, ctx.sequence);
      for (const item of n.items) {
        this.writeIndent();
        this.indicator("-", true, false, true);
        this.node(item, { root: false, sequence: true, mapping: false, simpleKey: false });
      }
      this.popIndent();
      return;
    }
    if (n.entries.length === 0) {
      this.emptyFlow("{", "}");
      return;
    }
    this.increaseIndent(false, false, ctx.sequence);
    for (const [k, v] of n.entries) {
      this.writeIndent();
      if (this.isSimpleKey(k)) {
        this.node(k, { root: false, sequence: false, mapping: true, simpleKey: true });
        this.indicator(":", false, false, false);
      } else {
        this.indicator("?", true, false, true);
        this.node(k, { root: false, sequence: false, mapping: true, simpleKey: false });
        this.writeIndent();
        this.indicator(":", true, false, true);
      }
      this.node(v, { root: false, sequence: false, mapping: true, simpleKey: false });
    }
    this.popIndent();
  }

  private isSimpleKey(k: YNode): boolean {
    if (k.k === "seq") return k.items.length === 0;
    if (k.k === "map") return k.entries.length === 0;
    if (SIMPLE.test(k.text)) return k.text.length <= 128;
    const cps = Array.from(k.text, (c) => c.codePointAt(0) as number);
    if (analyze(cps).multiline) return false;
    return utf8Length(cps) <= 128;
  }

  private emptyFlow(open: string, close: string): void {
    this.indicator(open, true, true, false);
    this.increaseIndent(true, false);
    this.popIndent();
    this.indicator(close, false, false, false);
  }

  private scalar(n: { text: string; str: boolean }, ctx: Ctx): void {
    // Fast path: ASCII text without indicators, breaks or edge spaces needs no analysis; plain text that
    // cannot reach the fold column is written in one piece.
    if (SIMPLE.test(n.text) && (!n.str || this.plainIsStr(n.text))) {
      const start = this.whitespace ? this.column : this.column + 1;
      if (ctx.simpleKey || !n.text.includes(" ") || start + n.text.length - 1 <= this.bestWidth) {
        if (!this.whitespace) this.put(" ");
        this.put(n.text);
        this.whitespace = false;
        this.indention = false;
        return;
      }
    }
    const cps = Array.from(n.text, (c) => c.codePointAt(0) as number);
    const a = analyze(cps);
    let style = n.str ? requestedStyle(n.text, this.plainIsStr) : Style.Plain;
    if (ctx.simpleKey && a.multiline) style = Style.Double;
    if (style === Style.Plain) {
      if (!a.blockPlain) style = Style.Single;
      if (cps.length === 0 && ctx.simpleKey) style = Style.Single;
    }
    if (style === Style.Single && !a.singleQuoted) style = Style.Double;
    if (style === Style.Literal && (!a.block || ctx.simpleKey)) style = Style.Double;
    this.increaseIndent(true, false, ctx.sequence);
    const allowBreaks = !ctx.simpleKey;
    if (style === Style.Plain) this.plain(cps, allowBreaks);
    else if (style === Style.Single) this.single(cps, allowBreaks);
    else if (style === Style.Double) this.double(cps, allowBreaks);
    else this.literal(cps);
    this.popIndent();
  }

  private writeBreakCp(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.out += String.fromCodePoint(c);
      this.column = 0;
    }
  }

  private plain(cps: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(" ");
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i] as number;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && cps[i + 1] !== 0x20) this.writeIndent();
        else this.put(" ");
        spaces = true;
      } else if (isBreakCp(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(String.fromCodePoint(c));
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private single(cps: number[], allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const n = cps.length;
    for (let i = 0; i < n; i++) {
      const c = cps[i] as number;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < n - 1 && cps[i + 1] !== 0x20) {
          this.writeIndent();
        } else this.put(" ");
        spaces = true;
      } else if (isBreakCp(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.put(String.fromCodePoint(c));
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private double(cps: number[], allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    let spaces = false;
    const n = cps.length;
    for (let i = 0; i < n; i++) {
      const c = cps[i] as number;
      if (!isPrintableCp(c) || c === 0xfeff || isBreakCp(c) || c === 0x22 || c === 0x5c) {
        this.put(escapeCp(c));
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < n - 1) {
          this.writeIndent();
          if (cps[i + 1] === 0x20) this.put("\\");
        } else this.put(" ");
        spaces = true;
      } else {
        this.put(String.fromCodePoint(c));
        spaces = false;
      }
    }
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private literal(cps: number[]): void {
    this.indicator("|", true, false, false);
    const n = cps.length;
    if (cps[0] === 0x20 || isBreakCp(cps[0])) this.indicator(String(this.bestIndent), false, false, false);
    let chomp = "";
    if (n === 0 || !isBreakCp(cps[n - 1])) chomp = "-";
    else if (n === 1 || isBreakCp(cps[n - 2])) chomp = "+";
    if (chomp) this.indicator(chomp, false, false, false);
    if (!this.v3) {
      // yaml.v2 breaks after the header; yaml.v3 lets the first line's indent (or the value's break) do it.
      this.putBreak();
      this.indention = true;
    }
    this.whitespace = true;
    let breaks = true;
    for (const c of cps) {
      if (isBreakCp(c)) {
        this.writeBreakCp(c);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(String.fromCodePoint(c));
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/**
 * Emits one YAML document as yaml.v2's Marshal does (trailing newline included). `plainIsStr(s)` must say
 * whether the plain scalar s would resolve to a string (yaml.v2 resolve + base-60 float check).
 */
export function emitYaml(root: YNode, plainIsStr: (s: string) => boolean, opts: EmitOptions = { v3: false }): string {
  const e = new Emitter(plainIsStr, opts.v3);
  e.node(root, { root: true, sequence: false, mapping: false, simpleKey: false });
  // Document end: yaml_emitter_write_indent then flush.
  if (!e.indention || e.column > 0 || !e.whitespace) e.out += "\n";
  return e.out;
}
