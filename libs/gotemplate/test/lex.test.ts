import { type Item, ItemType, itemString, Lexer } from "../src/internal.js";
import { mulberry32 } from "./gen.js";

function lexAll(input: string): Item[] {
  const l = new Lexer(input);
  const items: Item[] = [];
  for (;;) {
    const i = l.nextItem();
    items.push(i);
    if (i.typ === ItemType.EOF || i.typ === ItemType.Error) return items;
  }
}
const show = (input: string): string[] => lexAll(input).map((i) => `${ItemType[i.typ]}:${i.val}`);

describe("lex", () => {
  test("lex - text and simple action", () => {
    expect(show("a{{.x}}b")).toEqual(["Text:a", "LeftDelim:{{", "Field:.x", "RightDelim:}}", "Text:b", "EOF:"]);
  });

  test("lex - field chains are one item per field", () => {
    expect(show("{{.a.b $x.c}}")).toEqual([
      "LeftDelim:{{",
      "Field:.a",
      "Field:.b",
      "Space: ",
      "Variable:$x",
      "Field:.c",
      "RightDelim:}}",
      "EOF:",
    ]);
  });

  test("lex - keywords, declarations, pipes and parens", () => {
    expect(show("{{if $v := (len .) | not}}{{end}}")).toEqual([
      "LeftDelim:{{",
      "If:if",
      "Space: ",
      "Variable:$v",
      "Space: ",
      "Declare::=",
      "Space: ",
      "LeftParen:(",
      "Identifier:len",
      "Space: ",
      "Dot:.",
      "RightParen:)",
      "Space: ",
      "Pipe:|",
      "Space: ",
      "Identifier:not",
      "RightDelim:}}",
      "LeftDelim:{{",
      "End:end",
      "RightDelim:}}",
      "EOF:",
    ]);
  });

  test("lex - literals of every kind", () => {
    expect(show(`{{"s\\"q" \`raw\` 'x' 0x1F 1e3 -2 1+2i true nil}}`)).toEqual([
      "LeftDelim:{{",
      'String:"s\\"q"',
      "Space: ",
      "RawString:`raw`",
      "Space: ",
      "CharConstant:'x'",
      "Space: ",
      "Number:0x1F",
      "Space: ",
      "Number:1e3",
      "Space: ",
      "Number:-2",
      "Space: ",
      "Complex:1+2i",
      "Space: ",
      "Bool:true",
      "Space: ",
      "Nil:nil",
      "RightDelim:}}",
      "EOF:",
    ]);
  });

  test("lex - trim markers remove surrounding spaces", () => {
    expect(show("a  {{- 3 -}}  b")).toEqual(["Text:a", "LeftDelim:{{", "Number:3", "RightDelim:}}", "Text:b", "EOF:"]);
  });

  test("lex - comments are skipped, trimmed comments trim text", () => {
    expect(show("a {{- /* c */ -}} b{{/* x */}}")).toEqual(["Text:a", "Text:b", "EOF:"]);
  });

  test("lex - lines are counted for items", () => {
    const items = lexAll("a\nb{{.x\n}}\nc");
    expect(items.map((i) => i.line)).toEqual([1, 2, 2, 2, 3, 3, 4]);
  });

  test.each([
    ["{{.x", "unclosed action"],
    ['{{"abc}}', "unterminated quoted string"],
    ["{{`abc", "unterminated raw quoted string"],
    ["{{'ab", "unterminated character constant"],
    ["{{/* x", "unclosed comment"],
    ["{{/* x */ .y}}", "comment ends before closing delimiter"],
    ["{{(1}}", "unclosed left paren"],
    ["{{1)}}", "unexpected right paren U+0029 ')'"],
    ["{{3k}}", 'bad number syntax: "3k"'],
    ["{{a:b}}", "expected :="],
    ["{{\u0001}}", "unrecognized character in action: U+0001"],
  ])("lex - error %j", (input, msg) => {
    const items = lexAll(input);
    const last = items[items.length - 1] as Item;
    expect(last.typ).toBe(ItemType.Error);
    expect(last.val).toBe(msg);
  });

  test("lex - itemString formats like Go", () => {
    expect(itemString({ typ: ItemType.EOF, pos: 0, val: "", line: 1 })).toBe("EOF");
    expect(itemString({ typ: ItemType.If, pos: 0, val: "if", line: 1 })).toBe("<if>");
    expect(itemString({ typ: ItemType.Char, pos: 0, val: "'", line: 1 })).toBe(`"'"`);
    expect(itemString({ typ: ItemType.Text, pos: 0, val: "0123456789abc", line: 1 })).toBe(`"0123456789"...`);
  });

  test("lex - property: every item's text is the input at its position", () => {
    const rnd = mulberry32(7);
    const atoms = [
      "{{",
      "}}",
      "{{- ",
      " -}}",
      ".a",
      "$x",
      " ",
      "|",
      "(",
      ")",
      '"s"',
      "12",
      "if",
      "end",
      "\n",
      "x",
      "é",
    ];
    for (let n = 0; n < 500; n++) {
      let input = "";
      const len = Math.floor(rnd() * 12);
      for (let i = 0; i < len; i++) input += atoms[Math.floor(rnd() * atoms.length)];
      let prev = -1;
      for (const it of lexAll(input)) {
        if (it.typ === ItemType.Error || it.typ === ItemType.EOF) break;
        expect(input.slice(it.pos, it.pos + it.val.length)).toBe(it.val);
        expect(it.pos).toBeGreaterThan(prev);
        prev = it.pos;
      }
    }
  });
});
