// AST nodes (Go: text/template/parse/node.go): a discriminated union on `type`; every node has `pos`
// (UTF-16 offset into the template text) and nodeString(n) reprints it as Go's Node.String() does.
import { quote } from "../print.js";
import type { Value } from "../value.js";

export enum NodeType {
  Text,
  Action,
  Bool,
  Chain,
  Command,
  Dot,
  Else, // internal
  End, // internal
  Field,
  Identifier,
  If,
  List,
  Nil,
  Number,
  Pipe,
  Range,
  String,
  Template,
  Variable,
  With,
  Comment,
  Break,
  Continue,
}

export interface TextNode {
  type: NodeType.Text;
  pos: number;
  text: string;
}
export interface CommentNode {
  type: NodeType.Comment;
  pos: number;
  text: string;
}
export interface ListNode {
  type: NodeType.List;
  pos: number;
  nodes: Node[];
}
export interface PipeNode {
  type: NodeType.Pipe;
  pos: number;
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface ActionNode {
  type: NodeType.Action;
  pos: number;
  line: number;
  pipe: PipeNode;
}
export interface CommandNode {
  type: NodeType.Command;
  pos: number;
  args: Node[];
}
export interface IdentifierNode {
  type: NodeType.Identifier;
  pos: number;
  ident: string;
}
export interface VariableNode {
  type: NodeType.Variable;
  pos: number;
  ident: string[];
}
export interface DotNode {
  type: NodeType.Dot;
  pos: number;
}
export interface NilNode {
  type: NodeType.Nil;
  pos: number;
}
export interface FieldNode {
  type: NodeType.Field;
  pos: number;
  ident: string[];
}
export interface ChainNode {
  type: NodeType.Chain;
  pos: number;
  node: Node;
  field: string[];
}
export interface BoolNode {
  type: NodeType.Bool;
  pos: number;
  value: boolean;
}
export interface NumberNode {
  type: NodeType.Number;
  pos: number;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int64: bigint;
  uint64: bigint;
  float64: number;
  complex: [number, number];
  text: string;
  /** The value Go's idealConstant gives this literal as an interface{} argument (computed once). */
  ideal?: Value;
  /** Error idealConstant raises instead (e.g. integer overflow). */
  idealError?: string;
}
export interface StringNode {
  type: NodeType.String;
  pos: number;
  quoted: string;
  text: string;
}
export interface EndNode {
  type: NodeType.End;
  pos: number;
}
export interface ElseNode {
  type: NodeType.Else;
  pos: number;
  line: number;
}
export interface BranchNode<T extends NodeType.If | NodeType.Range | NodeType.With> {
  type: T;
  pos: number;
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}
export type IfNode = BranchNode<NodeType.If>;
export type RangeNode = BranchNode<NodeType.Range>;
export type WithNode = BranchNode<NodeType.With>;
export interface TemplateNode {
  type: NodeType.Template;
  pos: number;
  line: number;
  name: string;
  pipe: PipeNode | null;
}
export interface BreakNode {
  type: NodeType.Break;
  pos: number;
  line: number;
}
export interface ContinueNode {
  type: NodeType.Continue;
  pos: number;
  line: number;
}

export type Node =
  | TextNode
  | CommentNode
  | ListNode
  | PipeNode
  | ActionNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | EndNode
  | ElseNode
  | IfNode
  | RangeNode
  | WithNode
  | TemplateNode
  | BreakNode
  | ContinueNode;

/** Reprints a node as Go's Node.String() (used for `at <...>` error context and round trips). */
export function nodeString(n: Node): string {
  switch (n.type) {
    case NodeType.Text:
      return n.text;
    case NodeType.Comment:
      return `{{${n.text}}}`;
    case NodeType.List:
      return n.nodes.map(nodeString).join("");
    case NodeType.Pipe: {
      let s = "";
      if (n.decl.length > 0) s = `${n.decl.map(nodeString).join(", ")}${n.isAssign ? " = " : " := "}`;
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case NodeType.Action:
      return `{{${nodeString(n.pipe)}}}`;
    case NodeType.Command:
      return n.args.map((a) => (a.type === NodeType.Pipe ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case NodeType.Identifier:
      return n.ident;
    case NodeType.Variable:
      return n.ident.join(".");
    case NodeType.Dot:
      return ".";
    case NodeType.Nil:
      return "nil";
    case NodeType.Field:
      return n.ident.map((i) => `.${i}`).join("");
    case NodeType.Chain: {
      const base = n.node.type === NodeType.Pipe ? `(${nodeString(n.node)})` : nodeString(n.node);
      return base + n.field.map((f) => `.${f}`).join("");
    }
    case NodeType.Bool:
      return n.value ? "true" : "false";
    case NodeType.Number:
      return n.text;
    case NodeType.String:
      return n.quoted;
    case NodeType.End:
      return "{{end}}";
    case NodeType.Else:
      return "{{else}}";
    case NodeType.If:
    case NodeType.Range:
    case NodeType.With: {
      const name = n.type === NodeType.If ? "if" : n.type === NodeType.Range ? "range" : "with";
      let s = `{{${name} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList) s += `{{else}}${nodeString(n.elseList)}`;
      return `${s}{{end}}`;
    }
    case NodeType.Template:
      return `{{template ${quote(n.name)}${n.pipe ? ` ${nodeString(n.pipe)}` : ""}}}`;
    case NodeType.Break:
      return "{{break}}";
    case NodeType.Continue:
      return "{{continue}}";
  }
}

/** Go's parse.IsEmptyTree: only whitespace text and comments. */
export function isEmptyTree(n: Node | null): boolean {
  if (n === null) return true;
  switch (n.type) {
    case NodeType.Comment:
      return true;
    case NodeType.List:
      return n.nodes.every(isEmptyTree);
    case NodeType.Text:
      return n.text.trim().length === 0;
    default:
      return false;
  }
}
