// The parser (Go: text/template/parse/parse.go): recursive descent over the lexer's items with a
// 3-token lookahead. Errors are thrown as ParseError with Go's `template: NAME:LINE: msg` text.
import { type Item, ItemType, itemString } from "./item.js";
import { Lexer } from "./lex.js";
import { newNumber, SyntaxError_, unquote } from "./literal.js";
import {
  type ChainNode,
  type CommandNode,
  isEmptyTree,
  type ListNode,
  type Node,
  NodeType,
  nodeString,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from "./node.js";

export class ParseError extends Error {}

/** One parsed template body. `text` is the whole source it came from (for error positions). */
export interface Tree {
  name: string;
  parseName: string;
  root: ListNode;
  text: string;
}

export type TreeSet = Map<string, Tree>;

class Parser {
  name: string;
  root: ListNode | null = null;
  private token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ["$"];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(
    name: string,
    readonly parseName: string,
    readonly text: string,
    readonly lex: Lexer,
    readonly hasFunc: (name: string) => boolean,
    readonly treeSet: TreeSet,
  ) {
    this.name = name;
  }

  // ---- token plumbing ----
  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount] as Item;
  }
  backup(): void {
    this.peekCount++;
  }
  backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1] as Item;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  nextNonSpace(): Item {
    let token: Item;
    do token = this.next();
    while (token.typ === ItemType.Space);
    return token;
  }
  peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // ---- errors ----
  errorf(msg: string): never {
    this.root = null;
    throw new ParseError(`template: ${this.parseName}:${this.token[0]?.line ?? 1}: ${msg}`);
  }
  expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }
  expectOneOf(e1: ItemType, e2: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== e1 && token.typ !== e2) this.unexpected(token, context);
    return token;
  }
  unexpected(token: Item, context: string): never {
    if (token.typ === ItemType.Error) {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(`${itemString(token)}${extra}${hint(token)}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }
  literal<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof SyntaxError_)
        this.errorf(`${e.message}${e.message.startsWith("malformed character") ? SQUOTE_HINT : ""}`);
      throw e;
    }
  }

  // ---- grammar ----
  /** Template: (text | action | define)* EOF */
  parse(): void {
    this.root = { type: NodeType.List, pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== ItemType.EOF) {
      if (this.peek().typ === ItemType.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === ItemType.Define) {
          const def = new Parser("definition", this.parseName, this.text, this.lex, this.hasFunc, this.treeSet);
          def.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === NodeType.End || n.type === NodeType.Else) this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  add(): void {
    const existing = this.treeSet.get(this.name);
    const tree: Tree = { name: this.name, parseName: this.parseName, root: this.root as ListNode, text: this.text };
    if (existing === undefined || isEmptyTree(existing.root)) {
      this.treeSet.set(this.name, tree);
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${JSON.stringify(this.name)}`);
  }

  /** {{define "name"}} list {{end}} — the "define" keyword has been consumed. */
  parseDefinition(): void {
    const context = "define clause";
    const name = this.expectOneOf(ItemType.String, ItemType.RawString, context);
    this.name = this.literal(() => unquote(name.val));
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== NodeType.End) this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  /** textOrAction* ending in {{end}} or {{else}}, which is returned too. */
  itemList(): [ListNode, Node] {
    const list: ListNode = { type: NodeType.List, pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n.type === NodeType.End || n.type === NodeType.Else) return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Text:
        return { type: NodeType.Text, pos: token.pos, text: token.val };
      case ItemType.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case ItemType.Comment:
        return { type: NodeType.Comment, pos: token.pos, text: token.val };
      default:
        this.unexpected(token, "input");
    }
  }

  action(): Node {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Block:
        return this.blockControl();
      case ItemType.Break:
        return this.branchControl(token, "break", NodeType.Break);
      case ItemType.Continue:
        return this.branchControl(token, "continue", NodeType.Continue);
      case ItemType.Else:
        return this.elseControl();
      case ItemType.End:
        return { type: NodeType.End, pos: this.expect(ItemType.RightDelim, "end").pos };
      case ItemType.If:
        return this.control(NodeType.If, true, "if");
      case ItemType.Range:
        return this.control(NodeType.Range, false, "range");
      case ItemType.Template:
        return this.templateControl();
      case ItemType.With:
        return this.control(NodeType.With, false, "with");
    }
    this.backup();
    const t = this.peek();
    return { type: NodeType.Action, pos: t.pos, line: t.line, pipe: this.pipeline("command", ItemType.RightDelim) };
  }

  branchControl(token: Item, word: string, type: NodeType.Break | NodeType.Continue): Node {
    const t = this.nextNonSpace();
    if (t.typ !== ItemType.RightDelim) this.unexpected(t, `{{${word}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${word}}} outside {{range}}`);
    return { type, pos: token.pos, line: token.line };
  }

  /** Pipeline: declarations? command ('|' command)* */
  pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = {
      type: NodeType.Pipe,
      pos: token.pos,
      line: token.line,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== ItemType.Variable) break;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === ItemType.Assign || next.typ === ItemType.Declare) {
        pipe.isAssign = next.typ === ItemType.Assign;
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.typ === ItemType.Char && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === ItemType.Variable || p === ItemType.RightDelim || p === ItemType.RightParen) continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === ItemType.Space) this.backup3(v, tokenAfterVariable);
      else this.backup2(v);
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.typ) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case ItemType.Bool:
        case ItemType.CharConstant:
        case ItemType.Complex:
        case ItemType.Dot:
        case ItemType.Field:
        case ItemType.Identifier:
        case ItemType.Number:
        case ItemType.Nil:
        case ItemType.RawString:
        case ItemType.String:
        case ItemType.Variable:
        case ItemType.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = (pipe.cmds[i] as CommandNode).args[0]?.type;
      if (
        t === NodeType.Bool ||
        t === NodeType.Dot ||
        t === NodeType.Nil ||
        t === NodeType.Number ||
        t === NodeType.String
      ) {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  control(type: NodeType.If | NodeType.Range | NodeType.With, allowElseIf: boolean, context: string): Node {
    const nvars = this.vars.length;
    try {
      const pipe = this.pipeline(context, ItemType.RightDelim);
      if (context === "range") this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === "range") this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === NodeType.Else) {
        if (allowElseIf && this.peek().typ === ItemType.If) {
          this.next();
          elseList = { type: NodeType.List, pos: next.pos, nodes: [this.control(NodeType.If, true, "if")] };
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== NodeType.End) this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type, pos: pipe.pos, line: pipe.line, pipe, list, elseList } as Node;
    } finally {
      this.vars.length = nvars;
    }
  }

  elseControl(): Node {
    const peek = this.peekNonSpace();
    if (peek.typ === ItemType.If) return { type: NodeType.Else, pos: peek.pos, line: peek.line };
    const token = this.expect(ItemType.RightDelim, "else");
    return { type: NodeType.Else, pos: token.pos, line: token.line };
  }

  /** {{block "name" pipeline}} list {{end}}: defines "name" and executes it in place. */
  blockControl(): Node {
    const context = "block clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const block = new Parser(name, this.parseName, this.text, this.lex, this.hasFunc, this.treeSet);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== NodeType.End) this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: NodeType.Template, pos: token.pos, line: token.line, name, pipe } satisfies TemplateNode;
  }

  templateControl(): Node {
    const context = "template clause";
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().typ !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return { type: NodeType.Template, pos: token.pos, line: token.line, name, pipe } satisfies TemplateNode;
  }

  parseTemplateName(token: Item, context: string): string {
    if (token.typ === ItemType.String || token.typ === ItemType.RawString)
      return this.literal(() => unquote(token.val));
    this.unexpected(token, context);
  }

  /** Command: operand (space operand)* */
  command(): CommandNode {
    const cmd: CommandNode = { type: NodeType.Command, pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand !== null) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === ItemType.Space) continue;
      if (token.typ === ItemType.RightDelim || token.typ === ItemType.RightParen) this.backup();
      else if (token.typ !== ItemType.Pipe) this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  /** Operand: term .Field* */
  operand(): Node | null {
    let node = this.term();
    if (node === null) return null;
    if (this.peek().typ === ItemType.Field) {
      const chain: ChainNode = { type: NodeType.Chain, pos: this.peek().pos, node, field: [] };
      while (this.peek().typ === ItemType.Field) chain.field.push(this.next().val.slice(1));
      switch (node.type) {
        case NodeType.Field:
          node = { type: NodeType.Field, pos: chain.pos, ident: [...node.ident, ...chain.field] };
          break;
        case NodeType.Variable:
          node = this.newVariable(chain.pos, nodeString(chain));
          break;
        case NodeType.Bool:
        case NodeType.String:
        case NodeType.Number:
        case NodeType.Nil:
        case NodeType.Dot:
          this.errorf(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
          break;
        default:
          node = chain;
      }
    }
    return node;
  }

  term(): Node | null {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case ItemType.Identifier:
        if (!this.hasFunc(token.val)) this.errorf(`function ${JSON.stringify(token.val)} not defined`);
        return { type: NodeType.Identifier, pos: token.pos, ident: token.val };
      case ItemType.Dot:
        return { type: NodeType.Dot, pos: token.pos };
      case ItemType.Nil:
        return { type: NodeType.Nil, pos: token.pos };
      case ItemType.Variable:
        return this.useVar(token.pos, token.val);
      case ItemType.Field:
        return { type: NodeType.Field, pos: token.pos, ident: token.val.slice(1).split(".") };
      case ItemType.Bool:
        return { type: NodeType.Bool, pos: token.pos, value: token.val === "true" };
      case ItemType.CharConstant:
      case ItemType.Complex:
      case ItemType.Number:
        return this.literal(() =>
          newNumber(token.pos, token.val, token.typ === ItemType.CharConstant, token.typ === ItemType.Complex),
        );
      case ItemType.LeftParen:
        return this.pipeline("parenthesized pipeline", ItemType.RightParen);
      case ItemType.String:
      case ItemType.RawString:
        return {
          type: NodeType.String,
          pos: token.pos,
          quoted: token.val,
          text: this.literal(() => unquote(token.val)),
        };
    }
    this.backup();
    return null;
  }

  newVariable(pos: number, name: string): VariableNode {
    return { type: NodeType.Variable, pos, ident: name.split(".") };
  }

  useVar(pos: number, name: string): Node {
    const v = this.newVariable(pos, name);
    if (this.vars.includes(v.ident[0] as string)) return v;
    this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
  }
}

const SQUOTE_HINT = " (hint: single quotes make a character constant; use double quotes or backticks for strings)";

/** Our addition to Go's message where users commonly slip. */
function hint(token: Item): string {
  if (token.val === "unterminated character constant") return SQUOTE_HINT;
  return "";
}

/**
 * Parses `text` as template `name` (plus every {{define}}/{{block}} it contains) into `treeSet`.
 * `hasFunc` says which function names exist (Go rejects unknown functions at parse time).
 */
export function parseTemplate(name: string, text: string, hasFunc: (n: string) => boolean, treeSet: TreeSet): void {
  const lex = new Lexer(text);
  const p = new Parser(name, name, text, lex, hasFunc, treeSet);
  p.parse();
  p.add();
}
