// sprig's string, list, dict and math functions where Go semantics differ from the obvious JS ones.

import { parseGoInt } from "../src/funcs/go/strconv.js";
import { abbreviateFull, initials, wrapCustom } from "../src/funcs/go/text.js";
import { toCamelCase, toKebabCase, toSnakeCase } from "../src/funcs/go/xstrings.js";
import { render } from "../src/internal.js";

describe("strings", () => {
  test("strings - xstrings case conversions", () => {
    expect(["HelloWorld", "HTTPServer", "a1B2c3", "myID2Go", "Foo_Bar-Baz qux"].map(toSnakeCase)).toEqual([
      "hello_world",
      "http_server",
      "a1_b_2c3",
      "my_id2_go",
      "foo_bar_baz_qux",
    ]);
    expect(toKebabCase("some_var name")).toBe("some-var-name");
    expect(["hello_world", "a-b c", "__", "_x"].map(toCamelCase)).toEqual(["HelloWorld", "ABC", "___", "_X"]);
  });

  test("strings - goutils works on UTF-8 bytes like the original", () => {
    expect(initials("héllo wörld")).toBe("hw");
    expect(abbreviateFull("hello world", 0, 5)).toBe("he...");
    expect(wrapCustom("a verylongword b", 3, "", false)).toBe("a\nverylongword\nb");
    expect(wrapCustom("abcdefgh ij", 3, "\n", true)).toBe("abc\ndef\ngh\nij");
  });

  test("strings - strconv base prefixes and underscores", () => {
    expect(parseGoInt("0x1F")).toBe(31n);
    expect(parseGoInt("010")).toBe(8n);
    expect(parseGoInt("1_000")).toBe(1000n);
    expect(parseGoInt("1__0")).toBeUndefined();
    expect(parseGoInt("9223372036854775808")).toBe("range");
  });

  test("strings - byte-indexed trunc/substr and Go's panics", () => {
    expect(render('{{ trunc 5 "héllo" }}|{{ substr 1 3 "abcdef" }}|{{ trunc -2 "abcdef" }}', {})).toBe("héll|bc|ef");
    expect(() => render('{{ substr 3 1 "abcdef" }}', {})).toThrow("slice bounds out of range [3:1]");
    expect(() => render('{{ repeat -1 "x" }}', {})).toThrow("strings: negative Repeat count");
  });

  test("strings - split, splitList and join keep Go's types", () => {
    expect(
      render(
        '{{ split "," "a,b" }}|{{ typeOf (split "," "a") }}|{{ typeOf (splitList "," "a") }}|{{ join "-" (list 1 nil "x") }}',
        {},
      ),
    ).toBe("map[_0:a _1:b]|map[string]string|[]string|1-x");
  });
});

describe("math", () => {
  test("math - int64 arithmetic through cast.ToInt64 with Go's wrap-around", () => {
    expect(
      render('{{ add 1 2.9 "3" "0x10" true nil }}|{{ add 9223372036854775807 1 }}|{{ div -7 2 }}|{{ mod -7 3 }}', {}),
    ).toBe("23|-9223372036854775808|-3|-1");
    expect(() => render("{{ div 1 0 }}", {})).toThrow("runtime error: integer divide by zero");
  });

  test("math - float functions go through shopspring/decimal", () => {
    expect(
      render(
        "{{ addf 0.1 0.2 }}|{{ divf 1 3 }}|{{ subf 1 0.9 }}|{{ mulf 0.1 0.2 }}|{{ round 2.567 2 }}|{{ round 1.005 2 }}",
        {},
      ),
    ).toBe("0.3|0.3333333333333333|0.1|0.02|2.57|1");
    expect(() => render("{{ divf 1 0 }}", {})).toThrow("decimal division by 0");
  });

  test("math - seq and until build Go's int sequences", () => {
    expect(
      render("{{ seq 5 2 }}|{{ seq 0 2 10 }}|{{ until 3 }}|{{ typeOf (until 1) }}|{{ untilStep 10 0 -4 }}", {}),
    ).toBe("5 4 3 2|0 2 4 6 8 10|[0 1 2]|[]int|[10 6 2]");
  });
});

describe("lists and dicts", () => {
  test("lists - non-list arguments fail like Go, nil with a nil dereference", () => {
    expect(() => render('{{ first "abc" }}', {})).toThrow("error calling first: Cannot find first on type string");
    expect(() => render("{{ first .x }}", { x: null })).toThrow("invalid memory address or nil pointer dereference");
    expect(render("{{ rest (list) }}|{{ first (list) }}|{{ uniq (list 1 1 2) }}|{{ has 1 nil }}", {})).toBe(
      "[]|<no value>|[1 2]|false",
    );
  });

  test("dicts - merge follows mergo (dst wins, nested maps merged, empty dst values filled)", () => {
    expect(render('{{ merge (dict "a" 1 "b" (dict "c" 2) "e" "") (dict "a" 9 "b" (dict "d" 3) "e" "x") }}', {})).toBe(
      "map[a:1 b:map[c:2 d:3] e:x]",
    );
    expect(render('{{ mergeOverwrite (dict "a" 1 "b" "x") (dict "a" "" "b" (dict "z" 1) "d" nil) }}', {})).toBe(
      "map[a: b:x d:<nil>]",
    );
  });

  test("dicts - dig fails on non-map steps like a Go type assertion", () => {
    expect(render('{{ dig "a" "b" "none" .m }}', { m: { a: { b: 1 } } })).toBe("1");
    expect(() => render('{{ dig "a" "b" "x" .m }}', { m: { a: 1 } })).toThrow(
      "interface conversion: interface {} is float64, not map[string]interface {}",
    );
  });
});
