// sigs.k8s.io/yaml (yaml.v2) and yaml.v3 emitters and the yaml.v2-compatible decoder, as pure functions.
import { goYamlMarshal, goYamlUnmarshal } from "../src/funcs/go/yaml.js";
import { goYaml3Marshal } from "../src/funcs/go/yaml3.js";
import { GoInt, goInt, type Value } from "../src/internal.js";

const y = (v: unknown) => goYamlMarshal(v as Value);

describe("yaml marshal (sigs.k8s.io/yaml)", () => {
  test("yaml - sorts keys and keeps sequences flush with their key", () => {
    expect(y({ b: [1, "x"], a: { d: true, c: null } })).toBe("a:\n  c: null\n  d: true\nb:\n- 1\n- x\n");
  });

  test("yaml - quotes strings that YAML 1.1 would read as something else", () => {
    const v = {
      a: "true",
      b: "1.0",
      c: "",
      d: "null",
      e: "~",
      f: "y",
      g: "0x1F",
      h: "2001-01-01",
      i: "1:20",
      j: "plain",
    };
    expect(y(v)).toBe(
      'a: "true"\nb: "1.0"\nc: ""\nd: "null"\ne: "~"\nf: "y"\ng: "0x1F"\nh: "2001-01-01"\ni: "1:20"\nj: plain\n',
    );
  });

  test("yaml - uses single quotes for indicators and double quotes for control characters", () => {
    expect(y(["a: b", "#x", "- a", " lead", "x #y", "tab\tx", "😀"])).toBe(
      "- 'a: b'\n- '#x'\n- '- a'\n- ' lead'\n- 'x #y'\n- \"tab\\tx\"\n- \"\\U0001F600\"\n",
    );
  });

  test("yaml - writes multi-line strings as literal blocks with chomping hints", () => {
    expect(y({ a: "l1\nl2", b: "x\n", c: "x\n\n" })).toBe("a: |-\n  l1\n  l2\nb: |\n  x\nc: |+\n  x\n\n");
  });

  test("yaml - folds plain scalars at 80 columns like yaml.v2", () => {
    const long = "word ".repeat(20).trim();
    // Oracle: the break comes at the first space past column 80.
    expect(y({ k: long })).toBe(`k: ${"word ".repeat(16).trim()}\n  ${"word ".repeat(4).trim()}\n`);
  });

  test("yaml - numbers go through JSON: integral floats become ints, others use %g", () => {
    expect(y([1e6, 0.25, 1e21, 1.5e-7, 12345678901234567000, goInt(7n, "int64")])).toBe(
      "- 1000000\n- 0.25\n- 1e+21\n- 1.5e-07\n- 12345678901234567000\n- 7\n",
    );
  });

  test("yaml - empty collections are flow style", () => {
    expect(y({ a: [], b: {} })).toBe("a: []\nb: {}\n");
  });

  test("yaml - NaN is a json.Marshal error", () => {
    expect(() => y({ a: Number.NaN })).toThrow("json: unsupported value: NaN");
  });

  test("yaml - natural key order compares digit runs numerically", () => {
    expect(y({ a10: 1, a2: 2, a1: 3 })).toBe("a1: 3\na2: 2\na10: 1\n");
  });
});

describe("yaml.v3 marshal (event-manager copy/setField)", () => {
  test("yaml3 - indents by four and indents sequences under keys", () => {
    expect(goYaml3Marshal({ a: { b: [1, { c: "x", d: "yes" }] } } as unknown as Value)).toBe(
      'a:\n    b:\n        - 1\n        - c: x\n          d: "yes"\n',
    );
  });

  test("yaml3 - prints float64 in %g form and does not fold long lines", () => {
    const long = "word ".repeat(20).trim();
    expect(goYaml3Marshal({ f: 1e6, s: long } as unknown as Value)).toBe(`f: 1e+06\ns: ${long}\n`);
  });
});

describe("yaml unmarshal (yaml.v2 + JSON)", () => {
  test("yaml - resolves YAML 1.1 booleans, octal, hex and base-2 ints as float64", () => {
    expect(goYamlUnmarshal("a: yes\nb: off\nc: 012\nd: 0x1F\ne: 0b101\nf: 1_000\ng: ~\nh: '012'")).toEqual({
      a: true,
      b: false,
      c: 10,
      d: 31,
      e: 5,
      f: 1000,
      g: null,
      h: "012",
    });
  });

  test("yaml - keeps timestamps as strings and makes non-string keys strings", () => {
    expect(goYamlUnmarshal("2001-01-01: t\n1.5: x\ntrue: y\n012: z")).toEqual({
      "2001-01-01": "t",
      "1.5": "x",
      true: true,
      "10": "z",
    });
  });

  test("yaml - reads only the first document and applies merge keys", () => {
    expect(goYamlUnmarshal("b: &x {k: 1, j: 2}\nc:\n  <<: *x\n  j: 3\n---\nd: 4")).toEqual({
      b: { k: 1, j: 2 },
      c: { k: 1, j: 3 },
    });
  });

  test("yaml - reports syntax errors in yaml.v2's words", () => {
    expect(() => goYamlUnmarshal("a: b: c")).toThrow(
      "error converting YAML to JSON: yaml: mapping values are not allowed in this context",
    );
    expect(() => goYamlUnmarshal("a: *nope")).toThrow("yaml: unknown anchor 'nope' referenced");
    expect(() => goYamlUnmarshal("a: .nan")).toThrow("error converting YAML to JSON: json: unsupported value: NaN");
  });

  test("yaml - round-trips what it marshals", () => {
    const v = { a: ["x\ny", "true", "", 1.5, { b: null }], "c d": "#x" };
    expect(goYamlUnmarshal(y(v))).toEqual(v);
    expect((goYamlUnmarshal("n: 12345678901234567890") as Record<string, unknown>).n).not.toBeInstanceOf(GoInt);
  });
});

describe("yaml limits", () => {
  test("yaml - alias bombs fail like yaml.v2's excessive aliasing check", () => {
    let doc = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 10; i++)
      doc += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(", ")}]\n`;
    expect(() => goYamlUnmarshal(doc)).toThrow("yaml: document contains excessive aliasing");
  });
});
