// The executor (Go: text/template/exec.go). One ExecState per execution walks the AST, keeping variables
// on a stack and the current node for error context. Values follow value.ts, with one executor-internal
// distinction Go's reflect makes: `undefined` is "no value" (invalid reflect.Value) and `null` a nil held
// in an interface (map value / slice element). `iface` tracks whether the last value came out of an
// interface{} container, which changes Go's error texts ("in type interface {}").
import { computeIdeal, evalArg, evalCall } from "./call.js";
import { TemplateError, type TemplateErrorCode } from "./errors.js";
import {
  type ActionNode,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  NodeType,
  type NumberNode,
  nodeString,
  type PipeNode,
  type RangeNode,
  type TemplateNode,
  type VariableNode,
} from "./parse/node.js";
import type { Tree, TreeSet } from "./parse/parse.js";
import { quote, toGoString } from "./print.js";
import {
  GO_TYPE,
  type GoFunc,
  GoObject,
  goInt,
  hasKey,
  isMap,
  sortedKeys,
  truth,
  typeName,
  utf8Len,
  type Value,
} from "./value.js";

export interface FuncEntry {
  fn: GoFunc;
  builtin: boolean;
}
export type FuncTable = Map<string, FuncEntry>;

export interface ExecLimits {
  maxDepth: number;
  maxOutputBytes: number;
  /** Absolute Date.now() deadline, or Infinity. */
  deadline: number;
}

/** Internal: the error Go's state.errorf panics with. */
export class ExecError extends Error {
  constructor(
    message: string,
    readonly code: TemplateErrorCode = "EVT_GOTEMPLATE_EXEC",
  ) {
    super(message);
  }
}

export const MISSING: unique symbol = Symbol("missingVal");
export type Final = Value | typeof MISSING;

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type Signal = 0 | 1 | 2;

const untypedSlice = (v: object): boolean => {
  const t = (v as { [GO_TYPE]?: string })[GO_TYPE];
  return t === undefined || t === "[]interface {}";
};
const untypedMap = (v: object): boolean => {
  const t = (v as { [GO_TYPE]?: string })[GO_TYPE];
  return t === undefined || t === "map[string]interface {}";
};

export class ExecState {
  out = "";
  outBytes = 0;
  node: Node | null = null;
  depth = 0;
  tmplName: string;
  varNames: string[];
  varValues: Value[];
  varIface: boolean[];
  dotIface = false;
  iface = false;
  steps = 0;

  constructor(
    readonly tree: Tree,
    readonly trees: TreeSet,
    readonly funcs: FuncTable,
    readonly limits: ExecLimits,
    data: Value,
  ) {
    this.tmplName = tree.name;
    this.varNames = ["$"];
    this.varValues = [data];
    this.varIface = [false];
  }

  // ---- errors and limits ----
  errorf(msg: string, code?: TemplateErrorCode): never {
    const name = this.tmplName;
    if (this.node === null) throw new ExecError(`template: ${name}: ${msg}`, code);
    const text = this.tree.text;
    const pos = this.node.pos;
    const nl = text.lastIndexOf("\n", pos - 1);
    let line = 1;
    for (let i = text.indexOf("\n"); i >= 0 && i < pos; i = text.indexOf("\n", i + 1)) line++;
    const col = utf8Len(text.slice(nl + 1, pos));
    const loc = `${this.tree.parseName}:${line}:${col}`;
    throw new ExecError(`template: ${loc}: executing ${quote(name)} at <${nodeString(this.node)}>: ${msg}`, code);
  }

  write(s: string): void {
    this.out += s;
    this.outBytes += utf8Len(s);
    if (this.outBytes > this.limits.maxOutputBytes) {
      throw new ExecError(
        `template: ${this.tmplName}: output exceeds the limit of ${this.limits.maxOutputBytes} bytes`,
        "EVT_GOTEMPLATE_OUTPUT_LIMIT",
      );
    }
  }

  tick(): void {
    if ((++this.steps & 1023) === 0 && Date.now() > this.limits.deadline) {
      throw new ExecError(`template: ${this.tmplName}: execution exceeded its time budget`, "EVT_GOTEMPLATE_TIMEOUT");
    }
  }

  // ---- variables ----
  mark(): number {
    return this.varNames.length;
  }
  pop(mark: number): void {
    this.varNames.length = mark;
    this.varValues.length = mark;
    this.varIface.length = mark;
  }
  push(name: string, v: Value, iface: boolean): void {
    this.varNames.push(name);
    this.varValues.push(v);
    this.varIface.push(iface);
  }
  setVar(name: string, v: Value): void {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) {
        this.varValues[i] = v;
        this.varIface[i] = false;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  setTopVar(n: number, v: Value, iface: boolean): void {
    const i = this.varNames.length - n;
    this.varValues[i] = v;
    this.varIface[i] = iface;
  }
  varValue(name: string): Value {
    for (let i = this.varNames.length - 1; i >= 0; i--) {
      if (this.varNames[i] === name) {
        this.iface = this.varIface[i] as boolean;
        return this.varValues[i];
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking ----
  walk(dot: Value, node: Node): Signal {
    this.node = node;
    switch (node.type) {
      case NodeType.Action: {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return NORMAL;
      }
      case NodeType.Text:
        this.write(node.text);
        return NORMAL;
      case NodeType.List: {
        const nodes = node.nodes;
        for (let i = 0; i < nodes.length; i++) {
          const r = this.walk(dot, nodes[i] as Node);
          if (r !== NORMAL) return r;
        }
        return NORMAL;
      }
      case NodeType.If:
      case NodeType.With:
        return this.walkIfOrWith(dot, node);
      case NodeType.Range:
        return this.walkRange(dot, node);
      case NodeType.Template:
        this.walkTemplate(dot, node);
        return NORMAL;
      case NodeType.Break:
        return BREAK;
      case NodeType.Continue:
        return CONTINUE;
      case NodeType.Comment:
        return NORMAL;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  walkIfOrWith(dot: Value, node: BranchNode<NodeType.If | NodeType.With>): Signal {
    const mark = this.varNames.length;
    const val = this.evalPipeline(dot, node.pipe);
    let r: Signal = NORMAL;
    if (truth(val)) {
      if (node.type === NodeType.With) {
        const saved = this.dotIface;
        this.dotIface = false;
        r = this.walk(val, node.list);
        this.dotIface = saved;
      } else r = this.walk(dot, node.list);
    } else if (node.elseList !== null) r = this.walk(dot, node.elseList);
    if (this.varNames.length !== mark) this.pop(mark);
    return r;
  }

  walkRange(dot: Value, r: RangeNode): Signal {
    this.node = r;
    const mark0 = this.mark();
    const val = this.evalPipeline(dot, r.pipe);
    const mark = this.mark();
    const savedDotIface = this.dotIface;
    let iterated = false;
    if (Array.isArray(val)) {
      iterated = val.length > 0;
      const iface = untypedSlice(val);
      for (let i = 0; i < val.length; i++) if (this.rangeStep(r, mark, goInt(i), val[i] ?? null, iface)) break;
    } else if (val instanceof Uint8Array) {
      iterated = val.length > 0;
      for (let i = 0; i < val.length; i++) {
        if (this.rangeStep(r, mark, goInt(i), goInt(val[i] as number, "uint8"), false)) break;
      }
    } else if (val !== undefined && val !== null && isMap(val)) {
      const keys = sortedKeys(val);
      iterated = keys.length > 0;
      const iface = untypedMap(val);
      for (const k of keys) if (this.rangeStep(r, mark, k, val[k] ?? null, iface)) break;
    } else if (val !== undefined && val !== null) {
      this.errorf(`range can't iterate over ${toGoString(val)}`);
    }
    this.dotIface = savedDotIface;
    if (!iterated && r.elseList !== null) this.walk(dot, r.elseList);
    this.pop(mark0);
    return NORMAL;
  }

  /** One range iteration (Go's oneIteration); true when the body executed {{break}}. */
  rangeStep(r: RangeNode, mark: number, index: Value, elem: Value, iface: boolean): boolean {
    this.tick();
    const ndecl = r.pipe.decl.length;
    if (ndecl > 0) this.setTopVar(1, elem, iface);
    if (ndecl > 1) this.setTopVar(2, index, false);
    const saved = this.dotIface;
    this.dotIface = iface;
    const sig = this.walk(elem, r.list);
    this.dotIface = saved;
    this.pop(mark);
    return sig === BREAK;
  }

  walkTemplate(dot: Value, t: TemplateNode): void {
    this.node = t;
    const tree = this.trees.get(t.name);
    if (tree === undefined) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth >= this.limits.maxDepth) {
      this.errorf(`exceeded maximum template depth (${this.limits.maxDepth})`, "EVT_GOTEMPLATE_DEPTH");
    }
    this.tick();
    const newDot = this.evalPipeline(dot, t.pipe);
    const saved = [this.tmplName, this.varNames, this.varValues, this.varIface, this.dotIface] as const;
    this.tmplName = tree.name;
    this.varNames = ["$"];
    this.varValues = [newDot];
    this.varIface = [false];
    this.dotIface = false;
    this.depth++;
    this.walk(newDot, tree.root);
    this.depth--;
    [this.tmplName, this.varNames, this.varValues, this.varIface, this.dotIface] = saved;
  }

  printValue(node: ActionNode, v: Value): void {
    this.node = node;
    if (v === undefined || v === null) {
      this.write("<no value>");
      return;
    }
    if (typeof v === "function") this.errorf(`can't print ${nodeString(node)} of type ${typeName(v)}`);
    this.write(typeof v === "string" ? v : toGoString(v));
  }

  // ---- evaluation ----
  evalPipeline(dot: Value, pipe: PipeNode | null): Value {
    if (pipe === null) return undefined;
    this.node = pipe;
    let value: Final = MISSING;
    const cmds = pipe.cmds;
    for (let i = 0; i < cmds.length; i++) {
      value = this.evalCommand(dot, cmds[i] as CommandNode, value);
      if (value === null) value = undefined; // nil interface → no value
    }
    this.iface = false;
    const decl = pipe.decl;
    for (let i = 0; i < decl.length; i++) {
      const name = (decl[i] as VariableNode).ident[0] as string;
      if (pipe.isAssign) this.setVar(name, value as Value);
      else this.push(name, value as Value, false);
    }
    return value as Value;
  }

  notAFunction(args: Node[] | null, final: Final): void {
    if ((args !== null && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString((args as Node[])[0] as Node)}`);
    }
  }

  evalCommand(dot: Value, cmd: CommandNode, final: Final): Value {
    const first = cmd.args[0] as Node;
    this.iface = false;
    switch (first.type) {
      case NodeType.Field:
        return this.evalFieldNode(dot, first, cmd.args, final);
      case NodeType.Chain:
        return this.evalChainNode(dot, first, cmd.args, final);
      case NodeType.Identifier:
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case NodeType.Pipe:
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case NodeType.Variable:
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case NodeType.Bool:
        return first.value;
      case NodeType.Dot:
        this.iface = this.dotIface;
        return dot;
      case NodeType.Nil:
        this.errorf("nil is not a command");
        break;
      case NodeType.Number:
        return this.idealConstant(first);
      case NodeType.String:
        return first.text;
    }
    this.errorf(`can't evaluate command ${quote(nodeString(first))}`);
  }

  idealConstant(n: NumberNode): Value {
    this.node = n;
    if (n.ideal === undefined && n.idealError === undefined) computeIdeal(n);
    if (n.idealError !== undefined) this.errorf(n.idealError);
    return n.ideal;
  }

  evalFieldNode(dot: Value, field: FieldNode, args: Node[] | null, final: Final): Value {
    this.node = field;
    return this.evalFieldChain(dot, dot, this.dotIface, field, field.ident, args, final);
  }

  evalChainNode(dot: Value, chain: ChainNode, args: Node[] | null, final: Final): Value {
    this.node = chain;
    if (chain.node.type === NodeType.Nil) this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = evalArg(this, dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, this.iface, chain, chain.field, args, final);
  }

  evalVariableNode(dot: Value, v: VariableNode, args: Node[] | null, final: Final): Value {
    this.node = v;
    const value = this.varValue(v.ident[0] as string);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, this.iface, v, v.ident, args, final, 1);
  }

  evalFieldChain(
    dot: Value,
    receiver: Value,
    iface: boolean,
    node: Node,
    ident: string[],
    args: Node[] | null,
    final: Final,
    from = 0,
  ): Value {
    const n = ident.length;
    for (let i = from; i < n - 1; i++) {
      receiver = this.evalField(dot, ident[i] as string, node, null, MISSING, receiver, iface);
      iface = this.iface;
    }
    return this.evalField(dot, ident[n - 1] as string, node, args, final, receiver, iface);
  }

  evalField(
    dot: Value,
    name: string,
    node: Node,
    args: Node[] | null,
    final: Final,
    receiver: Value,
    iface: boolean,
  ): Value {
    if (receiver === undefined) this.errorf(`nil data; no entry for key ${quote(name)}`);
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    if (typeof receiver === "object") {
      if (receiver instanceof GoObject) {
        const m = receiver.method(name);
        if (m !== undefined) return evalCall(this, dot, m, false, node, name, args, final);
        const f = receiver.field(name);
        if (f !== undefined) {
          if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
          this.iface = false;
          return f;
        }
      } else if (isMap(receiver)) {
        if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
        if (hasKey(receiver, name)) {
          this.iface = untypedMap(receiver);
          const v = receiver[name];
          return v === undefined ? null : v;
        }
        this.errorf(`map has no entry for key ${quote(name)}`);
      }
    }
    this.errorf(`can't evaluate field ${name} in type ${iface ? "interface {}" : typeName(receiver)}`);
  }

  evalFunction(dot: Value, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Final): Value {
    this.node = node;
    const name = node.ident;
    const entry = this.funcs.get(name);
    if (entry === undefined) this.errorf(`${quote(name)} is not a defined function`);
    return evalCall(this, dot, entry.fn, entry.builtin, cmd, name, args, final);
  }
}

/** Runs `tree` with `data`; returns the output or throws TemplateError. */
export function execute(tree: Tree, trees: TreeSet, funcs: FuncTable, limits: ExecLimits, data: Value): string {
  const s = new ExecState(tree, trees, funcs, limits, data === null ? undefined : data);
  try {
    s.walk(s.varValues[0], tree.root as ListNode);
  } catch (e) {
    if (e instanceof ExecError) throw new TemplateError(e.code, e.message, { cause: e });
    if (e instanceof RangeError && /call stack/.test(e.message)) {
      throw new TemplateError(
        "EVT_GOTEMPLATE_DEPTH",
        `template: ${s.tmplName}: execution too deeply nested (JavaScript stack exhausted)`,
        { cause: e },
      );
    }
    throw new TemplateError(
      "EVT_GOTEMPLATE_INTERNAL",
      `template: ${s.tmplName}: internal error: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  return s.out;
}
