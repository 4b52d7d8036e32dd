// encoding/json compatibility: Marshal's text and Unmarshal's syntax errors.
import { goJsonMarshal, goJsonMarshalIndent, goJsonParse, goJsonSyntaxError } from "../src/funcs/go/json.js";
import { goInt, newMap, type Value } from "../src/internal.js";

const j = (v: unknown, html = true) => goJsonMarshal(v as Value, html);

describe("json", () => {
  test("json - sorts keys and escapes HTML characters like json.Marshal", () => {
    expect(j({ b: "<a&b>", a: [true, null] })).toBe('{"a":[true,null],"b":"\\u003ca\\u0026b\\u003e"}');
    expect(j("<a&b>", false)).toBe('"<a&b>"');
  });

  test("json - escapes control characters and U+2028 like Go 1.19", () => {
    expect(j("\n\t\r\u0001\b\u2028é")).toBe('"\\n\\t\\r\\u0001\\u0008\\u2028é"');
  });

  test("json - formats float64 with 'f' below 1e21 and a short exponent outside", () => {
    expect(j([1e20, 1e21, 1.5e-7, 0.000001, -0, 100, 0.1])).toBe(
      "[100000000000000000000,1e+21,1.5e-7,0.000001,-0,100,0.1]",
    );
    expect(j(goInt(-5n, "int64"))).toBe("-5");
  });

  test("json - rejects NaN and functions with Go's messages", () => {
    expect(() => j(Number.POSITIVE_INFINITY)).toThrow("json: unsupported value: +Inf");
    expect(() => j(() => 1)).toThrow("json: unsupported type: func(...interface {}) interface {}");
  });

  test("json - indents like MarshalIndent with empty collections kept inline", () => {
    expect(goJsonMarshalIndent({ a: [], b: { c: [1] } } as unknown as Value, "  ")).toBe(
      '{\n  "a": [],\n  "b": {\n    "c": [\n      1\n    ]\n  }\n}',
    );
  });

  test("json - reports Go's syntax errors, feeding a space at end of input", () => {
    expect(goJsonSyntaxError("nul")).toBe("invalid character ' ' in literal null (expecting 'l')");
    expect(goJsonSyntaxError('{"a":1,}')).toBe("invalid character '}' looking for beginning of object key string");
    expect(goJsonSyntaxError("")).toBe("unexpected end of JSON input");
    expect(goJsonSyntaxError("[1 2]")).toBe("invalid character '2' after array element");
    expect(goJsonSyntaxError("é")).toBe("invalid character 'Ã' looking for beginning of value");
    expect(goJsonSyntaxError("1.")).toBe("invalid character ' ' after decimal point in numeric literal");
    expect(goJsonSyntaxError(' {"a": [1, {"b": null}]} ')).toBeUndefined();
  });

  test("json - parses objects into null-prototype maps", () => {
    const m = goJsonParse('{"__proto__":1,"a":{"b":[2]}}') as Record<string, Value>;
    expect(Object.getPrototypeOf(m)).toBeNull();
    expect(Object.keys(m)).toEqual(["__proto__", "a"]);
    expect(j(m)).toBe('{"__proto__":1,"a":{"b":[2]}}');
    expect(j(newMap())).toBe("{}");
  });
});
