import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  builtinLists,
  fieldsOf,
  fromFieldsV1,
  type KubeObject,
  schemaLists,
  serverSideApply,
  toFieldsV1,
} from "../src/internal.js";

const builtin = { lists: builtinLists, skipStatus: false };

describe("patch", () => {
  test("patch - json patch add/remove/replace/move/copy/test", () => {
    const doc = { a: { b: 1 }, l: [1, 2] };
    const out = applyJsonPatch(doc, [
      { op: "add", path: "/a/c", value: 2 },
      { op: "add", path: "/l/-", value: 3 },
      { op: "replace", path: "/a/b", value: 9 },
      { op: "remove", path: "/l/0" },
      { op: "copy", from: "/a/c", path: "/d" },
      { op: "move", from: "/d", path: "/e~1f" },
      { op: "test", path: "/a/b", value: 9 },
    ]);
    expect(out).toEqual({ a: { b: 9, c: 2 }, l: [2, 3], "e/f": 2 });
    expect(doc).toEqual({ a: { b: 1 }, l: [1, 2] });
    expect(() => applyJsonPatch(doc, [{ op: "test", path: "/a/b", value: 2 }])).toThrow(/test operation failed/);
    expect(() => applyJsonPatch(doc, [{ op: "remove", path: "/nope" }])).toThrow(/does not exist/);
  });

  test("patch - merge patch merges objects, deletes on null, replaces lists", () => {
    expect(applyMergePatch({ a: 1, b: { c: 1, d: 2 }, l: [1, 2] }, { a: null, b: { c: 3 }, l: [9] })).toEqual({
      b: { c: 3, d: 2 },
      l: [9],
    });
  });

  test("patch - strategic merge merges containers/env by name and honours $patch: delete", () => {
    const dep = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: "app", image: "a:1", env: [{ name: "A", value: "1" }] },
              { name: "side", image: "s:1" },
            ],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(dep, {
      spec: {
        template: {
          spec: {
            containers: [
              { name: "app", image: "a:2", env: [{ name: "B", value: "2" }] },
              { name: "side", $patch: "delete" },
              { name: "new", image: "n:1" },
            ],
          },
        },
      },
    }) as typeof dep;
    expect(out.spec.template.spec.containers).toEqual([
      {
        name: "app",
        image: "a:2",
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
      },
      { name: "new", image: "n:1" },
    ]);
  });

  test("patch - strategic merge: ports by key, finalizers as a set, $setElementOrder, $retainKeys, replace", () => {
    const svc = {
      metadata: { finalizers: ["a"] },
      spec: { ports: [{ port: 80, name: "http" }], selector: { x: "1", y: "2" } },
    };
    const out = applyStrategicMergePatch(svc, {
      metadata: { finalizers: ["b"] },
      spec: {
        ports: [{ port: 443, name: "https" }],
        $setElementOrder: undefined,
        "$setElementOrder/ports": [{ port: 443 }, { port: 80 }],
        selector: { $patch: "replace", z: "3" },
      },
    }) as typeof svc;
    expect(out.metadata.finalizers).toEqual(["a", "b"]);
    expect(out.spec.ports.map((p) => p.port)).toEqual([443, 80]);
    expect(out.spec.selector).toEqual({ z: "3" });
    const retained = applyStrategicMergePatch({ s: { a: 1, b: 2 } }, { s: { $retainKeys: ["a"], a: 5 } });
    expect(retained).toEqual({ s: { a: 5 } });
    expect(applyStrategicMergePatch({ l: ["x", "y"] }, { "$deleteFromPrimitiveList/l": ["x"] })).toEqual({ l: ["y"] });
  });

  test("patch - field sets round-trip through FieldsV1 with keyed list items", () => {
    const obj = { metadata: { name: "x", labels: { a: "1" } }, spec: { containers: [{ name: "app", image: "i" }] } };
    const set = fieldsOf(obj, builtin);
    const v1 = toFieldsV1(set);
    expect(v1).toEqual({
      "f:metadata": { "f:labels": { "f:a": {} } },
      "f:spec": { "f:containers": { 'k:{"name":"app"}': { ".": {}, "f:image": {}, "f:name": {} } } },
    });
    expect(fromFieldsV1(v1)).toEqual(set);
  });

  const cm = (data: Record<string, string>): KubeObject =>
    ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "d" }, data }) as KubeObject;
  const apply = (live: KubeObject | undefined, config: KubeObject, manager: string, force = false) =>
    serverSideApply({
      live,
      config,
      manager,
      force,
      apiVersion: "v1",
      opts: { lists: builtinLists, skipStatus: true },
    });

  test("patch - server-side apply: conflicts name field and manager, force transfers ownership", () => {
    const a = apply(undefined, cm({ k: "1", only: "a" }), "alice");
    expect(a.metadata.managedFields).toEqual([expect.objectContaining({ manager: "alice", operation: "Apply" })]);
    expect(() => apply(a, cm({ k: "2" }), "bob")).toThrow(
      'Apply failed with 1 conflict: conflict with "alice": .data.k',
    );
    const two = apply(a, cm({ k: "1", only: "a", more: "x" }), "alice");
    expect(() => apply(two, cm({ k: "2", more: "y" }), "bob")).toThrow(
      'Apply failed with 2 conflicts: conflicts with "alice":\n- .data.k\n- .data.more',
    );
    // Same value: shared ownership, no conflict.
    const shared = apply(a, cm({ k: "1" }), "carol");
    expect(shared.metadata.managedFields?.map((m) => m.manager)).toEqual(["alice", "carol"]);
    const forced = apply(a, cm({ k: "2" }), "bob", true);
    expect(forced.data).toEqual({ k: "2", only: "a" });
    const owners = Object.fromEntries((forced.metadata.managedFields ?? []).map((m) => [m.manager, m.fieldsV1]));
    expect(owners).toEqual({ alice: { "f:data": { "f:only": {} } }, bob: { "f:data": { "f:k": {} } } });
  });

  test("patch - server-side apply removes fields the manager stopped applying unless others own them", () => {
    const a = apply(undefined, cm({ x: "1", y: "2" }), "alice");
    const b = apply(a, cm({ y: "2" }), "bob");
    const a2 = apply(b, cm({}), "alice");
    expect(a2.data).toEqual({ y: "2" });
  });

  test("patch - list semantics: built-in merge keys and sets; CRD x-kubernetes-list-type through nested items", () => {
    expect(builtinLists(["spec", "template", "spec"], "containers", [])).toEqual({ kind: "map", keys: ["name"] });
    expect(builtinLists(["metadata"], "finalizers", [])).toEqual({ kind: "set" });
    expect(builtinLists(["spec"], "finalizers", [])).toBeUndefined();
    const lists = schemaLists({
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: {
            groups: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  rules: { type: "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["a", "b"] },
                  tags: { type: "array", "x-kubernetes-list-type": "set" },
                },
              },
            },
          },
        },
      },
    });
    expect(lists(["spec", "groups"], "rules", [])).toEqual({ kind: "map", keys: ["a", "b"] });
    expect(lists(["spec", "groups"], "tags", [])).toEqual({ kind: "set" });
    expect(lists(["spec"], "groups", [])).toBeUndefined();
  });
});
