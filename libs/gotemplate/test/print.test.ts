import { formatFloat, goInt, quote, sprint, sprintf, sprintln, toGoString, typed } from "../src/internal.js";

describe("print", () => {
  test("print - %v of float64 matches strconv 'g' shortest with Go's exponent rule", () => {
    const cases: [number, string][] = [
      [1e6, "1e+06"],
      [123456, "123456"],
      [Number("12345678901234567890"), "1.2345678901234567e+19"],
      [0.000001, "1e-06"],
      [0.0001, "0.0001"],
      [3, "3"],
      [0.25, "0.25"],
      [-7, "-7"],
      [1e21, "1e+21"],
      [0, "0"],
    ];
    for (const [x, s] of cases) expect(toGoString(x)).toBe(s);
  });

  test("print - formatFloat with precisions", () => {
    expect(formatFloat(3.14158, "f", 2)).toBe("3.14");
    expect(formatFloat(1234.5678, "e", 6)).toBe("1.234568e+03");
    expect(formatFloat(0.00001234, "g", -1)).toBe("1.234e-05");
    expect(formatFloat(1, "g", 3)).toBe("1");
    expect(formatFloat(1e21, "f", 0)).toBe("1000000000000000000000");
    expect(formatFloat(Number.NaN, "g", -1)).toBe("NaN");
    // exact binary ties round half to even, as strconv does (JS's toFixed rounds them up)
    expect([0.25, 0.5, 2.5, 1.5].map((x) => formatFloat(x, "f", x === 0.25 ? 1 : 0))).toEqual(["0.2", "0", "2", "2"]);
    expect(formatFloat(0.25, "e", 0)).toBe("2e-01");
    expect(formatFloat(1.005, "f", 2)).toBe("1.00");
  });

  test("print - composite values", () => {
    expect(toGoString({ b: [1.5, "x", null, true], a: { z: null } })).toBe("map[a:map[z:<nil>] b:[1.5 x <nil> true]]");
    expect(toGoString(typed(["a", "b"], "[]string"))).toBe("[a b]");
    expect(toGoString(new Uint8Array([104, 105]))).toBe("[104 105]");
    expect(toGoString(null)).toBe("<nil>");
  });

  test("print - Sprint and Sprintln spacing", () => {
    expect(sprint([goInt(1), goInt(2), "a", goInt(3), null])).toBe("1 2a3 <nil>");
    expect(sprintln(["x", goInt(1)])).toBe("x 1\n");
  });

  test("print - Sprintf verbs and flags", () => {
    expect(sprintf("%6.2f|%e|%g", [3.14158, 1234.5678, 0.00001234])).toBe("  3.14|1.234568e+03|1.234e-05");
    expect(
      sprintf("%5.1f|%-5d|%05d|%x|%X|%o|%b|%c|%U", [
        3.14158,
        goInt(42),
        goInt(42),
        goInt(255),
        goInt(255),
        goInt(8),
        goInt(5),
        goInt(65),
        goInt(65),
      ]),
    ).toBe("  3.1|42   |00042|ff|FF|10|101|A|U+0041");
    expect(sprintf("%s|%q|%v|%T", ["str", "str", "str", "str"])).toBe('str|"str"|str|string');
    expect(sprintf("%t %v", [true, null])).toBe("true <nil>");
    expect(sprintf("%[2]d %[1]d %d", [goInt(1), goInt(2)])).toBe("2 1 2");
    expect(sprintf("%*d|%.*f", [goInt(5), goInt(3), goInt(2), 3.14158])).toBe("    3|3.14");
    expect(sprintf("%q %+q %#q %x % x", ["héllo\n", "é", "a`b", "hi", "hi"])).toBe(
      '"héllo\\n" "\\u00e9" "a`b" 6869 68 69',
    );
    expect(sprintf("%v", [{ k: [goInt(1)] }])).toBe("map[k:[1]]");
  });

  test("print - Sprintf error forms", () => {
    expect(sprintf("%d", [3])).toBe("%!d(float64=3)");
    expect(sprintf("%d", ["x"])).toBe("%!d(string=x)");
    expect(sprintf("%s-%s", ["a"])).toBe("a-%!s(MISSING)");
    expect(sprintf("%s", ["a", 3, null])).toBe("a%!(EXTRA float64=3, <nil>)");
    expect(sprintf("%!", [])).toBe("%!!(MISSING)");
    expect(sprintf("%z", [goInt(1)])).toBe("%!z(int=1)");
    expect(sprintf("%d", [null])).toBe("%!d(<nil>)");
    expect(sprintf("abc%", [])).toBe("abc%!(NOVERB)");
    expect(sprintf("%s", [[goInt(1), "a"]])).toBe("[%!s(int=1) a]");
  });

  test("print - quote like strconv.Quote", () => {
    expect(quote('a"b\\c\u0001é')).toBe('"a\\"b\\\\c\\x01é"');
  });
});
