import {
  builtins,
  type ListNode,
  NodeType,
  nodeString,
  parse,
  parseTemplate,
  TemplateError,
  type TreeSet,
} from "../src/internal.js";
import { mulberry32, TemplateGen } from "./gen.js";

const hasFunc = (n: string): boolean => n in builtins || n === "upper";

function parseRoot(text: string): { root: ListNode; trees: TreeSet } {
  const trees: TreeSet = new Map();
  parseTemplate("t", text, hasFunc, trees);
  return { root: (trees.get("t") as { root: ListNode }).root, trees };
}

function parseError(text: string): string {
  try {
    parse("x", text, { funcs: "none" });
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    expect((e as TemplateError).code).toBe("EVT_GOTEMPLATE_PARSE");
    return (e as Error).message;
  }
  throw new Error(`no parse error for ${text}`);
}

describe("parse", () => {
  test("parse - String() reprints the template as Go does", () => {
    const cases: [string, string][] = [
      ["{{.a.b}}", "{{.a.b}}"],
      ["{{ $x := 1 }}{{ $x = 2 }}", "{{$x := 1}}{{$x = 2}}"],
      ["{{if .a}}x{{else if .b}}y{{else}}z{{end}}", "{{if .a}}x{{else}}{{if .b}}y{{else}}z{{end}}{{end}}"],
      ["{{range $i, $e := .l}}{{$e}}{{break}}{{end}}", "{{range $i, $e := .l}}{{$e}}{{break}}{{end}}"],
      ["{{with .a}}{{.}}{{else}}n{{end}}", "{{with .a}}{{.}}{{else}}n{{end}}"],
      ['{{(print "a").x | len}}', '{{(print "a").x | len}}'],
      ['{{template "n" .}}{{define "n"}}{{end}}', '{{template "n" .}}'],
      ["{{ 0x1F }} {{ 'a' }} {{ `r` }} {{ nil | print }}", "{{0x1F}} {{'a'}} {{`r`}} {{nil | print}}"],
    ];
    for (const [src, want] of cases) expect(nodeString(parseRoot(src).root)).toBe(want);
  });

  test("parse - nodes carry positions", () => {
    const { root } = parseRoot("ab{{ .x.y }}");
    const action = root.nodes[1];
    expect(action?.type).toBe(NodeType.Action);
    if (action?.type !== NodeType.Action) return;
    const field = action.pipe.cmds[0]?.args[0];
    expect(field?.type).toBe(NodeType.Field);
    expect(field?.pos).toBe(7); // Go positions a field chain at its second field
  });

  test("parse - define and block add named templates", () => {
    const { trees } = parseRoot('{{define "a"}}A{{end}}{{block "b" .}}B{{end}}');
    expect([...trees.keys()].sort()).toEqual(["a", "b", "t"]);
  });

  test.each([
    ["{{if}}x{{end}}", "template: x:1: missing value for if"],
    ["{{else}}", "template: x:1: unexpected {{else}}"],
    ["{{end}}", "template: x:1: unexpected {{end}}"],
    ["{{if true}}a{{else}}b{{else}}c{{end}}", "template: x:1: expected end; found {{else}}"],
    ["{{if true}}", "template: x:1: unexpected EOF"],
    ["{{$undefined}}", 'template: x:1: undefined variable "$undefined"'],
    ["{{$a, $b := 1}}", "template: x:1: too many declarations in command"],
    ["{{range $a, $b, $c := .}}{{end}}", "template: x:1: too many declarations in range"],
    ["{{nope 1}}", 'template: x:1: function "nope" not defined'],
    ["{{ /* c */ }}", 'template: x:1: unexpected "/" in command'],
    ["{{.x | 3}}", "template: x:1: non executable command in pipeline stage 2"],
    ["{{break}}", "template: x:1: {{break}} outside {{range}}"],
    ["{{continue}}", "template: x:1: {{continue}} outside {{range}}"],
    ['{{"x".y}}', 'template: x:1: unexpected . after term "\\"x\\""'],
    ["{{99999999999999999999}}", 'template: x:1: integer overflow: "99999999999999999999"'],
    ["{{08}}", 'template: x:1: integer overflow: "08"'],
    ['{{"\\q"}}', "template: x:1: invalid syntax"],
    ["{{ .a\n.b", "template: x:2: unclosed action started at x:1"],
    ['{{define "a"}}1{{end}}{{define "a"}}2{{end}}', 'template: x:1: template: multiple definition of template "a"'],
    ["{{template .x}}", 'template: x:1: unexpected ".x" in template clause'],
    ["a\n{{(}}", "template: x:2: unclosed left paren"],
  ])("parse - rejects %j like Go", (src, msg) => {
    expect(parseError(src)).toBe(msg);
  });

  test("parse - single-quoted strings get a hint after Go's message", () => {
    const msg = parseError("{{ if eq .type 'auth.logout' }}x{{ end }}");
    expect(msg).toMatch(/^template: x:1: malformed character constant: 'auth.logout'/);
    expect(msg).toMatch(/use double quotes or backticks/);
    expect(parseError("{{ 'abc }}")).toMatch(/unterminated character constant.*double quotes/);
  });

  test("parse - property: parse → String() → parse is a fixed point", () => {
    const gen = new TemplateGen(mulberry32(42));
    let checked = 0;
    for (let i = 0; i < 600; i++) {
      const src = gen.template();
      let first: string;
      try {
        first = nodeString(parseRoot(src).root);
      } catch {
        // generated text may be invalid (e.g. break outside range after trimming); skip those
        continue;
      }
      const second = nodeString(parseRoot(first).root);
      expect(second).toBe(first);
      checked++;
    }
    expect(checked).toBeGreaterThan(400);
  });
});
