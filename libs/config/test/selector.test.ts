import {
  type ClusterEntry,
  type ClusterSet,
  type ConfigSnapshot,
  clusterSetMembers,
  matchesSelector,
  selectClusters,
} from "@evtrigger/config";

const labels = { env: "production", tier: "gold" };

describe("selector", () => {
  test.each([
    [{}, true],
    [{ matchLabels: { env: "production" } }, true],
    [{ matchLabels: { env: "fv" } }, false],
    [{ matchExpressions: [{ key: "env", operator: "In" as const, values: ["fv", "production"] }] }, true],
    [{ matchExpressions: [{ key: "env", operator: "NotIn" as const, values: ["production"] }] }, false],
    [{ matchExpressions: [{ key: "region", operator: "NotIn" as const, values: ["eu"] }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "Exists" as const }] }, true],
    [{ matchExpressions: [{ key: "tier", operator: "DoesNotExist" as const }] }, false],
    [{ matchExpressions: [{ key: "region", operator: "In" as const, values: ["eu"] }] }, false],
    [
      {
        matchLabels: { env: "production" },
        matchExpressions: [{ key: "tier", operator: "In" as const, values: ["silver"] }],
      },
      false,
    ],
  ])("selector - matchesSelector(%j) is %s like Kubernetes", (sel, want) => {
    expect(matchesSelector(labels, sel)).toBe(want);
  });

  test("selector - an unknown operator matches nothing", () => {
    expect(
      matchesSelector(labels, {
        matchExpressions: [{ key: "env", operator: "Equals" as "In", values: ["production"] }],
      }),
    ).toBe(false);
  });

  const cluster = (ns: string, name: string, l: Record<string, string>): ClusterEntry =>
    ({
      key: `${ns}/${name}`,
      namespace: ns,
      name,
      kind: "SveltosCluster",
      labels: l,
      object: {},
    }) as unknown as ClusterEntry;
  const set = (
    name: string,
    spec: ClusterSet["spec"],
    selected?: { namespace: string; name: string }[],
  ): ClusterSet => ({
    apiVersion: "lib.projectsveltos.io/v1beta1",
    kind: "ClusterSet",
    metadata: { name },
    spec,
    status: selected ? { selectedClusterRefs: selected } : undefined,
  });
  const snapshot = (clusters: ClusterEntry[], sets: ClusterSet[]): ConfigSnapshot =>
    ({
      clusters: new Map(clusters.map((c) => [c.key, c])),
      clusterSets: new Map(sets.map((s) => [s.metadata.name, s])),
    }) as unknown as ConfigSnapshot;

  const snap = snapshot(
    [cluster("a", "one", { env: "prod" }), cluster("a", "two", { env: "prod" }), cluster("b", "three", { env: "dev" })],
    [
      set("prod", { clusterSelector: { matchLabels: { env: "prod" } } }),
      set("refs", {
        clusterRefs: [
          { kind: "SveltosCluster", namespace: "b", name: "three" },
          { namespace: "x", name: "missing" },
        ],
      }),
      set("one-of-prod", { clusterSelector: { matchLabels: { env: "prod" } }, maxReplicas: 1 }, [
        { namespace: "a", name: "two" },
      ]),
    ],
  );

  test("selector - selectClusters unions the selector and the ClusterSets, sorted by key", () => {
    const keys = (sel: Parameters<typeof selectClusters>[1]) => selectClusters(snap, sel).map((c) => c.key);
    expect(keys({ clusterSelector: { matchLabels: { env: "dev" } } })).toEqual(["b/three"]);
    expect(keys({ clusterSetRefs: ["prod"] })).toEqual(["a/one", "a/two"]);
    expect(keys({ clusterSelector: { matchLabels: { env: "dev" } }, clusterSetRefs: ["prod"] })).toEqual([
      "a/one",
      "a/two",
      "b/three",
    ]);
    expect(keys({ clusterSetRefs: ["refs", "nope"] })).toEqual(["b/three"]);
    expect(keys({})).toEqual([]);
  });

  test("selector - maxReplicas keeps the set's current selection, then fills in key order", () => {
    expect(clusterSetMembers(snap, "one-of-prod").map((c) => c.key)).toEqual(["a/two"]);
    const fresh = snapshot([...snap.clusters.values()], [set("s", { clusterSelector: {}, maxReplicas: 2 })]);
    expect(clusterSetMembers(fresh, "s").map((c) => c.key)).toEqual(["a/one", "a/two"]);
    // Failover: a selected cluster that is not ready is replaced by a healthy candidate.
    const down = {
      ...cluster("a", "two", { env: "prod" }),
      object: { status: { ready: false } },
    } as unknown as ClusterEntry;
    const failover = snapshot(
      [cluster("a", "one", { env: "prod" }), down],
      [set("f", { clusterSelector: {}, maxReplicas: 1 }, [{ namespace: "a", name: "two" }])],
    );
    expect(clusterSetMembers(failover, "f").map((c) => c.key)).toEqual(["a/one"]);
  });
});
