import {
  FuncError,
  GoObject,
  goFunc,
  goInt,
  type Kind,
  parse,
  registerFuncs,
  render,
  TemplateError,
  typed,
  type Value,
} from "../src/internal.js";

const data = {
  s: "str",
  n: 3,
  f: 2.5,
  t: true,
  nil: null,
  list: [3, 1, 2],
  strs: typed(["b", "a"], "[]string"),
  m: { k2: "v2", k1: "v1" },
  nested: { a: { b: "deep" } },
  holes: [null, "x"],
};

const run = (tpl: string, d: Value = data): string => render(tpl, d, { name: "t", funcs: "none" });

function fail(tpl: string, d: Value = data, opts = {}): TemplateError {
  try {
    render(tpl, d, { name: "t", funcs: "none", ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error(`expected ${tpl} to fail`);
}

describe("exec", () => {
  test("exec - text, fields and field chains", () => {
    expect(run("a{{.s}}b{{.nested.a.b}}")).toBe("astrbdeep");
    expect(run("{{.}}", { x: 1 })).toBe("map[x:1]");
    expect(run("{{.nil}}")).toBe("<no value>");
  });

  test("exec - missingkey=error with Go's messages and positions", () => {
    expect(fail("{{ .nope }}").message).toBe(
      'template: t:1:3: executing "t" at <.nope>: map has no entry for key "nope"',
    );
    expect(fail("{{ .nil.x }}").message).toBe(
      'template: t:1:7: executing "t" at <.nil.x>: nil pointer evaluating interface {}.x',
    );
    expect(fail("{{ .x }}", null).message).toBe(
      'template: t:1:3: executing "t" at <.x>: nil data; no entry for key "x"',
    );
    expect(fail("{{ .s.x }}").message).toMatch(/can't evaluate field x in type interface \{\}$/);
    expect(fail("{{ $v := .s }}{{ $v.x }}").message).toMatch(/can't evaluate field x in type string$/);
    expect(fail("line1\n  {{ .nope }}").message).toMatch(/^template: t:2:5: /);
    expect(fail("{{ .s 1 }}").message).toMatch(/s is not a method but has arguments$/);
    expect(fail("{{ .nope }}").code).toBe("EVT_GOTEMPLATE_EXEC");
  });

  test("exec - literals and Go's ideal constants", () => {
    expect(run("{{ 42 }} {{ -3 }} {{ 1.5 }} {{ 1e3 }} {{ 0x1F }} {{ 0o17 }} {{ 1_000 }} {{ 'a' }} {{ 1i }}")).toBe(
      "42 -3 1.5 1000 31 15 1000 97 (0+1i)",
    );
    expect(run('{{ "esc\\t\\"q\\"" }} {{ `raw\\n` }} {{ "\\u00e9\\x41" }} {{ true }}')).toBe('esc\t"q" raw\\n éA true');
    expect(fail("{{ nil }}").message).toMatch(/at <nil>: nil is not a command$/);
    expect(fail("{{ 0xFFFFFFFFFFFFFFFF }}").message).toMatch(/0xFFFFFFFFFFFFFFFF overflows int$/);
  });

  test("exec - variables declare, assign and scope", () => {
    expect(run("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}")).toBe("2");
    expect(run("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}")).toBe("21");
    expect(run("{{ with $v := .s }}{{ $v }}{{ end }}")).toBe("str");
    expect(run("{{ range .list }}{{ $.s }}{{ end }}")).toBe("strstrstr");
    expect(fail("{{ $x = 1 }}").message).toBe('template: t:1:8: executing "t" at <1>: undefined variable: $x');
  });

  test("exec - if / else if / else and truth", () => {
    const tpl = "{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}";
    expect(run(tpl, { a: 1, b: 1 })).toBe("A");
    expect(run(tpl, { a: 0, b: "x" })).toBe("B");
    expect(run(tpl, { a: [], b: {} })).toBe("C");
    expect(run("{{ if .nil }}y{{ else }}n{{ end }}{{ if .m }}y{{ end }}")).toBe("ny");
  });

  test("exec - range over slices, maps (sorted), with else, break and continue", () => {
    expect(run("{{ range $i, $v := .list }}{{ $i }}={{ $v }} {{ end }}")).toBe("0=3 1=1 2=2 ");
    expect(run("{{ range $k, $v := .m }}{{ $k }}:{{ $v }};{{ end }}")).toBe("k1:v1;k2:v2;");
    expect(run("{{ range .m }}{{ . }}{{ end }}")).toBe("v1v2");
    expect(run("{{ range .e }}x{{ else }}none{{ end }}", { e: [] })).toBe("none");
    expect(run("{{ range .nil }}x{{ else }}nil{{ end }}")).toBe("nil");
    expect(run("{{ range .list }}{{ if eq . 1.0 }}{{ break }}{{ end }}{{ . }}{{ end }}")).toBe("3");
    expect(run("{{ range .list }}{{ if eq . 1.0 }}{{ continue }}{{ end }}{{ . }}{{ end }}")).toBe("32");
    expect(fail("{{ range .n }}{{ end }}").message).toMatch(/at <.n>: range can't iterate over 3$/);
    expect(fail("{{ range .s }}{{ end }}").message).toMatch(/range can't iterate over str$/);
    expect(fail("{{ range .holes }}{{ .x }}{{ end }}").message).toMatch(/nil pointer evaluating interface \{\}.x$/);
  });

  test("exec - with / else", () => {
    expect(run("{{ with .nested.a }}{{ .b }}{{ end }}")).toBe("deep");
    expect(run("{{ with .nil }}x{{ else }}empty{{ end }}")).toBe("empty");
  });

  test("exec - define, template and block", () => {
    expect(run('{{ define "t2" }}[{{ . }}]{{ end }}{{ template "t2" .s }}')).toBe("[str]");
    expect(run('{{ block "b" .n }}<{{ . }}>{{ end }}')).toBe("<3>");
    expect(fail('{{ template "zz" }}').message).toBe(
      'template: t:1:12: executing "t" at <{{template "zz"}}>: template "zz" not defined',
    );
    expect(fail('{{ define "t2" }}{{ .x }}{{ end }}{{ template "t2" .m }}').message).toBe(
      'template: t:1:20: executing "t2" at <.x>: map has no entry for key "x"',
    );
  });

  test("exec - pipelines and parenthesised pipelines", () => {
    expect(run('{{ .s | printf "%s-%s" "a" }}')).toBe("a-str");
    expect(run('{{ (len .list) }} {{ (index .nested "a").b }}')).toBe("3 deep");
    expect(fail("{{ .s | .n }}").message).toMatch(/n is not a method but has arguments$/);
  });

  test("exec - and/or short-circuit and return the deciding operand", () => {
    expect(run('{{ and 1 0 2 }} {{ or 0 "" "x" }} {{ and 1 2 }} {{ or 0 "" }}')).toBe("0 x 2 ");
    expect(run("{{ and .nil .nil.x }} {{ or .s .nil.x }}")).toBe("<no value> str");
  });

  test("exec - comparison builtins follow Go's type rules", () => {
    expect(
      run('{{ eq .n 3.0 }} {{ eq .s "x" "str" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le "a" "a" }} {{ gt 2.5 1.5 }}'),
    ).toBe("true true true true true true");
    expect(run('{{ eq .nil "a" }} {{ eq nil nil }}')).toBe("false true");
    expect(fail("{{ eq .n 3 }}").message).toMatch(/error calling eq: incompatible types for comparison$/);
    expect(fail("{{ lt true false }}").message).toMatch(/error calling lt: invalid type for comparison$/);
    expect(fail("{{ eq .list .list }}").message).toMatch(
      /error calling eq: non-comparable type \[%!s\(float64=3\) %!s\(float64=1\) %!s\(float64=2\)\]: \[\]interface \{\}$/,
    );
    expect(fail("{{ eq 1 }}").message).toMatch(/missing argument for comparison$/);
    expect(fail("{{ eq .s 'x' }}").message).toMatch(
      /error calling eq: incompatible types for comparison \(hint: single quotes make a character constant.*double quotes/,
    );
  });

  test("exec - len, index, slice, not, print family, html, js, urlquery", () => {
    expect(
      run('{{ len .s }} {{ len "é" }} {{ len .m }} {{ index .list 1 }} {{ index .m "k1" }} {{ index .m "zz" }}'),
    ).toBe("3 2 2 1 v1 <no value>");
    expect(run('{{ index "abc" 1 }} {{ slice .list 1 }} {{ slice "hello" 1 3 }} {{ not 0 }}')).toBe("98 [1 2] el true");
    expect(run('{{ print 1 2 "a" 3 nil }}|{{ println "x" 1 }}|{{ printf "%d" .n }}')).toBe(
      "1 2a3 <nil>|x 1\n|%!d(float64=3)",
    );
    expect(run('{{ html "<a href=\'x\'>&" }} {{ js "a\'b<" }} {{ urlquery "a b/é" }}')).toBe(
      "&lt;a href=&#39;x&#39;&gt;&amp; a\\'b\\u003C a+b%2F%C3%A9",
    );
    expect(fail("{{ len .n }}").message).toBe(
      'template: t:1:3: executing "t" at <len .n>: error calling len: len of type float64',
    );
    expect(fail("{{ index .list 5 }}").message).toMatch(/error calling index: index out of range: 5$/);
    expect(fail("{{ not 1 2 }}").message).toMatch(/at <not>: wrong number of args for not: want 1 got 2$/);
    expect(fail("{{ printf 3 }}").message).toMatch(/at <3>: expected string; found 3$/);
  });

  test("exec - custom functions: arity, argument types, errors, methods", () => {
    class Ver extends GoObject {
      readonly goType = "*semver.Version";
      readonly goKind: Kind = "ptr";
      format(): string {
        return "1.2.3";
      }
      override field(name: string): Value | undefined {
        return name === "Major" ? goInt(1, "uint64") : undefined;
      }
    }
    const funcs = {
      upper: goFunc(["string"], (s) => (s as string).toUpperCase()),
      boom: goFunc([], () => {
        throw new FuncError("boom");
      }),
      ver: goFunc([], () => new Ver()),
      keysOf: goFunc(["map[string]interface {}"], (m) => goInt(m === null ? 0 : Object.keys(m as object).length)),
      rep: goFunc(["int", "string"], (n, s) => (s as string).repeat(Number((n as { value: bigint }).value))),
    };
    const t = parse("t", '{{ upper .s }} {{ .s | upper }} {{ ver }} {{ (ver).Major }} {{ rep 2 "ab" }}', { funcs });
    expect(t.execute(data)).toBe("STR STR 1.2.3 1 abab");
    const err = (src: string): string => {
      try {
        parse("t", src, { funcs }).execute(data);
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(err("{{ boom }}")).toBe('template: t:1:3: executing "t" at <boom>: error calling boom: boom');
    expect(err("{{ upper .n }}")).toMatch(/at <.n>: wrong type for value; expected string; got float64$/);
    expect(err("{{ upper .nil }}")).toMatch(/wrong type for value; expected string; got interface \{\}$/);
    expect(err("{{ upper nil }}")).toMatch(/at <nil>: cannot assign nil to string$/);
    expect(err("{{ keysOf .nil }}")).toMatch(
      /at <.nil>: wrong type for value; expected map\[string\]interface \{\}; got interface \{\}$/,
    );
    expect(parse("t", "{{ keysOf nil }}", { funcs }).execute(data)).toBe("0");
    expect(err("{{ upper }}")).toMatch(/wrong number of args for upper: want 1 got 0$/);
    expect(err("{{ rep .n .s }}")).toMatch(/wrong type for value; expected int; got float64$/);
    expect(err("{{ (ver).Minor }}")).toMatch(/can't evaluate field Minor in type \*semver.Version$/);
  });

  test("exec - hostile input: output limit, recursion depth, time budget", () => {
    const big = fail(
      '{{ range .l }}{{ printf "%0100d" 1 }}{{ end }}',
      { l: Array(1000).fill(1) },
      { maxOutputBytes: 1000 },
    );
    expect(big.code).toBe("EVT_GOTEMPLATE_OUTPUT_LIMIT");
    const deep = fail('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', {}, { maxDepth: 50 });
    expect(deep.code).toBe("EVT_GOTEMPLATE_DEPTH");
    expect(deep.message).toMatch(/exceeded maximum template depth \(50\)$/);
    const l = Array(3000).fill(0);
    const slow = fail(
      "{{ range .l }}{{ range $.l }}{{ range $.l }}{{ end }}{{ end }}{{ end }}",
      { l },
      { timeBudgetMs: 20 },
    );
    expect(slow.code).toBe("EVT_GOTEMPLATE_TIMEOUT");
    // exponential recursion without any range: the budget is checked on template calls too
    const expo = fail(
      '{{ define "a" }}{{ if lt (len .) 60 }}{{ template "a" (print . "x") }}{{ template "a" (print . "x") }}{{ end }}{{ end }}{{ template "a" "" }}',
      {},
      { timeBudgetMs: 20 },
    );
    expect(expo.code).toBe("EVT_GOTEMPLATE_TIMEOUT");
    const nested = fail(`{{${"(".repeat(5000)}1${")".repeat(5000)}}}`, {});
    expect(nested.code).toBe("EVT_GOTEMPLATE_DEPTH");
  });

  test("exec - an injected clock reaches sprig's date functions", () => {
    const now = (): Date => new Date("2020-01-02T03:04:05Z");
    expect(render('{{ now | date "2006-01-02 15:04" }}', {}, { now })).toBe("2020-01-02 03:04");
  });

  test("exec - an unexpected exception becomes a TemplateError, never a raw throw", () => {
    class Broken extends GoObject {
      readonly goType = "main.Broken";
      readonly goKind: Kind = "struct";
      format(): string {
        throw new Error("boom");
      }
    }
    const e = fail("{{ . }}", new Broken());
    expect(e.code).toBe("EVT_GOTEMPLATE_INTERNAL");
    expect(e.message).toBe("template: t: internal error: boom");
  });

  test("exec - registerFuncs makes functions visible to later renders", () => {
    expect(() => render("{{ shout1 .s }}", data)).toThrow(/function "shout1" not defined/);
    registerFuncs({ shout1: goFunc(["string"], (s) => `${s as string}!`) });
    expect(render("{{ shout1 .s }}", data)).toBe("str!");
  });

  test("exec - templates are reusable and executions independent", () => {
    const t = parse("t", "{{ $x := .a }}{{ $x }}", { funcs: "none" });
    expect(t.execute({ a: 1 })).toBe("1");
    expect(t.execute({ a: "two" })).toBe("two");
    expect(t.definedTemplates()).toEqual(["t"]);
  });
});
