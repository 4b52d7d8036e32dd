// API semantics over raw HTTPS: metadata, errors as Status, paging, selectors, watch, deletion, CRDs.
import { waitFor } from "@evtrigger/testkit";
import { type KubeEmulator, startKubeEmulator } from "../src/mod.js";
import { api, watchStream } from "./helpers.js";

let emu: KubeEmulator;

beforeAll(async () => {
  emu = await startKubeEmulator({ clusterName: "api-test" });
});
afterAll(() => emu.stop());

const CM = "/api/v1/namespaces/default/configmaps";

describe("api", () => {
  test("api - discovery, version and OpenAPI documents answer the plain forms", async () => {
    expect((await api(emu, "GET", "/version")).body).toMatchObject({ major: "1", minor: "32" });
    const aggregated = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
    expect((await api(emu, "GET", "/api", undefined, { accept: aggregated })).body).toMatchObject({
      kind: "APIVersions",
      versions: ["v1"],
    });
    const groups = (await api(emu, "GET", "/apis", undefined, { accept: aggregated })).body as {
      groups: { name: string }[];
    };
    expect(groups.groups.map((g) => g.name).sort()).toEqual([
      "apiextensions.k8s.io",
      "apps",
      "events.k8s.io",
      "policy",
      "rbac.authorization.k8s.io",
    ]);
    const core = (await api(emu, "GET", "/api/v1")).body as { resources: { name: string }[] };
    expect(core.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        "namespaces",
        "namespaces/status",
        "configmaps",
        "secrets",
        "serviceaccounts",
        "services",
        "events",
      ]),
    );
    const root = (await api(emu, "GET", "/openapi/v3")).body as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    const doc = (await api(emu, "GET", root.paths["api/v1"]!.serverRelativeURL)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const post = doc.paths["/api/v1/namespaces/{namespace}/configmaps"]!.post as Record<string, unknown>;
    expect(post["x-kubernetes-group-version-kind"]).toEqual({ group: "", version: "v1", kind: "ConfigMap" });
    expect((await api(emu, "GET", "/openapi/v2")).status).toBe(404);
  });

  test("api - create stamps uid, resourceVersion, creationTimestamp; generateName; names are validated", async () => {
    const r = await api(emu, "POST", CM, { metadata: { generateName: "gen-" }, data: { a: "1" } });
    expect(r.status).toBe(201);
    const meta = r.body.metadata as Record<string, string>;
    expect(meta.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(meta.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(meta.resourceVersion)).toBeGreaterThan(0);
    expect(meta.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const bad = await api(emu, "POST", CM, { metadata: { name: "Not_Valid" } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      kind: "Status",
      reason: "Invalid",
      code: 422,
      details: { causes: [{ field: "metadata.name" }] },
    });
    const dup = await api(emu, "POST", CM, { metadata: { name: meta.name } });
    expect(dup.body).toMatchObject({ reason: "AlreadyExists", code: 409 });
  });

  test("api - create in a missing namespace is 404 NotFound for the namespace", async () => {
    const r = await api(emu, "POST", "/api/v1/namespaces/nope/configmaps", { metadata: { name: "x" } });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      message: 'namespaces "nope" not found',
      details: { name: "nope", kind: "namespaces" },
    });
  });

  test("api - update with a stale resourceVersion is 409 Conflict; generation moves only with spec", async () => {
    const dep = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "gen" },
      spec: {
        selector: { matchLabels: { a: "b" } },
        template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "x" }] } },
      },
    };
    const path = "/apis/apps/v1/namespaces/default/deployments";
    const created = (await api(emu, "POST", path, dep)).body as {
      metadata: { resourceVersion: string; generation: number };
    };
    expect(created.metadata.generation).toBe(1);
    const labelled = await api(emu, "PUT", `${path}/gen`, {
      ...dep,
      metadata: { ...created.metadata, labels: { x: "y" } },
    });
    expect(labelled.status).toBe(200);
    expect((labelled.body.metadata as { generation: number }).generation).toBe(1);
    const stale = await api(emu, "PUT", `${path}/gen`, {
      ...dep,
      metadata: { ...created.metadata, labels: { x: "z" } },
    });
    expect(stale.body).toMatchObject({ kind: "Status", reason: "Conflict", code: 409 });
    const fresh = labelled.body as { metadata: Record<string, unknown> };
    const scaled = await api(emu, "PUT", `${path}/gen`, {
      ...dep,
      metadata: fresh.metadata,
      spec: { ...dep.spec, replicas: 3 },
    });
    expect((scaled.body.metadata as { generation: number }).generation).toBe(2);
  });

  test("api - list filters by label (equality and set) and field selectors, and pages with limit/continue", async () => {
    await api(emu, "POST", "/api/v1/namespaces", { metadata: { name: "lists" } });
    const path = "/api/v1/namespaces/lists/configmaps";
    for (const [name, env] of [
      ["a", "prod"],
      ["b", "dev"],
      ["c", "prod"],
      ["d", undefined],
    ] as const)
      await api(emu, "POST", path, { metadata: { name, labels: env ? { env } : {} } });
    const names = async (q: string) =>
      ((await api(emu, "GET", `${path}?${q}`)).body.items as { metadata: { name: string } }[]).map(
        (i) => i.metadata.name,
      );
    expect(await names("labelSelector=env%3Dprod")).toEqual(["a", "c"]);
    expect(await names("labelSelector=env%20in%20(dev,prod),env!%3Dprod")).toEqual(["b"]);
    expect(await names("labelSelector=!env")).toEqual(["d"]);
    expect(await names("fieldSelector=metadata.name%3Db")).toEqual(["b"]);
    expect(await names("fieldSelector=metadata.namespace%3Dlists,metadata.name!%3Da")).toEqual(["b", "c", "d"]);
    const page1 = (await api(emu, "GET", `${path}?limit=3`)).body as {
      items: unknown[];
      metadata: { continue: string; remainingItemCount: number };
    };
    expect(page1.items).toHaveLength(3);
    expect(page1.metadata.remainingItemCount).toBe(1);
    const page2 = (await api(emu, "GET", `${path}?limit=3&continue=${page1.metadata.continue}`)).body as {
      items: unknown[];
      metadata: { continue?: string };
    };
    expect(page2.items).toHaveLength(1);
    expect(page2.metadata.continue).toBeUndefined();
    const bad = await api(emu, "GET", `${path}?labelSelector=a%20in%20b`);
    expect(bad.body).toMatchObject({ kind: "Status", reason: "BadRequest", code: 400 });
  });

  test("api - a watch on an item path sees only that object", async () => {
    const watch = watchStream(emu, `${CM}/only-me?watch=true`);
    try {
      await api(emu, "POST", CM, { metadata: { name: "not-me" } });
      await api(emu, "POST", CM, { metadata: { name: "only-me" } });
      await waitFor(() => watch.events().length > 0, { what: "an event" });
      await api(emu, "POST", CM, { metadata: { name: "not-me-either" } });
      await api(emu, "DELETE", `${CM}/only-me`);
      await waitFor(() => watch.events().length === 2, { what: "two events" });
      expect(watch.events().map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual([
        "ADDED only-me",
        "DELETED only-me",
      ]);
    } finally {
      watch.close();
    }
  });

  test("api - sendInitialEvents with bookmarks ends the initial state with an initial-events-end BOOKMARK", async () => {
    await api(emu, "POST", "/api/v1/namespaces", { metadata: { name: "wl" } });
    await api(emu, "POST", "/api/v1/namespaces/wl/configmaps", { metadata: { name: "a" } });
    const path = "/api/v1/namespaces/wl/configmaps?watch=1&sendInitialEvents=true&allowWatchBookmarks=true";
    const watch = watchStream(emu, `${path}&resourceVersionMatch=NotOlderThan`);
    try {
      await waitFor(() => watch.events().length === 2, { what: "ADDED + BOOKMARK" });
      const [added, mark] = watch.events();
      expect(added).toMatchObject({ type: "ADDED", object: { metadata: { name: "a" } } });
      expect(mark).toMatchObject({
        type: "BOOKMARK",
        object: { kind: "ConfigMap", metadata: { annotations: { "k8s.io/initial-events-end": "true" } } },
      });
    } finally {
      watch.close();
    }
  });

  test("api - watch resumes from a resourceVersion and ends after timeoutSeconds", async () => {
    const first = await api(emu, "POST", CM, { metadata: { name: "w-1" } });
    const rv = (first.body.metadata as { resourceVersion: string }).resourceVersion;
    await api(emu, "POST", CM, { metadata: { name: "w-2" } });
    await api(emu, "DELETE", `${CM}/w-1`);
    const r = await api(emu, "GET", `${CM}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    const events = r.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(["ADDED w-2", "DELETED w-1"]);
  });

  test("api - finalizers hold a deleted object until removed; deletecollection removes by selector", async () => {
    await api(emu, "POST", CM, { metadata: { name: "held", finalizers: ["example.com/hold"] } });
    const del = await api(emu, "DELETE", `${CM}/held`);
    expect(del.status).toBe(200);
    expect((del.body.metadata as { deletionTimestamp?: string }).deletionTimestamp).toEqual(expect.any(String));
    expect((await api(emu, "GET", `${CM}/held`)).status).toBe(200);
    await api(
      emu,
      "PATCH",
      `${CM}/held`,
      { metadata: { finalizers: null } },
      { contentType: "application/merge-patch+json" },
    );
    expect((await api(emu, "GET", `${CM}/held`)).status).toBe(404);

    for (const n of ["dc-1", "dc-2", "dc-keep"])
      await api(emu, "POST", CM, { metadata: { name: n, labels: { batch: n === "dc-keep" ? "keep" : "drop" } } });
    const dc = await api(emu, "DELETE", `${CM}?labelSelector=batch%3Ddrop`);
    expect((dc.body.items as unknown[]).length).toBe(2);
    expect((await api(emu, "GET", `${CM}/dc-keep`)).status).toBe(200);
    expect((await api(emu, "GET", `${CM}/dc-1`)).status).toBe(404);
  });

  test("api - a CRD serves its kind (cluster-scoped, status subresource); deleting it removes kind and objects", async () => {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "gadgets.example.org" },
      spec: {
        group: "example.org",
        scope: "Cluster",
        names: { kind: "Gadget", plural: "gadgets" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
          {
            name: "v1beta1",
            served: true,
            storage: false,
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        ],
      },
    };
    expect((await api(emu, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).status).toBe(201);
    const path = "/apis/example.org/v1/gadgets";
    const created = await api(emu, "POST", path, {
      metadata: { name: "g1" },
      spec: { n: 1 },
      status: { ignored: true },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBeUndefined();
    const st = await api(
      emu,
      "PATCH",
      `${path}/g1/status`,
      { status: { ready: true }, spec: { n: 9 } },
      { contentType: "application/merge-patch+json" },
    );
    expect(st.body).toMatchObject({ spec: { n: 1 }, status: { ready: true }, metadata: { generation: 1 } });
    const beta = await api(emu, "GET", "/apis/example.org/v1beta1/gadgets/g1");
    expect(beta.body.apiVersion).toBe("example.org/v1beta1");
    const watch = watchStream(emu, `${path}?watch=1`);
    await waitFor(() => watch.events().length === 1, { what: "initial ADDED g1" });
    expect(
      (await api(emu, "DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.org")).status,
    ).toBe(200);
    // Removing the kind ends its watches, after a DELETED event for each object.
    await waitFor(() => watch.ended(), { what: "watch ended by CRD removal" });
    expect(watch.events().map((e) => e.type)).toEqual(["ADDED", "DELETED"]);
    expect((await api(emu, "GET", path)).status).toBe(404);
    expect(((await api(emu, "GET", "/apis")).body.groups as { name: string }[]).map((g) => g.name)).not.toContain(
      "example.org",
    );
  });

  test("api - Secrets turn stringData into base64 data", async () => {
    const r = await api(emu, "POST", "/api/v1/namespaces/default/secrets", {
      metadata: { name: "s" },
      stringData: { k: "v" },
    });
    expect(r.body).toMatchObject({ type: "Opaque", data: { k: "dg==" } });
    expect(r.body.stringData).toBeUndefined();
  });

  test("api - a label-selected watch sees an object that stops matching as DELETED and one that starts as ADDED", async () => {
    await api(emu, "POST", CM, { metadata: { name: "sel-1", labels: { watch: "yes" } } });
    const watch = watchStream(emu, `${CM}?watch=true&labelSelector=watch%3Dyes`);
    try {
      await waitFor(() => watch.events().some((e) => e.object.metadata?.name === "sel-1"), { what: "initial ADDED" });
      const merge = { contentType: "application/merge-patch+json" };
      await api(emu, "PATCH", `${CM}/sel-1`, { metadata: { labels: { watch: "no" } } }, merge);
      await api(emu, "PATCH", `${CM}/sel-1`, { metadata: { labels: { watch: "yes" } } }, merge);
      await api(emu, "PATCH", `${CM}/sel-1`, { data: { x: "1" } }, merge);
      await waitFor(() => watch.events().length === 4, { what: "four events" });
      expect(watch.events().map((e) => e.type)).toEqual(["ADDED", "DELETED", "ADDED", "MODIFIED"]);
    } finally {
      watch.close();
    }
  });

  test("api - deleting an owner garbage-collects its dependents unless propagationPolicy is Orphan", async () => {
    const owner = (await api(emu, "POST", CM, { metadata: { name: "owner" } })).body as { metadata: { uid: string } };
    const ref = [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata.uid }];
    await api(emu, "POST", CM, { metadata: { name: "dependent", ownerReferences: ref } });
    await api(emu, "DELETE", `${CM}/owner`);
    await waitFor(async () => (await api(emu, "GET", `${CM}/dependent`)).status === 404, {
      what: "dependent collected",
    });

    const owner2 = (await api(emu, "POST", CM, { metadata: { name: "owner2" } })).body as { metadata: { uid: string } };
    await api(emu, "POST", CM, {
      metadata: { name: "orphan", ownerReferences: [{ ...ref[0], name: "owner2", uid: owner2.metadata.uid }] },
    });
    await api(emu, "DELETE", `${CM}/owner2`, { propagationPolicy: "Orphan" });
    await waitFor(
      async () => {
        const r = await api(emu, "GET", `${CM}/orphan`);
        return r.status === 200 && (r.body.metadata as { ownerReferences?: unknown }).ownerReferences === undefined;
      },
      { what: "orphan kept without its ownerReference" },
    );
  });

  test("api - creating in a terminating namespace is 403 Forbidden", async () => {
    await api(emu, "POST", "/api/v1/namespaces", { metadata: { name: "ending" } });
    await api(emu, "POST", "/api/v1/namespaces/ending/configmaps", { metadata: { name: "held", finalizers: ["x/y"] } });
    const del = await api(emu, "DELETE", "/api/v1/namespaces/ending");
    expect(del.body).toMatchObject({ status: { phase: "Terminating" } });
    const r = await api(emu, "POST", "/api/v1/namespaces/ending/configmaps", { metadata: { name: "late" } });
    expect(r.body).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403 });
    expect(String(r.body.message)).toContain("because it is being terminated");
    await api(
      emu,
      "PATCH",
      "/api/v1/namespaces/ending/configmaps/held",
      { metadata: { finalizers: null } },
      { contentType: "application/merge-patch+json" },
    );
    await waitFor(async () => (await api(emu, "GET", "/api/v1/namespaces/ending")).status === 404, {
      what: "namespace gone",
    });
  });

  test("api - a repeated server-side apply changes nothing: same resourceVersion, no watch event", async () => {
    const body = JSON.stringify({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "ssa-idem" },
      data: { a: "1" },
    });
    const apply = () =>
      api(emu, "PATCH", `${CM}/ssa-idem?fieldManager=evt&force=true`, body, {
        contentType: "application/apply-patch+yaml",
      });
    const first = await apply();
    expect(first.status).toBe(201);
    const rv = (first.body.metadata as { resourceVersion: string }).resourceVersion;
    const watch = watchStream(emu, `${CM}?watch=1&resourceVersion=${rv}&fieldSelector=metadata.name%3Dssa-idem`);
    try {
      const again = await apply();
      expect((again.body.metadata as { resourceVersion: string }).resourceVersion).toBe(rv);
      await api(emu, "PATCH", `${CM}/ssa-idem`, { data: { a: "2" } }, { contentType: "application/merge-patch+json" });
      await waitFor(() => watch.events().length > 0, { what: "the merge patch's event" });
      expect(watch.events().map((e) => e.type)).toEqual(["MODIFIED"]);
    } finally {
      watch.close();
    }
  });

  test("api - managedFields rewritten by a client replace the stored ones; [{}] clears them", async () => {
    await api(emu, "POST", `${CM}?fieldManager=creator`, { metadata: { name: "mf" }, data: { a: "1" } });
    const managers = async () =>
      (
        ((await api(emu, "GET", `${CM}/mf`)).body.metadata as { managedFields?: { manager: string }[] })
          .managedFields ?? []
      ).map((m) => m.manager);
    expect(await managers()).toEqual(["creator"]);
    const renamed = [{ op: "replace", path: "/metadata/managedFields/0/manager", value: "renamed" }];
    await api(emu, "PATCH", `${CM}/mf?fieldManager=patcher`, renamed, { contentType: "application/json-patch+json" });
    expect(await managers()).toEqual(["renamed"]);
    await api(
      emu,
      "PATCH",
      `${CM}/mf?fieldManager=patcher`,
      { metadata: { managedFields: [{}] } },
      { contentType: "application/merge-patch+json" },
    );
    expect(await managers()).toEqual([]);
  });

  test("api - server-side apply merges x-kubernetes-list-type map lists by key: two managers, one condition each", async () => {
    const conditions = {
      type: "array",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["type"],
      items: { type: "object", properties: { type: { type: "string" }, status: { type: "string" } } },
    };
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "probes.example.net" },
      spec: {
        group: "example.net",
        scope: "Namespaced",
        names: { kind: "Probe", plural: "probes" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                  status: { type: "object", properties: { conditions } },
                },
              },
            },
          },
        ],
      },
    };
    expect((await api(emu, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).status).toBe(201);
    const path = "/apis/example.net/v1/namespaces/default/probes";
    await api(emu, "POST", path, { metadata: { name: "p" }, spec: {} });
    const applyStatus = (manager: string, type: string, status: string) =>
      api(
        emu,
        "PATCH",
        `${path}/p/status?fieldManager=${manager}`,
        {
          apiVersion: "example.net/v1",
          kind: "Probe",
          metadata: { name: "p" },
          status: { conditions: [{ type, status }] },
        },
        { contentType: "application/apply-patch+yaml" },
      );
    expect((await applyStatus("matcher", "Matched", "True")).status).toBe(200);
    const both = await applyStatus("applier", "Applied", "False");
    expect((both.body.status as { conditions: unknown[] }).conditions).toEqual([
      { type: "Matched", status: "True" },
      { type: "Applied", status: "False" },
    ]);
    const conflict = await applyStatus("applier", "Matched", "False");
    expect(conflict.body).toMatchObject({ reason: "Conflict", code: 409 });
    expect(String(conflict.body.message)).toContain(
      'conflict with "matcher" with subresource "status": .status.conditions[type="Matched"].status',
    );
  });
});
