import { ApplierError } from "../src/errors.js";
import { parseObjects } from "../src/render/policies.js";
import { ParsedYamlCache } from "../src/render/yaml-cache.js";

const NS = (name: string) => `kind: Namespace\napiVersion: v1\nmetadata:\n  name: ${name}\n`;

describe("parsed YAML cache", () => {
  test("yaml cache - the same text is parsed once; its objects are frozen, so no caller can change another's", () => {
    const text = `${NS("cache-a")}---\n${NS("cache-b")}`;
    const first = parseObjects(text, "ConfigMap default/ns, key k", "t1", "spec.policyRefs[0]");
    const again = parseObjects(text, "ConfigMap default/ns, key k", "t1", "spec.policyRefs[0]");
    expect(again.map((r) => r.object.metadata.name)).toEqual(["cache-a", "cache-b"]);
    expect(again[0]!.object).toBe(first[0]!.object);
    expect(Object.isFrozen(first[0]!.object.metadata)).toBe(true);
    expect(() => {
      (first[0]!.object.metadata as { name: string }).name = "changed";
    }).toThrow(TypeError);
    // Copies (what stampOwnership and normalizeNamespace make) are free to change.
    const copy = { ...first[0]!.object, metadata: { ...first[0]!.object.metadata, namespace: "x" } };
    expect(copy.metadata.namespace).toBe("x");
  });

  test("yaml cache - a cached text reports object errors with this caller's origin", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n";
    expect(() => parseObjects(text, "ConfigMap default/one, key a", "t1", "f")).toThrow(
      "EventTrigger t1: ConfigMap default/one, key a, document 1 has no metadata.name",
    );
    expect(() => parseObjects(text, "ConfigMap default/two, key b", "t2", "f")).toThrow(
      "EventTrigger t2: ConfigMap default/two, key b, document 1 has no metadata.name",
    );
  });

  test("yaml cache - invalid YAML is not kept: every parse fails with its line", () => {
    const text = `${NS("ok")}---\nkind: Namespace\nmetadata:\n  name: [unclosed\n`;
    for (let i = 0; i < 2; i++) {
      let err: unknown;
      try {
        parseObjects(text, "ConfigMap default/ns, key k", "t1", "f");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApplierError);
      expect((err as ApplierError).code).toBe("EVT_APPLIER_YAML");
      expect((err as ApplierError).message).toMatch(/invalid YAML at line \d+/);
    }
  });

  test("yaml cache - bounded by entries and by characters, least recently used dropped first", () => {
    const c = new ParsedYamlCache(2, 1000);
    c.set("a", [1]);
    c.set("b", [2]);
    expect(c.get("a")).toEqual([1]); // a is now the most recently used
    c.set("c", [3]);
    expect(c.get("b")).toBeUndefined();
    expect(c.get("a")).toEqual([1]);
    expect(c.size).toBe(2);

    const small = new ParsedYamlCache(100, 10);
    small.set("12345", [1]);
    small.set("67890", [2]);
    small.set("abcde", [3]); // 15 characters > 10: the oldest goes
    expect(small.get("12345")).toBeUndefined();
    expect(small.size).toBe(2);
  });
});
