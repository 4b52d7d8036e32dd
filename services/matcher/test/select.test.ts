// EventTrigger selection from a configuration snapshot: names (plain and templated), selectors, ClusterSets.
import type { ClusterEntry, ClusterSet, ConfigSnapshot, EventTrigger } from "@evtrigger/config";
import { goRender } from "../src/select/templates.js";
import { TriggerSelector } from "../src/select/triggers.js";

function cluster(ns: string, name: string, labels: Record<string, string>): ClusterEntry {
  return {
    key: `${ns}/${name}`,
    namespace: ns,
    name,
    kind: "SveltosCluster",
    labels,
    object: {
      apiVersion: "lib.projectsveltos.io/v1beta1",
      kind: "SveltosCluster",
      metadata: { name, namespace: ns, labels },
      spec: {},
    },
  };
}

function trigger(name: string, spec: Partial<EventTrigger["spec"]>, generation = 1): EventTrigger {
  return {
    apiVersion: "lib.projectsveltos.io/v1beta1",
    kind: "EventTrigger",
    metadata: { name, generation },
    spec: { sourceClusterSelector: {}, eventSourceName: "es", ...spec } as EventTrigger["spec"],
  };
}

function snapshot(triggers: EventTrigger[], clusterSets: ClusterSet[] = []): ConfigSnapshot {
  const clusters = [
    cluster("prod", "eu", { env: "production", region: "eu", es: "eu-events" }),
    cluster("prod", "us", { env: "production", region: "us", es: "us-events" }),
    cluster("dev", "lab", { env: "dev" }),
  ];
  return {
    eventSources: new Map(),
    eventTriggers: new Map(triggers.map((t) => [t.metadata.name, t])),
    clusters: new Map(clusters.map((c) => [c.key, c])),
    clusterSets: new Map(clusterSets.map((s) => [s.metadata.name, s])),
    configMaps: new Map(),
    secrets: new Map(),
    invalid: new Map(),
    version: 1,
  };
}

const names = (ts: readonly EventTrigger[]) => ts.map((t) => t.metadata.name);

describe("select - triggers for (cluster, EventSource)", () => {
  test("select - matchLabels and matchExpressions pick source clusters", () => {
    const s = new TriggerSelector(
      snapshot([
        trigger("prod-only", { sourceClusterSelector: { matchLabels: { env: "production" } } }),
        trigger("not-eu", {
          sourceClusterSelector: { matchExpressions: [{ key: "region", operator: "NotIn", values: ["eu"] }] },
        }),
        trigger("has-region", { sourceClusterSelector: { matchExpressions: [{ key: "region", operator: "Exists" }] } }),
        trigger("other-source", { eventSourceName: "other", sourceClusterSelector: {} }),
      ]),
      goRender,
    );
    expect(names(s.triggersFor("prod/eu", "es"))).toEqual(["has-region", "prod-only"]);
    expect(names(s.triggersFor("prod/us", "es"))).toEqual(["has-region", "not-eu", "prod-only"]);
    expect(names(s.triggersFor("dev/lab", "es"))).toEqual(["not-eu"]);
    expect(names(s.triggersFor("dev/lab", "other"))).toEqual(["other-source"]);
    expect(names(s.triggersFor("nowhere/x", "es"))).toEqual([]);
  });

  test("select - clusterSetRefs add clusters to the selector's", () => {
    const set: ClusterSet = {
      apiVersion: "lib.projectsveltos.io/v1beta1",
      kind: "ClusterSet",
      metadata: { name: "lab-set" },
      spec: { clusterRefs: [{ kind: "SveltosCluster", namespace: "dev", name: "lab" }] },
    };
    const s = new TriggerSelector(
      snapshot(
        [trigger("t", { sourceClusterSelector: { matchLabels: { region: "eu" } }, clusterSetRefs: ["lab-set"] })],
        [set],
      ),
      goRender,
    );
    expect(names(s.triggersFor("prod/eu", "es"))).toEqual(["t"]);
    expect(names(s.triggersFor("dev/lab", "es"))).toEqual(["t"]);
    expect(names(s.triggersFor("prod/us", "es"))).toEqual([]);
  });

  test("select - a templated eventSourceName is rendered per cluster with the Go engine", () => {
    const problems: string[] = [];
    const s = new TriggerSelector(
      snapshot([
        trigger("templated", {
          sourceClusterSelector: { matchLabels: { env: "production" } },
          eventSourceName: "{{ .Cluster.metadata.labels.es }}",
        }),
        trigger("broken", {
          sourceClusterSelector: { matchLabels: { env: "production" } },
          eventSourceName: "{{ .Cluster.nope.deeper }}",
        }),
      ]),
      goRender,
      (p) => problems.push(`${p.trigger}@${p.cluster}: ${p.reason}`),
    );
    expect(names(s.triggersFor("prod/eu", "eu-events"))).toEqual(["templated"]);
    expect(names(s.triggersFor("prod/eu", "us-events"))).toEqual([]);
    expect(names(s.triggersFor("prod/us", "us-events"))).toEqual(["templated"]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^broken@prod\/eu: spec\.eventSourceName: /);
  });
});
