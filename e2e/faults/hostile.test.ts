// Hostile input that gets past the gateway's syntax checks: YAML smuggled through CloudEvent attributes and data,
// catastrophic-backtracking regular expressions, and templates that loop, recurse or explode. Each is stopped with
// a clear error (gateway or applier dead letter naming the trigger) while the other triggers keep working.
import { waitFor } from "@evtrigger/testkit";
import {
  consumerState,
  deadLetters,
  type FaultStack,
  gatewaysSubscribed,
  namespaces,
  pipelineIdle,
  seedConfig,
  startFaultStack,
} from "./kit.js";
import { recordRow } from "./table.js";

const CRB = [
  "apiVersion: rbac.authorization.k8s.io/v1",
  "kind: ClusterRoleBinding",
  "metadata:",
  "  name: pwned",
  "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}",
  "subjects: [{kind: User, name: attacker, apiGroup: rbac.authorization.k8s.io}]",
].join("\n");
const PAYLOAD = `x\n---\n${CRB}\n`;

function source(name: string, ceSource: string, extra = ""): string {
  return `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventSource
metadata:
  name: ${name}
spec:
  messagingMatchCriteria:
  - subject: user-operation
    cloudEventSource: "${ceSource}"${extra}
`;
}

function trigger(name: string, eventSource: string, template: string, annotations: Record<string, string> = {}) {
  const ann = Object.entries(annotations)
    .map(([k, v]) => `\n    ${k}: "${v}"`)
    .join("");
  const body = template
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: ${name}${ann ? `\n  annotations:${ann}` : ""}
spec:
  sourceClusterSelector:
    matchLabels:
      env: production
  eventSourceName: ${eventSource}
  oneForEvent: true
  policyRefs:
  - name: ${name}
    namespace: default
    kind: ConfigMap
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: default
  annotations:
    projectsveltos.io/instantiate: ok
data:
  policy.yaml: |
${body}
`;
}

const configMap = (name: string, data: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n${data}`;

describe("faults - hostile input", () => {
  let s: FaultStack;
  let managed: string;
  const publish = async (ce: Record<string, unknown>) => {
    s.bus.nc.publish("user-operation", JSON.stringify({ specversion: "1.0", ...ce }));
    await s.bus.nc.flush();
  };
  beforeAll(async () => {
    s = await startFaultStack();
    managed = s.dev.env.clusters[0]!.kubeconfig;
    const docs = [
      seedConfig(),
      source("inject", "inject.example.com"),
      // The author quotes what comes from the event: whatever it holds stays one string value.
      trigger(
        "inject-quoted",
        "inject",
        configMap(
          "quoted-{{ .CloudEvent.id }}",
          "  subject: {{ .CloudEvent.subject | quote }}\n  message: {{ .CloudEvent.data.message | toJson }}\n",
        ),
      ),
      // Unquoted (unsafe) template, guarded by the allow-list annotation.
      trigger(
        "inject-unquoted",
        "inject",
        configMap("unquoted-{{ .CloudEvent.id }}", "  message: {{ .CloudEvent.data.message }}\n"),
        { "evtrigger.io/allowed-kinds": "ConfigMap" },
      ),
      source("hostile", "hostile.example.com"),
      trigger(
        "hostile-ok",
        "hostile",
        "kind: Namespace\napiVersion: v1\nmetadata:\n  name: hostile-{{ .CloudEvent.subject }}",
      ),
      trigger("hostile-loop", "hostile", "{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}"),
      trigger("hostile-recurse", "hostile", '{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}'),
      trigger("hostile-output", "hostile", '{{ range until 100000 }}{{ repeat 1000 "x" }}{{ end }}'),
      source("regex", "regex.example.com", '\n    cloudEventSubject: "^(a+)+$"'),
      trigger(
        "regex-ok",
        "regex",
        "kind: Namespace\napiVersion: v1\nmetadata:\n  name: regex-{{ .CloudEvent.subject }}",
      ),
    ];
    // Every service has the triggers, and the gateway's core NATS subscription is confirmed (at-most-once: an
    // event published before that would be lost, not late).
    await s.applyConfig(docs.join("\n---\n"));
    await gatewaysSubscribed(s);
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  test("faults - YAML injection through subject, extensions or data creates nothing beyond the template's objects", async () => {
    const started = Date.now();
    const letters0 = (await deadLetters(s.bus)).length;
    const ce = { type: "inject.login", source: "inject.example.com" };
    // Refused at the gateway: control characters in attributes (subject, an extension).
    await publish({ ...ce, id: "inj1", subject: PAYLOAD });
    await publish({ ...ce, id: "inj2", subject: "ok", myext: PAYLOAD });
    // Accepted: YAML in data and a YAML-looking subject without control characters.
    await publish({ ...ce, id: "inj3", subject: "a: {kind: ClusterRoleBinding}", data: { message: PAYLOAD } });
    await publish({ ...ce, id: "inj4", subject: "benign", data: { message: "hello" } });
    const cms = async () =>
      new Set(
        (await s.kubectl(managed, "get", "configmaps", "-n", "default", "-o", "jsonpath={.items[*].metadata.name}"))
          .split(/\s+/)
          .filter((n) => /^(quoted|unquoted)-/.test(n)),
      );
    const intended = new Set(["quoted-inj3", "quoted-inj4", "unquoted-inj4"]);
    await waitFor(async () => (await cms()).size >= intended.size && (await pipelineIdle(s.bus)), {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: "the intended ConfigMaps",
    });
    const letters = (await deadLetters(s.bus)).slice(letters0);
    const controlLetters = letters.filter((l) => l.code === "EVT_GATEWAY_CONTROL_CHARACTER");
    const kindLetters = letters.filter(
      (l) => l.code === "EVT_APPLIER_KIND_NOT_ALLOWED" && l.object?.name === "inject-unquoted",
    );
    const crbs = (await s.kubectl(managed, "get", "clusterrolebindings", "-o", "name")).split("\n").filter(Boolean);
    const actual = await cms();
    const quoted = await s.kubectl(managed, "get", "configmap", "quoted-inj3", "-n", "default", "-o", "json");
    const quotedData = JSON.parse(quoted).data as Record<string, string>;
    const extra = [...actual].filter((n) => !intended.has(n)).length + crbs.filter((c) => /pwned/.test(c)).length;
    recordRow({
      scenario: "injection: YAML in CE subject / extension / data",
      eventsSent: 4,
      expected: intended.size,
      actual: actual.size,
      lost: [...intended].filter((n) => !actual.has(n)).length,
      duplicated: extra,
      notes:
        `gateway control-character letters ${controlLetters.length}/2 (${controlLetters.map((l) => l.field).join(",")}); ` +
        `allow-list letters ${kindLetters.length}/1; ClusterRoleBinding pwned ${crbs.some((c) => /pwned/.test(c)) ? "CREATED" : "absent"}; ` +
        `${Math.round((Date.now() - started) / 1000)} s`,
      ok: extra === 0 && controlLetters.length === 2 && kindLetters.length === 1,
    });
    expect(crbs.filter((c) => /pwned/.test(c))).toEqual([]);
    expect([...actual].sort()).toEqual([...intended].sort());
    // The quoted template kept the payload as one string value.
    expect(quotedData.message).toBe(PAYLOAD);
    expect(quotedData.subject).toBe("a: {kind: ClusterRoleBinding}");
    expect(controlLetters.map((l) => l.field).sort()).toEqual(["myext", "subject"]);
    expect(kindLetters).toHaveLength(1);
    expect(kindLetters[0]!.reason).toMatch(/ClusterRoleBinding pwned.*evtrigger\.io\/allowed-kinds/);
  }, 240_000);

  test("faults - hostile regex and templates are stopped by budgets with a clear error; other triggers keep working", async () => {
    const started = Date.now();
    const letters0 = (await deadLetters(s.bus)).length;
    const ce = { type: "hostile.login", source: "hostile.example.com" };
    // A subject that makes a backtracking engine take exponential time on ^(a+)+$; RE2 answers "no match" linearly.
    const evil = `${"a".repeat(30_000)}!`;
    await publish({ type: "regex.login", source: "regex.example.com", id: "rx1", subject: evil });
    await publish({ type: "regex.login", source: "regex.example.com", id: "rx2", subject: "aaaa" });
    await publish({ ...ce, id: "h1", subject: "h1" });
    await publish({ ...ce, id: "h2", subject: "h2" });
    const expected = new Set(["hostile-h1", "hostile-h2", "regex-aaaa"]);
    const ours = async () =>
      new Set([...(await namespaces(s, managed, "hostile-")), ...(await namespaces(s, managed, "regex-"))]);
    const hostile = ["hostile-loop", "hostile-recurse", "hostile-output"];
    const lettersFor = async () =>
      (await deadLetters(s.bus)).slice(letters0).filter((l) => hostile.includes(l.object?.name ?? ""));
    const done = await waitFor(
      async () => (await ours()).size === expected.size && (await lettersFor()).length >= 2 * hostile.length,
      // Generous for a loaded machine: each hostile render may use its whole 5 s budget, twice.
      { timeoutMs: 180_000, intervalMs: 500, what: "good triggers applied and hostile ones dead-lettered" },
    ).catch(() => false);
    const actual = await ours();
    const letters = await lettersFor();
    const byTrigger = Object.fromEntries(hostile.map((t) => [t, letters.filter((l) => l.object?.name === t)]));
    const matcher = await consumerState(s.bus, "EVT_EVENTS", "evt-matcher");
    const condition = await s.kubectl(
      s.dev.env.managementKubeconfig,
      "get",
      "eventtrigger",
      "hostile-output",
      "-o",
      "jsonpath={.status.conditions[*].message}",
    );
    recordRow({
      scenario: "hostile regex ^(a+)+$ on 30,001 chars + loop/recursion/100 MB templates",
      eventsSent: 4,
      expected: expected.size,
      actual: actual.size,
      lost: [...expected].filter((n) => !actual.has(n)).length,
      duplicated: [...actual].filter((n) => !expected.has(n)).length,
      notes:
        `applier letters ${hostile.map((t) => `${t.replace("hostile-", "")}:${byTrigger[t]!.length}`).join(" ")} ` +
        `(${[...new Set(letters.map((l) => l.code))].join(",")}); condition on hostile-output ${condition ? "set" : "absent"}; ` +
        `${Math.round((Date.now() - started) / 1000)} s`,
      ok: Boolean(done),
    });
    expect([...actual].sort()).toEqual([...expected].sort());
    expect(matcher.ackPending + matcher.pending).toBe(0);
    expect(byTrigger["hostile-loop"]![0]?.reason).toMatch(/time budget|timed out|exceed/i);
    expect(byTrigger["hostile-recurse"]![0]?.reason).toMatch(/depth/i);
    expect(byTrigger["hostile-output"]![0]?.reason).toMatch(/output exceeds/i);
    for (const t of hostile) expect(byTrigger[t]).toHaveLength(2);
    expect(condition).toMatch(/output exceeds/);
  }, 300_000);
});
