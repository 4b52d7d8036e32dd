import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "../src/internal.js";

const labels = { env: "prod", tier: "web" };
const match = (s: string, l: Record<string, string> | undefined = labels) => matchesLabels(parseLabelSelector(s), l);

describe("selectors", () => {
  test("selectors - equality: =, == and !=", () => {
    expect(match("env=prod")).toBe(true);
    expect(match("env==prod,tier=web")).toBe(true);
    expect(match("env!=prod")).toBe(false);
    expect(match("env!=dev")).toBe(true);
    expect(match("missing!=x")).toBe(true);
    expect(match("env=dev")).toBe(false);
  });

  test("selectors - set-based: in, notin, exists, !exists", () => {
    expect(match("env in (dev, prod)")).toBe(true);
    expect(match("env in (dev)")).toBe(false);
    expect(match("env notin (dev),tier in (web,api)")).toBe(true);
    expect(match("missing notin (x)")).toBe(true);
    expect(match("tier")).toBe(true);
    expect(match("!tier")).toBe(false);
    expect(match("!gone")).toBe(true);
    expect(matchesLabels(parseLabelSelector("env"), undefined)).toBe(false);
  });

  test("selectors - empty selector matches everything; bad syntax is a 400 Status error", () => {
    expect(match("")).toBe(true);
    expect(parseLabelSelector(undefined)).toEqual([]);
    expect(() => parseLabelSelector("a in b")).toThrow(/unable to parse requirement/);
    expect(() => parseFieldSelector("metadata.name in (a)")).toThrow(/invalid field selector/);
  });

  test("selectors - field selectors on metadata.name, metadata.namespace and nested fields", () => {
    const obj = { metadata: { name: "a", namespace: "ns1" }, type: "Opaque", status: { phase: "Active" } };
    expect(matchesFields(parseFieldSelector("metadata.name=a"), obj)).toBe(true);
    expect(matchesFields(parseFieldSelector("metadata.name=a,metadata.namespace!=ns1"), obj)).toBe(false);
    expect(matchesFields(parseFieldSelector("status.phase==Active,type=Opaque"), obj)).toBe(true);
    expect(matchesFields(parseFieldSelector("metadata.namespace="), { metadata: { name: "cluster-scoped" } })).toBe(
      true,
    );
  });
});
