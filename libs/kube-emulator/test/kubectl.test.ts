// Acceptance: the real kubectl (v1.32) against the emulator, with default client-side validation.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@evtrigger/testkit";
import { type KubeEmulator, startKubeEmulator } from "../src/mod.js";
import { api, type Kubectl, kubectlFor } from "./helpers.js";

let emu: KubeEmulator;
let kubectl: Kubectl;
const dir = mkdtempSync(join(tmpdir(), "evt-kubectl-test-"));

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function ok(args: string[], stdin?: string): Promise<string> {
  const r = await kubectl(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  emu = await startKubeEmulator({ clusterName: "kubectl-test" });
  kubectl = kubectlFor(emu);
});
afterAll(() => emu.stop());

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, default: 3}
              color: {type: string, enum: [red, blue]}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

describe("kubectl", () => {
  test("kubectl - apply creates then updates a ConfigMap and a Namespace (client-side, default validation)", async () => {
    const ns = (label: string) =>
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apply-ns\n  labels: {tier: "${label}"}\n`;
    const cm = (v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apply-ns\ndata:\n  level: "${v}"\n`;
    expect(await ok(["apply", "-f", file("ns1.yaml", ns("a"))])).toContain("namespace/apply-ns created");
    expect(await ok(["apply", "-f", file("cm1.yaml", cm("1"))])).toContain("configmap/settings created");
    expect(await ok(["apply", "-f", file("ns2.yaml", ns("b"))])).toContain("namespace/apply-ns configured");
    expect(await ok(["apply", "-f", file("cm2.yaml", cm("2"))])).toContain("configmap/settings configured");
    expect(await ok(["apply", "-f", file("cm2.yaml", cm("2"))])).toContain("configmap/settings unchanged");
    expect(await ok(["get", "cm", "settings", "-n", "apply-ns", "-o", "jsonpath={.data.level}"])).toBe("2");
    expect(await ok(["get", "ns", "apply-ns", "-o", "jsonpath={.metadata.labels.tier}"])).toBe("b");
  });

  test("kubectl - apply with an unknown field is refused by server-side strict validation", async () => {
    const r = await kubectl(
      ["apply", "-f", "-"],
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndatta: {a: b}\n",
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown field "datta"');
  });

  test("kubectl - server-side apply by two managers conflicts, --force-conflicts wins", async () => {
    const cm = (v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shared, namespace: default}\ndata: {owner: "${v}"}\n`;
    await ok(["apply", "--server-side", "--field-manager=alice", "-f", file("ssa1.yaml", cm("alice"))]);
    const conflict = await kubectl([
      "apply",
      "--server-side",
      "--field-manager=bob",
      "-f",
      file("ssa2.yaml", cm("bob")),
    ]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('conflict with "alice"');
    expect(conflict.stderr).toContain(".data.owner");
    await ok([
      "apply",
      "--server-side",
      "--field-manager=bob",
      "--force-conflicts",
      "-f",
      file("ssa2.yaml", cm("bob")),
    ]);
    expect(await ok(["get", "cm", "shared", "-o", "jsonpath={.data.owner}"])).toBe("bob");
    const managers = await ok([
      "get",
      "cm",
      "shared",
      "--show-managed-fields",
      "-o",
      "jsonpath={.metadata.managedFields[*].manager}",
    ]);
    expect(managers.split(" ")).toEqual(["bob"]);
  });

  test("kubectl - create secret generic --from-file then get -o jsonpath", async () => {
    await ok(["create", "ns", "projectsveltos"]);
    const cfg = file("nats.cfg", "nats://user:pass@127.0.0.1:4222");
    expect(
      await ok(["create", "secret", "generic", "-n", "projectsveltos", "sveltos-nats", `--from-file=nats.cfg=${cfg}`]),
    ).toContain("secret/sveltos-nats created");
    const b64 = await ok([
      "get",
      "secret",
      "-n",
      "projectsveltos",
      "sveltos-nats",
      "-o",
      "jsonpath={.data.nats\\.cfg}",
    ]);
    expect(Buffer.from(b64, "base64").toString()).toBe("nats://user:pass@127.0.0.1:4222");
    expect(await ok(["get", "secret", "-n", "projectsveltos", "sveltos-nats", "-o", "jsonpath={.type}"])).toBe(
      "Opaque",
    );
  });

  test("kubectl - get ns -w shows ADDED and DELETED while another client creates and deletes", async () => {
    const w = kubectl.spawn(["get", "ns", "-w", "--output-watch-events"]);
    try {
      await waitFor(() => /ADDED\s+default\s/.test(w.output()), { what: "initial ADDED default" });
      const created = await api(emu, "POST", "/api/v1/namespaces", { metadata: { name: "watched" } });
      expect(created.status).toBe(201);
      await waitFor(() => /ADDED\s+watched\s/.test(w.output()), { what: "ADDED watched" });
      expect((await api(emu, "DELETE", "/api/v1/namespaces/watched")).status).toBe(200);
      await waitFor(() => /DELETED\s+watched\s/.test(w.output()), { what: `DELETED watched in ${w.output()}` });
    } finally {
      w.stop();
    }
  });

  test("kubectl - a CRD's kind works with get <plural>, get <kind> -o yaml, strict validation and defaults", async () => {
    expect(await ok(["apply", "-f", file("crd.yaml", CRD)])).toContain(
      "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created",
    );
    await ok(["wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=10s"]);
    await ok(
      ["apply", "-f", "-"],
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {color: red, extra: {any: [1]}}\n",
    );
    const table = await ok(["get", "widgets"]);
    expect(table).toMatch(/NAME\s+SIZE\s+AGE/);
    expect(table).toMatch(/w1\s+3\s/);
    const yaml = await ok(["get", "widget", "w1", "-o", "yaml"]);
    expect(yaml).toContain("kind: Widget");
    expect(yaml).toContain("size: 3");
    expect(yaml).toContain("any:");
    const bad = await kubectl(
      ["apply", "-f", "-"],
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2}\nspec: {bogus: 1}\n",
    );
    expect(bad.stderr).toContain('unknown field "spec.bogus"');
    const invalid = await kubectl(
      ["apply", "-f", "-"],
      "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w3}\nspec: {color: green}\n",
    );
    expect(invalid.stderr).toContain("spec.color");
    expect(invalid.stderr).toContain("Unsupported value");
    expect(await ok(["get", "wd", "-o", "name"])).toBe("widget.example.com/w1\n");
  });

  test("kubectl - delete ns --wait returns once the namespace and its contents are gone", async () => {
    await ok(["create", "ns", "doomed"]);
    await ok(["create", "configmap", "-n", "doomed", "c1", "--from-literal=a=b"]);
    expect(await ok(["delete", "ns", "doomed", "--wait", "--timeout=20s"])).toContain('namespace "doomed" deleted');
    const r = await kubectl(["get", "ns", "doomed"]);
    expect(r.stderr).toContain('namespaces "doomed" not found');
    expect((await api(emu, "GET", "/api/v1/namespaces/doomed/configmaps/c1")).status).toBe(404);
  });

  test("kubectl - label and patch --type merge change the object", async () => {
    await ok(["create", "configmap", "patched", "--from-literal=a=1"]);
    expect(await ok(["label", "cm", "patched", "team=blue"])).toContain("configmap/patched labeled");
    expect(await ok(["patch", "cm", "patched", "--type", "merge", "-p", '{"data":{"b":"2"}}'])).toContain(
      "configmap/patched patched",
    );
    expect(await ok(["get", "cm", "-l", "team=blue", "-o", "jsonpath={.items[*].metadata.name}"])).toBe("patched");
    expect(await ok(["get", "cm", "patched", "-o", "jsonpath={.data}"])).toBe('{"a":"1","b":"2"}');
    await ok(["patch", "cm", "patched", "--type", "json", "-p", '[{"op":"remove","path":"/data/a"}]']);
    expect(await ok(["get", "cm", "patched", "-o", "jsonpath={.data}"])).toBe('{"b":"2"}');
  });

  test("kubectl - apply of a Deployment merges containers by name (strategic merge patch)", async () => {
    const dep = (image: string, extraEnv: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: ${image}
        env: [{name: A, value: "1"}${extraEnv}]
      - name: sidecar
        image: busybox
`;
    await ok(["apply", "-f", file("dep1.yaml", dep("nginx:1", ""))]);
    await ok(["apply", "-f", file("dep2.yaml", dep("nginx:2", ', {name: B, value: "2"}'))]);
    const images = await ok(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[*].image}"]);
    expect(images).toBe("nginx:2 busybox");
    expect(await ok(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0].env[*].name}"])).toBe(
      "A B",
    );
    expect(await ok(["get", "deploy", "web", "-o", "jsonpath={.metadata.generation}"])).toBe("2");
  });

  test("kubectl - create generators (protobuf request bodies) store the fields kubectl set", async () => {
    await ok(["create", "deployment", "gen-web", "--image=nginx:1", "--port=8080", "--replicas=2"]);
    await ok(["create", "service", "clusterip", "gen-svc", "--tcp=80:8080"]);
    await ok(["create", "role", "gen-role", "--verb=get,list", "--resource=configmaps"]);
    await ok(["create", "rolebinding", "gen-rb", "--role=gen-role", "--serviceaccount=default:default"]);
    await ok(["create", "serviceaccount", "gen-sa"]);
    const dep = await ok([
      "get",
      "deploy",
      "gen-web",
      "-o",
      "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}",
    ]);
    expect(dep).toBe("2 nginx:1 8080");
    expect(
      await ok([
        "get",
        "svc",
        "gen-svc",
        "-o",
        "jsonpath={.spec.ports[0].port}/{.spec.ports[0].targetPort} {.spec.type}",
      ]),
    ).toBe("80/8080 ClusterIP");
    expect(await ok(["get", "role", "gen-role", "-o", "jsonpath={.rules}"])).toBe(
      '[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get","list"]}]',
    );
    expect(
      await ok([
        "get",
        "rolebinding",
        "gen-rb",
        "-o",
        "jsonpath={.subjects[0].kind}:{.subjects[0].name} {.roleRef.name}",
      ]),
    ).toBe("ServiceAccount:default gen-role");
    expect(await ok(["get", "sa", "gen-sa", "-o", "name"])).toBe("serviceaccount/gen-sa\n");
    expect(await ok(["scale", "deployment", "gen-web", "--replicas=4"])).toContain("deployment.apps/gen-web scaled");
    expect(await ok(["get", "deploy", "gen-web", "-o", "jsonpath={.spec.replicas}"])).toBe("4");
  });
});
