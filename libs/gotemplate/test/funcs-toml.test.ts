// BurntSushi/toml-compatible toToml/fromToml (expectations from the Go oracle).
import { GoTomlError, goTomlDecode, goTomlEncode } from "../src/funcs/go/toml.js";
import { defaultFuncs } from "../src/funcs/index.js";
import { GoInt, goInt, render, type Value } from "../src/internal.js";

describe("toml", () => {
  test("toml - writes plain keys first, then [tables] and [[arrays of tables]] with indentation", () => {
    const v = {
      a: { b: { c: 1 } },
      x: 1,
      arr: [{ p: 1 }, { q: { r: 2 } }],
      mixed: [1, "s", { k: "v" }],
      "q k": 'a"b\n',
      e: [],
    };
    expect(goTomlEncode(v as unknown as Value)).toBe(
      'e = []\nmixed = [1.0, "s", {k = "v"}]\n"q k" = "a\\"b\\n"\nx = 1.0\n\n[a]\n  [a.b]\n    c = 1.0\n\n[[arr]]\n  p = 1.0\n\n[[arr]]\n  [arr.q]\n    r = 2.0\n',
    );
  });

  test("toml - floats always carry a decimal point; Go ints stay integers", () => {
    expect(goTomlEncode({ f: 1.5e-7, g: 1e21, i: goInt(2n, "int64") } as unknown as Value)).toBe(
      "f = 0.00000015\ng = 1000000000000000000000.0\ni = 2\n",
    );
  });

  test("toml - top-level non-maps and nil array elements are encoder errors", () => {
    expect(() => goTomlEncode("x")).toThrow("toml: top-level values must be Go maps or structs");
    expect(() => goTomlEncode({ l: [1, null] } as unknown as Value)).toThrow(
      "toml: cannot encode array with nil element",
    );
  });

  test("toml - decodes integers as int64 and datetimes through the callback", () => {
    const m = goTomlDecode("a = 1\nb = 1.5\nd = 2001-01-01T10:00:00Z\n[t]\nu = [1, 2]", (d) => d.toISOString());
    expect(m.a).toBeInstanceOf(GoInt);
    expect((m.a as GoInt).kind).toBe("int64");
    expect(m.b).toBe(1.5);
    expect(m.d).toBe("2001-01-01T10:00:00.000Z");
    expect(((m.t as Record<string, Value>).u as GoInt[]).map(String)).toEqual(["1", "2"]);
  });

  test("toml - rejects TOML 1.0 violations such as a trailing comma in an inline table", () => {
    expect(() => goTomlDecode("a = {x = 1, }", String)).toThrow(GoTomlError);
    expect(() => goTomlDecode('a = "{x = 1, }"', String)).not.toThrow();
  });

  test("toml - Sveltos toToml returns the error text; fromToml puts it under Error", () => {
    expect(defaultFuncs.toToml).toBeDefined();
    expect(render('{{ toToml "x" }}', {})).toBe("toml: top-level values must be Go maps or structs");
    expect(render('{{ fromToml "d = 2001-01-01T10:00:00Z" }}', {})).toBe("map[d:2001-01-01 10:00:00 +0000 UTC]");
    expect(render('{{ (fromToml "a = {x = 1, }").Error }}', {})).toContain(
      "trailing comma not allowed in inline tables",
    );
  });
});
