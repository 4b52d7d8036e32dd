// Pure logic: no NATS, no Kubernetes.

import { matchesSelector } from "@evtrigger/config";
import { render } from "@evtrigger/gotemplate";
import { retryAfterMs } from "../src/apply/client.js";
import { sveltosIdentityValue, toLabelValue } from "../src/apply/labels.js";
import {
  CONFIG_SYNC_GRACE_MS,
  CONFIRMED_MISSING_MS,
  configObjectMissing,
  configSyncGraceLeftMs,
} from "../src/decide/config-sync.js";
import { decide } from "../src/decide/decision.js";
import { destinationsOf } from "../src/decide/destinations.js";
import type { ConfigSnapshotLike, EventTriggerLike, TemplateRender } from "../src/deps.js";
import { ApplierError } from "../src/errors.js";
import { resourceType } from "../src/inventory/entry.js";
import { escapeToken, eventKeyOf, inventoryKey, parseInventoryKey, unescapeToken } from "../src/inventory/keys.js";
import { renderAction } from "../src/render/action.js";
import { parseObjects, renderPolicies } from "../src/render/policies.js";
import { parseMatch } from "../src/service.js";

const goRender: TemplateRender = (text, data, o) => render(text, data as never, { name: o.name, funcs: o.funcs });
const ce = {
  specversion: "1.0",
  id: "1",
  source: "auth.example.com",
  type: "auth.example.com.login",
  subject: "mgianluc",
  data: { organization: "acme" },
};
const data = { CloudEvent: ce, Cluster: { metadata: { name: "c1", namespace: "ns1" } } };

function trigger(spec: Partial<EventTriggerLike["spec"]>, annotations?: Record<string, string>): EventTriggerLike {
  return {
    apiVersion: "lib.projectsveltos.io/v1beta1",
    kind: "EventTrigger",
    metadata: { name: "t1", ...(annotations ? { annotations } : {}) },
    spec: {
      sourceClusterSelector: {},
      eventSourceName: "es",
      oneForEvent: true,
      syncMode: "Continuous",
      tier: 100,
      continueOnConflict: false,
      stopMatchingBehavior: "WithdrawPolicies",
      reloader: false,
      cloudEventAction: "Create",
      ...spec,
    },
  } as EventTriggerLike;
}

function snapshot(
  o: Partial<Record<"configMaps" | "secrets" | "clusters", Map<string, unknown>>> = {},
): ConfigSnapshotLike {
  return {
    eventSources: new Map(),
    eventTriggers: new Map(),
    clusters: o.clusters ?? new Map(),
    clusterSets: new Map(),
    configMaps: o.configMaps ?? new Map(),
    secrets: o.secrets ?? new Map(),
    invalid: new Map(),
    version: 1,
  } as unknown as ConfigSnapshotLike;
}

describe("labels", () => {
  test("labels - valid values are kept, Sveltos replaces / with -", () => {
    expect(toLabelValue("mgianluc")).toBe("mgianluc");
    expect(sveltosIdentityValue("auth.example.com/user-login")).toBe("auth.example.com-user-login");
    expect(sveltosIdentityValue(undefined)).toBe("");
  });
  test("labels - invalid values are encoded deterministically with a readable prefix", () => {
    const v = toLabelValue("user@example.com");
    expect(v).toMatch(/^user-example.com-h[0-9a-f]{16}$/);
    expect(toLabelValue("user@example.com")).toBe(v);
    expect(toLabelValue("user#example.com")).not.toBe(v);
    const long = toLabelValue("x".repeat(100));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(toLabelValue("@@@")).toMatch(/^h[0-9a-f]{16}$/);
  });
});

describe("inventory keys", () => {
  test("keys - tokens escape dots and round-trip", () => {
    expect(escapeToken("a.b")).toBe("a=2Eb");
    expect(unescapeToken(escapeToken("ünï.code/x"))).toBe("ünï.code/x");
    const k = inventoryKey({ trigger: "my.trigger", cluster: "default/c-1", eventKey: "abc" });
    expect(k).toMatch(/^[-/_=.a-zA-Z0-9]+$/);
    expect(parseInventoryKey(k)).toEqual({
      mode: "applied",
      trigger: "my.trigger",
      cluster: "default/c-1",
      eventKey: "abc",
    });
    expect(inventoryKey({ trigger: "t", cluster: "a/b", eventKey: "e" }, "dryrun")).toBe("dry.t.a.b.e");
  });
  test("keys - event identity is (source cluster, CE source, CE subject)", () => {
    const c = { namespace: "default", name: "c" };
    expect(eventKeyOf(c, "s", "u")).toBe(eventKeyOf(c, "s", "u"));
    expect(eventKeyOf(c, "s", "u")).not.toBe(eventKeyOf(c, "s", "v"));
    expect(eventKeyOf(c, "s", "u")).not.toBe(eventKeyOf({ namespace: "default", name: "d" }, "s", "u"));
  });
  test("keys - resource type column is group:Kind", () => {
    expect(resourceType({ apiVersion: "v1", kind: "Namespace" })).toBe(":Namespace");
    expect(resourceType({ apiVersion: "apps/v1", kind: "Deployment" })).toBe("apps:Deployment");
  });
});

describe("cloudEventAction", () => {
  test("action - default Create, literal and the seed's template", () => {
    expect(renderAction("t", undefined, data, goRender)).toBe("Create");
    expect(renderAction("t", "Delete", data, goRender)).toBe("Delete");
    const tpl = '{{if eq .CloudEvent.type "auth.example.com.logout"}}Delete{{else}}Create{{end}}';
    expect(renderAction("t", tpl, data, goRender)).toBe("Create");
    expect(renderAction("t", tpl, { ...data, CloudEvent: { ...ce, type: "auth.example.com.logout" } }, goRender)).toBe(
      "Delete",
    );
  });
  test("action - anything else is a terminal EVT_APPLIER_ACTION naming the trigger and field", () => {
    const err = (() => {
      try {
        renderAction("t9", "{{ if true }}Remove{{ end }}", data, goRender);
      } catch (e) {
        return e as ApplierError;
      }
    })();
    expect(err?.code).toBe("EVT_APPLIER_ACTION");
    expect(err?.terminal).toBe(true);
    expect(err?.message).toContain('EventTrigger t9: spec.cloudEventAction rendered to "Remove"');
  });
  test("action - the seed's single-quoted template explains the fix", () => {
    expect(() =>
      renderAction(
        "t",
        "{{ if eq .CloudEvent.type 'auth.example.com.logout' }}Delete{{ else }}Create{{ end }}",
        data,
        goRender,
      ),
    ).toThrow(/not a valid template.*not '\.\.\.'/);
  });
});

describe("destinations", () => {
  const clusters = new Map([
    [
      "default/a",
      { key: "default/a", namespace: "default", name: "a", kind: "SveltosCluster", labels: { env: "prod" } },
    ],
    [
      "default/b",
      { key: "default/b", namespace: "default", name: "b", kind: "SveltosCluster", labels: { env: "dev" } },
    ],
  ]) as Map<string, unknown>;
  const base = {
    sourceCluster: { namespace: "default", name: "b", kind: "SveltosCluster" as const },
    snapshot: snapshot({ clusters }),
    data,
    render: goRender,
    matches: matchesSelector,
  };
  test("destinations - source cluster by default, selector, or templated destinationCluster", () => {
    expect(destinationsOf({ ...base, trigger: trigger({}) })).toEqual(["default/b"]);
    expect(
      destinationsOf({ ...base, trigger: trigger({ destinationClusterSelector: { matchLabels: { env: "prod" } } }) }),
    ).toEqual(["default/a"]);
    expect(
      destinationsOf({
        ...base,
        trigger: trigger({ destinationCluster: { namespace: "default", name: "{{ if true }}a{{ end }}" } }),
      }),
    ).toEqual(["default/a"]);
  });
  test("destinations - an unknown templated destination is a terminal error", () => {
    expect(() =>
      destinationsOf({ ...base, trigger: trigger({ destinationCluster: { namespace: "x", name: "y" } }) }),
    ).toThrow(/not a registered cluster/);
  });
});

describe("policies", () => {
  const cm = (name: string, values: Record<string, string>, instantiate = true) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace: "default",
      ...(instantiate ? { annotations: { "projectsveltos.io/instantiate": "ok" } } : {}),
    },
    data: values,
  });
  test("policies - instantiated values are rendered, others verbatim, multi-document YAML", () => {
    const configMaps = new Map<string, unknown>([
      [
        "default/tpl",
        cm("tpl", {
          "ns.yaml":
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .CloudEvent.subject }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: {{ .CloudEvent.subject }}\n",
        }),
      ],
      [
        "default/raw",
        cm("raw", { "a.yaml": 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "{{ raw }}"\n' }, false),
      ],
    ]);
    const out = renderPolicies({
      trigger: trigger({
        policyRefs: [
          { kind: "ConfigMap", name: "tpl", namespace: "default" },
          { kind: "ConfigMap", name: "raw" },
        ],
      }),
      snapshot: snapshot({ configMaps }),
      clusterNamespace: "default",
      data,
      render: goRender,
    });
    expect(out.map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual([
      "Namespace/mgianluc",
      "ConfigMap/x",
      "Namespace/{{ raw }}",
    ]);
  });
  test("policies - Secret of type addons.projectsveltos.io/cluster-profile holds base64 resources", () => {
    const yaml = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: from-secret\n";
    const secrets = new Map<string, unknown>([
      [
        "default/s",
        {
          apiVersion: "v1",
          kind: "Secret",
          type: "addons.projectsveltos.io/cluster-profile",
          metadata: { name: "s", namespace: "default" },
          data: { r: Buffer.from(yaml).toString("base64") },
        },
      ],
      [
        "default/opaque",
        {
          apiVersion: "v1",
          kind: "Secret",
          type: "Opaque",
          metadata: { name: "opaque", namespace: "default" },
          data: {},
        },
      ],
    ]);
    const args = { snapshot: snapshot({ secrets }), clusterNamespace: "default", data, render: goRender };
    expect(
      renderPolicies({ ...args, trigger: trigger({ policyRefs: [{ kind: "Secret", name: "s" }] }) })[0]?.object.metadata
        .name,
    ).toBe("from-secret");
    expect(() =>
      renderPolicies({ ...args, trigger: trigger({ policyRefs: [{ kind: "Secret", name: "opaque" }] }) }),
    ).toThrow(/must have type addons.projectsveltos.io\/cluster-profile/);
  });
  test("policies - missing refs fail unless optional; empty namespace is the cluster's", () => {
    const args = { snapshot: snapshot(), clusterNamespace: "team-a", data, render: goRender };
    expect(() =>
      renderPolicies({ ...args, trigger: trigger({ policyRefs: [{ kind: "ConfigMap", name: "nope" }] }) }),
    ).toThrow(
      "EventTrigger t1: spec.policyRefs[0] references ConfigMap team-a/nope, which does not exist (set optional: true to allow that)",
    );
    expect(
      renderPolicies({
        ...args,
        trigger: trigger({ policyRefs: [{ kind: "ConfigMap", name: "nope", optional: true }] }),
      }),
    ).toEqual([]);
  });
  test("policies - tex-template annotation selects the text func map", () => {
    const seen: string[] = [];
    const spy: TemplateRender = (t, d, o) => {
      seen.push(o.funcs ?? "");
      return goRender(t, d, o);
    };
    const configMaps = new Map<string, unknown>([
      ["default/tpl", cm("tpl", { k: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n" })],
    ]);
    renderPolicies({
      trigger: trigger(
        { policyRefs: [{ kind: "ConfigMap", name: "tpl" }] },
        { "projectsveltos.io/tex-template": "ok" },
      ),
      snapshot: snapshot({ configMaps }),
      clusterNamespace: "default",
      data,
      render: spy,
    });
    expect(seen).toEqual(["text"]);
  });
  test("policies - the evtrigger.io/allowed-kinds allow-list stops YAML smuggled in through event data", () => {
    const configMaps = new Map<string, unknown>([
      [
        "default/tpl",
        cm("tpl", { k: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {{ .CloudEvent.subject }}\n" }),
      ],
    ]);
    const hostile = {
      ...data,
      CloudEvent: {
        ...ce,
        subject: "x\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: pwn",
      },
    };
    const args = { snapshot: snapshot({ configMaps }), clusterNamespace: "default", render: goRender };
    const refs = { policyRefs: [{ kind: "ConfigMap" as const, name: "tpl" }] };
    expect(() =>
      renderPolicies({
        ...args,
        data: hostile,
        trigger: trigger(refs, { "evtrigger.io/allowed-kinds": "Namespace, /ConfigMap" }),
      }),
    ).toThrow(
      /renders rbac.authorization.k8s.io\/ClusterRoleBinding pwn, which annotation evtrigger.io\/allowed-kinds \(Namespace, \/ConfigMap\) does not allow/,
    );
    expect(
      renderPolicies({ ...args, data, trigger: trigger(refs, { "evtrigger.io/allowed-kinds": "/Namespace" }) }),
    ).toHaveLength(1);
  });
  test("policies - a YAML error names the ConfigMap, key and line", () => {
    expect(() =>
      parseObjects(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [unclosed\n",
        "ConfigMap default/ns, key ns.yaml",
        "t1",
        "spec.policyRefs[0]",
      ),
    ).toThrow(/EventTrigger t1: ConfigMap default\/ns, key ns.yaml: invalid YAML at line \d+/);
    expect(() =>
      parseObjects("kind: Namespace\nmetadata:\n  name: x\n", "ConfigMap default/ns, key k", "t1", "f"),
    ).toThrow(/document 1 has no apiVersion/);
  });
});

describe("decision", () => {
  test("decision - ack on success, ack after a reported terminal error, nak honouring Retry-After", () => {
    expect(decide({ ok: true }, 1)).toEqual({ kind: "ack" });
    const terminal = new ApplierError("EVT_APPLIER_ACTION", "x", { terminal: true });
    expect(decide({ ok: false, error: terminal, reported: true }, 1)).toEqual({ kind: "ack" });
    expect(decide({ ok: false, error: terminal, reported: false }, 1).kind).toBe("nak");
    const busy = new ApplierError("EVT_APPLIER_K8S_TRANSIENT", "x", { terminal: false, retryAfterMs: 3000 });
    expect(decide({ ok: false, error: busy, reported: false }, 1)).toEqual({ kind: "nak", delayMs: 3000 });
    expect(decide({ ok: false, error: new Error("boom"), reported: false }, 3)).toEqual({ kind: "nak", delayMs: 1000 });
  });
  test("decision - a missing trigger or ConfigMap is retried while the store may be catching up, then terminal", () => {
    const now = Date.parse("2026-11-25T12:00:00.000Z");
    const at = (ms: number) => new Date(ms).toISOString();
    expect(configSyncGraceLeftMs(at(now - 2000), now)).toBe(CONFIG_SYNC_GRACE_MS - 2000);
    expect(configSyncGraceLeftMs(at(now - CONFIG_SYNC_GRACE_MS - 1), now)).toBe(0);
    expect(configSyncGraceLeftMs(at(now + 60_000), now)).toBe(CONFIG_SYNC_GRACE_MS); // a matcher clock ahead
    expect(configSyncGraceLeftMs(undefined, now)).toBe(0);
    expect(configSyncGraceLeftMs("yesterday", now)).toBe(0);

    const object = { kind: "EventTrigger", name: "t" };
    const missing = (what: string, matchedAt: number, when = now) =>
      configObjectMissing("EVT_APPLIER_POLICY_NOT_FOUND", `references ${what}`, {
        missing: what,
        matchedAt: at(matchedAt),
        object,
        field: "spec.policyRefs[0]",
        now: when,
      });
    const young = missing("ConfigMap default/unit-a", now - 2000);
    expect(young).toMatchObject({ code: "EVT_APPLIER_POLICY_NOT_FOUND", terminal: false, graceLeftMs: 8000 });
    expect(decide({ ok: false, error: young, reported: false }, 1)).toEqual({ kind: "nak", delayMs: 250 });
    expect(decide({ ok: false, error: young, reported: false }, 6)).toEqual({ kind: "nak", delayMs: 1000 });
    // The last try comes right after the grace ends.
    const ending = missing("ConfigMap default/unit-a", now - CONFIG_SYNC_GRACE_MS + 300);
    expect(decide({ ok: false, error: ending, reported: false }, 6)).toEqual({ kind: "nak", delayMs: 350 });
    const over = missing("ConfigMap default/unit-a", now - CONFIG_SYNC_GRACE_MS - 50);
    expect(over).toMatchObject({ terminal: true, graceLeftMs: undefined });
    expect(decide({ ok: false, error: over, reported: true }, 7)).toEqual({ kind: "ack" });
    // Found missing through a whole grace: the next matches for it are not held (a typo under an event storm
    // must not occupy the consumer's ack-pending slots), others still are, and it is forgotten after a while.
    expect(missing("ConfigMap default/unit-a", now, now + 1).terminal).toBe(true);
    expect(missing("ConfigMap default/unit-b", now, now + 1).terminal).toBe(false);
    const later = now + CONFIRMED_MISSING_MS + 1;
    expect(missing("ConfigMap default/unit-a", later, later).terminal).toBe(false);
    // A replayed letter (an old match) is terminal at once and proves nothing about the store.
    expect(missing("ConfigMap default/unit-c", now - 3_600_000).terminal).toBe(true);
    expect(missing("ConfigMap default/unit-c", now).terminal).toBe(false);

    const renderWith = (matchedAt?: string) => () =>
      renderPolicies({
        snapshot: snapshot(),
        clusterNamespace: "team-a",
        data,
        render: goRender,
        trigger: trigger({ policyRefs: [{ kind: "ConfigMap", name: "unit-d" }] }),
        matchedAt,
      });
    expect(renderWith(new Date().toISOString())).toThrow(expect.objectContaining({ terminal: false }));
    expect(renderWith()).toThrow(expect.objectContaining({ terminal: true }));
    // A templated ref is confirmed missing per ref, whatever name an event makes it render.
    const templated = (subject: string, matchedAt: number) => () =>
      renderPolicies({
        snapshot: snapshot(),
        clusterNamespace: "team-a",
        data: { ...data, CloudEvent: { ...ce, subject } },
        render: goRender,
        trigger: trigger({ policyRefs: [{ kind: "ConfigMap", name: "per-user-{{ .CloudEvent.subject }}" }] }),
        matchedAt: at(matchedAt),
      });
    const nowReal = Date.now();
    expect(templated("u1", nowReal)).toThrow(expect.objectContaining({ terminal: false }));
    expect(templated("u1", nowReal - CONFIG_SYNC_GRACE_MS - 50)).toThrow(expect.objectContaining({ terminal: true }));
    expect(templated("u2", nowReal)).toThrow(expect.objectContaining({ terminal: true }));
    // A ConfigMap the store has but rejected is known: no grace, and the letter says why.
    const invalid = new Map([
      ["ConfigMap/team-a/unit-d", [{ kind: "ConfigMap", name: "unit-d", path: "data", reason: "bad" }]],
    ]);
    expect(() =>
      renderPolicies({
        snapshot: { ...snapshot(), invalid },
        clusterNamespace: "team-a",
        data,
        render: goRender,
        trigger: trigger({ policyRefs: [{ kind: "ConfigMap", name: "unit-d" }] }),
        matchedAt: new Date().toISOString(),
      }),
    ).toThrow(
      expect.objectContaining({
        code: "EVT_APPLIER_POLICY_INVALID",
        terminal: true,
        message: "EventTrigger t1: spec.policyRefs[0] references ConfigMap team-a/unit-d, which is invalid: data: bad",
      }),
    );
  });
  test("decision - Retry-After in seconds or as an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
  test("decision - match records missing fields are rejected with the field name", () => {
    expect(() => parseMatch(new TextEncoder().encode("{"))).toThrow(/not JSON/);
    expect(() =>
      parseMatch(
        new TextEncoder().encode(
          JSON.stringify({ eventSeq: 1, eventTrigger: "t", cluster: { namespace: "a", name: "b" } }),
        ),
      ),
    ).toThrow(/field event/);
  });
});

describe("work queue", () => {
  test("queue - a key queued twice while waiting runs once; re-added while running runs again after", async () => {
    const { workQueue } = await import("../src/sync/queue.js");
    const runs: string[] = [];
    let release: (() => void) | undefined;
    const q = workQueue(
      async (k) => {
        runs.push(k);
        if (k === "a" && runs.length === 1) await new Promise<void>((r) => (release = r));
      },
      { concurrency: 1 },
    );
    q.add("a");
    q.add("b");
    q.add("b");
    q.add("a"); // "a" is running: runs once more after it finishes
    await new Promise((r) => setImmediate(r));
    release?.();
    await q.idle();
    expect(runs.sort()).toEqual(["a", "a", "b"]);
    await q.close();
  });
  test("queue - a failing key is retried with backoff until it succeeds", async () => {
    const { workQueue } = await import("../src/sync/queue.js");
    let attempts = 0;
    const errors: unknown[] = [];
    const q = workQueue(
      async () => {
        attempts++;
        if (attempts < 3) throw new Error("transient");
      },
      { onError: (_k, e) => errors.push(e) },
    );
    q.add("k");
    await q.idle();
    expect(attempts).toBe(3);
    expect(errors).toHaveLength(2);
    await q.close();
  });
});
