import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  checkObject,
  findSingleQuotedString,
  formatProblem,
  loadYamlDocuments,
  natsPayloadFromSecret,
  parseNatsConfig,
  type ValidationProblem,
  validateObject,
} from "@evtrigger/config";

const here = dirname(fileURLToPath(import.meta.url));
const seedDir = join(here, "fixtures/seed");

function validateFile(name: string): { objects: unknown[]; problems: ValidationProblem[] } {
  const text = readFileSync(join(seedDir, name), "utf8");
  const { objects, problems } = loadYamlDocuments(text, name);
  const all = [...problems];
  for (const o of objects) all.push(...validateObject(o.object, { file: name, doc: o.doc }));
  return { objects: objects.map((o) => o.object), problems: all };
}

const trigger = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: "lib.projectsveltos.io/v1beta1",
  kind: "EventTrigger",
  metadata: { name: "t" },
  spec: { sourceClusterSelector: { matchLabels: { env: "fv" } }, eventSourceName: "es", ...spec },
  ...extra,
});

const source = (criteria: Record<string, unknown>[]) => ({
  apiVersion: "lib.projectsveltos.io/v1beta1",
  kind: "EventSource",
  metadata: { name: "es" },
  spec: { messagingMatchCriteria: criteria },
});

describe("validate - seed", () => {
  test.each([
    "01-user-login-eventsource.yaml",
    "02-create-namespace.yaml",
    "03-user-operation-eventsource.yaml",
    "05-end-to-end.yaml",
    "07-deploy-sveltos-nats-secret.yaml",
  ])("validate - seed file %s has no problems", (file) => {
    const { objects, problems } = validateFile(file);
    expect(objects.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  test("validate - seed's single-quoted cloudEventAction fails with a quoting hint", () => {
    const { problems } = validateFile("04-manage-namespace-single-quotes.yaml");
    expect(problems.map((p) => [p.doc, p.path])).toEqual([
      [1, "spec.sourceClusterSelector"],
      [1, "spec.cloudEventAction"],
    ]);
    const hint = problems[1]!;
    expect(hint).toMatchObject({
      kind: "EventTrigger",
      name: "manage-namespace",
      file: "04-manage-namespace-single-quotes.yaml",
    });
    expect(hint.reason).toMatch(/'auth\.example\.com\.logout'/);
    expect(hint.reason).toMatch(/double quotes "auth\.example\.com\.logout" or backticks `auth\.example\.com\.logout`/);
  });

  test("validate - semantic checks survive shapes the schema rejected", () => {
    const bad = trigger({ policyRefs: "namespace", cloudEventAction: 7 });
    expect(
      validateObject(bad)
        .map((p) => p.path)
        .sort(),
    ).toEqual(["spec.cloudEventAction", "spec.policyRefs"]);
    expect(validateObject(source("nope" as unknown as Record<string, unknown>[])).map((p) => p.path)).toEqual([
      "spec.messagingMatchCriteria",
    ]);
  });

  test("validate - defaults of the CRD are filled in", () => {
    const { problems, normalized } = checkObject(trigger({}));
    expect(problems).toEqual([]);
    expect(normalized.spec).toMatchObject({
      syncMode: "Continuous",
      stopMatchingBehavior: "WithdrawPolicies",
      cloudEventAction: "Create",
      tier: 100,
      oneForEvent: false,
      continueOnConflict: false,
      reloader: false,
    });
  });

  test("validate - the seed's sveltos-nats payload parses, also from the wrapped Secret", () => {
    const direct = parseNatsConfig(readFileSync(join(seedDir, "06-nats-secret.json"), "utf8"));
    expect(direct.problems).toEqual([]);
    expect(direct.config?.nats?.configuration.subjects).toEqual(["user-operation"]);
    const outer = validateFile("07-deploy-sveltos-nats-secret.yaml").objects[0] as { data: Record<string, string> };
    const inner = loadYamlDocuments(Buffer.from(outer.data["sveltos-nats"]!, "base64").toString(), "inner");
    const r = parseNatsConfig(natsPayloadFromSecret(inner.objects[0]!.object as { data: Record<string, string> }));
    expect(r.problems).toEqual([]);
    expect(r.config?.nats?.configuration.authorization?.user).toEqual({ user: "admin", password: "my-password" });
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("validate - broken corpus", () => {
  const cases: [string, unknown, string, RegExp][] = [
    [
      "bad regex",
      source([{ subject: "ok" }, { cloudEventSource: "auth(" }]),
      "spec.messagingMatchCriteria[1].cloudEventSource",
      /RE2.*missing closing \)/,
    ],
    [
      "lookahead is not RE2",
      source([{ cloudEventType: "(?=x)" }]),
      "spec.messagingMatchCriteria[0].cloudEventType",
      /invalid RE2/,
    ],
    [
      "unknown criteria field",
      source([{ cloudEventSorce: "x" }]),
      "spec.messagingMatchCriteria[0].cloudEventSorce",
      /unknown field/,
    ],
    ["unknown spec field", trigger({ syncmode: "Continuous" }), "spec.syncmode", /unknown field/],
    ["unknown top-level field", trigger({}, { extra: 1 }), "extra", /unknown field/],
    ["wrong type", trigger({ oneForEvent: "yes" }), "spec.oneForEvent", /must be boolean \(got string "yes"\)/],
    [
      "wrong type nested",
      trigger({ policyRefs: [{ kind: "ConfigMap", name: 5 }] }),
      "spec.policyRefs[0].name",
      /must be string/,
    ],
    [
      "unknown syncMode",
      trigger({ syncMode: "Sometimes" }),
      "spec.syncMode",
      /must be one of "OneTime", "Continuous", "ContinuousWithDriftDetection", "DryRun"/,
    ],
    [
      "unknown stopMatchingBehavior",
      trigger({ stopMatchingBehavior: "Keep" }),
      "spec.stopMatchingBehavior",
      /must be one of/,
    ],
    ["tier below minimum", trigger({ tier: 0 }), "spec.tier", /must be >= 1/],
    [
      "missing eventSourceName",
      { ...trigger({}), spec: { sourceClusterSelector: {} } },
      "spec.eventSourceName",
      /required/,
    ],
    ["maxUpdate int-or-string", trigger({ maxUpdate: true }), "spec.maxUpdate", /integer or a string/],
    [
      "template parse error",
      trigger({ cloudEventAction: "{{ if eq .CloudEvent.type 'a.b' }}Delete{{ end }}" }),
      "spec.cloudEventAction",
      /double quotes/,
    ],
    [
      "template missing end",
      trigger({ cloudEventAction: '{{ if eq .CloudEvent.type "x" }}Delete' }),
      "spec.cloudEventAction",
      /does not parse as a Go template/,
    ],
    [
      "unknown template function",
      trigger({ cloudEventAction: "{{ nosuchfunc .CloudEvent.type }}" }),
      "spec.cloudEventAction",
      /function "nosuchfunc" not defined/,
    ],
    [
      "templated policyRef name",
      trigger({ policyRefs: [{ kind: "ConfigMap", name: "{{ .Cluster.metadata.name " }] }),
      "spec.policyRefs[0].name",
      /does not parse as a Go template/,
    ],
    [
      "action not Create/Delete",
      trigger({ cloudEventAction: "Remove" }),
      "spec.cloudEventAction",
      /"Create", "Delete" or a template/,
    ],
    [
      "selector In without values",
      trigger({ sourceClusterSelector: { matchExpressions: [{ key: "env", operator: "In" }] } }),
      "spec.sourceClusterSelector.matchExpressions[0].values",
      /at least one value/,
    ],
    [
      "bad selector operator",
      trigger({ sourceClusterSelector: { matchExpressions: [{ key: "env", operator: "Equals" }] } }),
      "spec.sourceClusterSelector.matchExpressions[0].operator",
      /must be one of/,
    ],
    [
      "missing name",
      { apiVersion: "lib.projectsveltos.io/v1beta1", kind: "EventSource", metadata: {}, spec: {} },
      "metadata.name",
      /required/,
    ],
    [
      "unserved kind of our group",
      { apiVersion: "lib.projectsveltos.io/v1beta1", kind: "EventReport", metadata: { name: "x" } },
      "kind",
      /not served/,
    ],
    [
      "instantiated ConfigMap with a single-quoted string",
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "c", namespace: "default", annotations: { "projectsveltos.io/instantiate": "ok" } },
        data: { "ns.yaml": "name: {{ index .CloudEvent.data 'org' }}" },
      },
      'data["ns.yaml"]',
      /double quotes "org"/,
    ],
  ];
  test.each(cases)("validate - %s is reported at its field", (_what, obj, path, reason) => {
    const problems = validateObject(obj);
    const hit = problems.find((p) => p.path === path);
    expect({ path: hit?.path, problems }).toMatchObject({ path });
    expect(hit!.reason).toMatch(reason);
  });

  test("validate - objects of other API groups are not ours to check", () => {
    expect(
      validateObject({
        apiVersion: "config.projectsveltos.io/v1beta1",
        kind: "ClusterProfile",
        metadata: { name: "x" },
        spec: { any: 1 },
      }),
    ).toEqual([]);
  });

  test("validate - a non-instantiated ConfigMap may contain anything", () => {
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "{{ 'oops' }}" } };
    expect(validateObject(cm)).toEqual([]);
  });
});

describe("validate - formatting and YAML", () => {
  test("validate - formatProblem gives file:doc#N kind/name: field: reason", () => {
    const p: ValidationProblem = { kind: "EventTrigger", name: "t", path: "spec.syncMode", reason: "bad" };
    expect(formatProblem(p, "a.yaml", 2)).toBe("a.yaml:doc#2 EventTrigger/t: spec.syncMode: bad");
    expect(formatProblem({ ...p, file: "b.yaml", doc: 1 })).toBe("b.yaml:doc#1 EventTrigger/t: spec.syncMode: bad");
    expect(formatProblem({ ...p, path: "" })).toBe("EventTrigger/t: bad");
  });

  test("validate - a kind: List document stands for its items", () => {
    const text =
      "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n";
    const r = loadYamlDocuments(text, "list.yaml");
    expect(r.objects.map((o) => [o.doc, (o.object as { metadata: { name: string } }).metadata.name])).toEqual([
      [1, "a"],
      [1, "b"],
    ]);
  });

  test("validate - a YAML syntax error becomes a problem with its line", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\n---\nmetadata:\n  name: [unclosed\n";
    const r = loadYamlDocuments(text, "f.yaml");
    expect(r.objects).toHaveLength(1);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: "YAML", file: "f.yaml", doc: 2 });
    expect(r.problems[0]!.line).toBeGreaterThanOrEqual(5);
  });

  test("validate - findSingleQuotedString ignores rune constants, strings and text outside actions", () => {
    expect(findSingleQuotedString("it's {{ .A }}")).toBeUndefined();
    expect(findSingleQuotedString("{{ eq .A 'x' }}")).toBeUndefined();
    expect(findSingleQuotedString('{{ eq .A "it\'s" }}')).toBeUndefined();
    expect(findSingleQuotedString("{{ eq .A `it's` }}")).toBeUndefined();
    expect(findSingleQuotedString("{{/* it's */}}")).toBeUndefined();
    expect(findSingleQuotedString("{{ eq .A 'xy' }}")).toBe("'xy'");
  });

  test("validate - every file in fixtures/seed is covered", () => {
    expect(readdirSync(seedDir).sort()).toHaveLength(7);
  });
});
