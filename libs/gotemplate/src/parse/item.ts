// Lexical items (Go: text/template/parse/lex.go item/itemType). Keywords sort after ItemKeyword.

export enum ItemType {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  Keyword, // sentinel: keywords follow
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Item {
  typ: ItemType;
  /** UTF-16 offset of the item in the input. */
  pos: number;
  val: string;
  /** 1-based line of the item's start. */
  line: number;
}

export const KEYWORDS: Record<string, ItemType> = {
  ".": ItemType.Dot,
  block: ItemType.Block,
  break: ItemType.Break,
  continue: ItemType.Continue,
  define: ItemType.Define,
  else: ItemType.Else,
  end: ItemType.End,
  if: ItemType.If,
  range: ItemType.Range,
  nil: ItemType.Nil,
  template: ItemType.Template,
  with: ItemType.With,
};

/** Go's item.String(), used in parse errors like `unexpected "x" in operand`. */
export function itemString(i: Item): string {
  switch (i.typ) {
    case ItemType.EOF:
      return "EOF";
    case ItemType.Error:
      return i.val;
    default:
      if (i.typ > ItemType.Keyword) return `<${i.val}>`;
      if (i.val.length > 10) return `${goQuote(Array.from(i.val).slice(0, 10).join(""))}...`;
      return goQuote(i.val);
  }
}

/** Minimal strconv.Quote for item text (ASCII controls escaped). */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (c === 10) out += "\\n";
    else if (c === 9) out += "\\t";
    else if (c === 13) out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}
