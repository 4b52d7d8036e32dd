import { type ConfigChange, type KubeObject, MemoryConfigStore } from "@evtrigger/config";

const es = (name: string, subject: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: "lib.projectsveltos.io/v1beta1",
  kind: "EventSource",
  metadata: { name, resourceVersion: "1" },
  spec: { messagingMatchCriteria: [{ subject }] },
  ...extra,
});

describe("memoryStore", () => {
  test("memoryStore - changes follow validity: added, modified, invalid = deleted, valid again = added", async () => {
    const store = new MemoryConfigStore();
    await store.start();
    const seen: ConfigChange[] = [];
    store.onChange((c) => seen.push(c));
    store.apply(es("a", "x"));
    store.apply(es("a", "y"));
    store.apply(es("a", "(("));
    expect(store.snapshot().eventSources.has("a")).toBe(false);
    expect(store.snapshot().invalid.get("EventSource/a")?.[0]?.path).toBe("spec.messagingMatchCriteria[0].subject");
    store.apply(es("a", "z"));
    store.delete("EventSource", "a");
    expect(seen.map((c) => c.type)).toEqual(["added", "modified", "deleted", "added", "deleted"]);
    expect(store.snapshot().invalid.size).toBe(0);
  });

  test("memoryStore - status-only and resourceVersion-only updates are not changes; snapshots are immutable values", () => {
    const store = new MemoryConfigStore();
    store.apply(es("a", "x"));
    const before = store.snapshot();
    const changes = store.apply(
      es("a", "x", { metadata: { name: "a", resourceVersion: "2" }, status: { conditions: [] } }),
    );
    expect(changes).toEqual([]);
    expect(before.eventSources.get("a")?.spec.messagingMatchCriteria?.[0]?.subject).toBe("x");
    expect(Object.isFrozen(before)).toBe(true);
    expect(store.snapshot().version).toBe(before.version);
  });

  test("memoryStore - a cluster's kubeconfig comes from its Secret and a change of it modifies the cluster", () => {
    const store = new MemoryConfigStore();
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    const secret = (text: string): KubeObject => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "c1-sveltos-kubeconfig", namespace: "ns" },
      data: { value: b64(text) },
    });
    store.apply(
      {
        apiVersion: "lib.projectsveltos.io/v1beta1",
        kind: "SveltosCluster",
        metadata: { name: "c1", namespace: "ns", labels: { env: "a" } },
        spec: {},
      },
      secret("one"),
    );
    expect(store.snapshot().clusters.get("ns/c1")).toMatchObject({ labels: { env: "a" }, kubeconfig: "one" });
    const changes = store.apply(secret("two"));
    expect(changes.map((c) => `${c.type} ${c.kind} ${c.key}`)).toEqual([
      "modified Secret ns/c1-sveltos-kubeconfig",
      "modified SveltosCluster ns/c1",
    ]);
    store.delete("Secret", "ns/c1-sveltos-kubeconfig");
    expect(store.snapshot().clusters.get("ns/c1")?.kubeconfigError).toBe("Secret ns/c1-sveltos-kubeconfig not found");
  });
});
