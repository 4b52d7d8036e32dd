// The seed's examples end to end: each test starts `evtctl dev up`, applies the seed's YAML with the real
// kubectl, publishes CloudEvents on NATS, and asserts on the managed cluster through kubectl.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@evtrigger/testkit";
import { exists, type Stack, seedEvent, seedFile, startStack } from "./kit.js";

const E2E_TIMEOUT = 120_000;

describe("e2e seed story", () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  const nsGone = async (s: Stack, name: string) => !(await exists(s.kubectlManaged, "namespace", name));

  test(
    "e2e - create-namespace: login creates the Namespace named after the CE subject with the organization label",
    async () => {
      stack = await startStack({ clusterLabels: "env=fv" });
      const s = stack;
      // Published once every service has the config and the gateway's subscription is confirmed (core NATS is
      // at-most-once: an earlier event would be lost or match nothing).
      await s.applyConfig(seedFile("01-user-login.yaml"), seedFile("02-create-namespace.yaml"));
      await s.subscribed();
      await s.publish(
        "user-login",
        seedEvent("login", {
          source: "auth.example.com/user-login",
          data: { message: "User mgianluc login", organization: "acme" },
        }),
      );
      await waitFor(() => exists(s.kubectlManaged, "namespace", "mgianluc"), {
        timeoutMs: 30_000,
        what: "Namespace mgianluc",
      });
      const org = await s.kubectlManaged(
        "get",
        "namespace",
        "mgianluc",
        "-o",
        "jsonpath={.metadata.labels.organization}",
      );
      expect(org).toBe("acme");
      const ceSource = await s.kubectlManaged(
        "get",
        "namespace",
        "mgianluc",
        "-o",
        "jsonpath={.metadata.labels.eventtrigger\\.lib\\.projectsveltos\\.io/cesource}",
      );
      expect(ceSource).toBe("auth.example.com-user-login");
    },
    E2E_TIMEOUT,
  );

  test(
    "e2e - manage-namespace: the templated cloudEventAction creates on login and deletes on logout",
    async () => {
      stack = await startStack();
      const s = stack;
      await s.applyConfig(seedFile("05-end-to-end.yaml"));
      await s.subscribed();
      await s.publish("user-operation", seedEvent("login"));
      await waitFor(() => exists(s.kubectlManaged, "namespace", "mgianluc"), {
        timeoutMs: 30_000,
        what: "Namespace mgianluc after login",
      });
      await s.publish("user-operation", seedEvent("logout"));
      await waitFor(() => nsGone(s, "mgianluc"), {
        timeoutMs: 20_000,
        what: "Namespace mgianluc deleted after logout",
      });
    },
    E2E_TIMEOUT,
  );

  test(
    "e2e - drift detection: a Namespace deleted by hand comes back; after logout it stays gone",
    async () => {
      stack = await startStack();
      const s = stack;
      await s.applyConfig(seedFile("05-end-to-end.yaml"));
      await s.subscribed();
      await s.publish("user-operation", seedEvent("login"));
      await waitFor(() => exists(s.kubectlManaged, "namespace", "mgianluc"), {
        timeoutMs: 30_000,
        what: "Namespace mgianluc after login",
      });
      const uid1 = await s.kubectlManaged("get", "namespace", "mgianluc", "-o", "jsonpath={.metadata.uid}");
      await s.kubectlManaged("delete", "namespace", "mgianluc", "--wait=true");
      const uid2 = await waitFor(
        async () => {
          const uid = await s
            .kubectlManaged("get", "namespace", "mgianluc", "-o", "jsonpath={.metadata.uid}")
            .catch(() => "");
          return uid && uid !== uid1 ? uid : "";
        },
        { timeoutMs: 10_000, what: "drift detection to recreate mgianluc" },
      );
      expect(uid2).not.toBe(uid1);
      await s.publish("user-operation", seedEvent("logout"));
      await waitFor(() => nsGone(s, "mgianluc"), { timeoutMs: 20_000, what: "mgianluc deleted after logout" });
      // Stays gone: a watch on namespaces sees no re-creation while the applier settles (bounded observation).
      const settled = Date.now() + 3000;
      await waitFor(
        async () => {
          if (!(await nsGone(s, "mgianluc"))) throw new Error("mgianluc came back after logout");
          return Date.now() > settled;
        },
        { timeoutMs: 10_000, what: "mgianluc to stay deleted" },
      );
    },
    E2E_TIMEOUT,
  );

  test(
    "e2e - Secret-wrapped policyRef (type addons.projectsveltos.io/cluster-profile)",
    async () => {
      stack = await startStack();
      const s = stack;
      const template = [
        "kind: Namespace",
        "apiVersion: v1",
        "metadata:",
        "  name: {{ .CloudEvent.subject }}",
        "  labels:",
        "    from: secret",
        "",
      ].join("\n");
      const yaml = `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventSource
metadata:
  name: user-operation
spec:
  messagingMatchCriteria:
  - subject: "user-operation"
    cloudEventSource: "auth.example.com"
---
apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: manage-namespace-secret
spec:
  sourceClusterSelector:
    matchLabels:
      env: production
  eventSourceName: user-operation
  oneForEvent: true
  cloudEventAction: '{{if eq .CloudEvent.type "auth.example.com.logout"}}Delete{{else}}Create{{end}}'
  policyRefs:
  - name: namespace-secret
    namespace: default
    kind: Secret
---
apiVersion: v1
kind: Secret
metadata:
  name: namespace-secret
  namespace: default
  annotations:
    projectsveltos.io/instantiate: ok
type: addons.projectsveltos.io/cluster-profile
data:
  namespace.yaml: ${Buffer.from(template).toString("base64")}
`;
      const file = join(s.dir, "secret-form.yaml");
      writeFileSync(file, yaml);
      await s.applyConfig(file);
      await s.subscribed();
      await s.publish("user-operation", seedEvent("login"));
      await waitFor(() => exists(s.kubectlManaged, "namespace", "mgianluc"), {
        timeoutMs: 30_000,
        what: "Namespace mgianluc from the Secret template",
      });
      expect(await s.kubectlManaged("get", "namespace", "mgianluc", "-o", "jsonpath={.metadata.labels.from}")).toBe(
        "secret",
      );
      await s.publish("user-operation", seedEvent("logout"));
      await waitFor(() => nsGone(s, "mgianluc"), { timeoutMs: 20_000, what: "mgianluc deleted" });
    },
    E2E_TIMEOUT,
  );

  test(
    "e2e - editing the sveltos-nats Secret to a new subject list takes effect without a restart",
    async () => {
      stack = await startStack();
      const s = stack;
      await s.applyConfig(seedFile("05-end-to-end.yaml"));
      const cfg = {
        nats: {
          configuration: {
            url: s.env.natsUrl,
            subjects: ["team-b.user-operation"],
            authorization: { user: { user: s.env.natsUser, password: s.env.natsPassword } },
          },
        },
      };
      const file = join(s.dir, "nats-config.json");
      writeFileSync(file, JSON.stringify(cfg));
      const secret = await s.kubectlManaged(
        "create",
        "secret",
        "generic",
        "-n",
        "projectsveltos",
        "sveltos-nats",
        `--from-file=sveltos-nats=${file}`,
        "--dry-run=client",
        "-o",
        "yaml",
      );
      const secretFile = join(s.dir, "secret.yaml");
      writeFileSync(secretFile, secret);
      // Returns once the gateway is subscribed under the edited Secret (its resourceVersion), without a restart.
      await s.applyManaged(secretFile);
      await s.publish("team-b.user-operation", seedEvent("login", { subject: "bob" }));
      await waitFor(() => exists(s.kubectlManaged, "namespace", "bob"), {
        timeoutMs: 30_000,
        what: "an event on the new subject to create Namespace bob",
      });
      const pids = s.output.filter((l) => /"msg":"starting"/.test(l)).length;
      expect(pids).toBe(3); // each service started once: nothing was restarted
    },
    E2E_TIMEOUT,
  );

  test(
    "e2e - a single-quoted cloudEventAction gets a condition explaining the fix; other triggers keep working",
    async () => {
      stack = await startStack({ clusterLabels: "env=fv" });
      const s = stack;
      // The seed's second example, verbatim but for the sourceClusterSelector the CRD requires (the API server
      // would otherwise refuse it before our validation sees the template).
      const seed = readFileSync(seedFile("03-manage-namespace-single-quotes.yaml"), "utf8").replace(
        "spec:\n  eventSourceName: user-operation",
        "spec:\n  sourceClusterSelector:\n    matchLabels:\n      env: fv\n  eventSourceName: user-operation",
      );
      expect(seed).toContain("'auth.example.com.logout'");
      const file = join(s.dir, "single-quotes.yaml");
      writeFileSync(file, seed);
      await s.applyConfig(file, seedFile("01-user-login.yaml"), seedFile("02-create-namespace.yaml"));
      const message = await waitFor(
        async () => {
          const out = await s.kubectlMgmt(
            "get",
            "eventtrigger",
            "manage-namespace",
            "-o",
            "jsonpath={.status.conditions}",
          );
          return /quote|backtick/i.test(out) ? out : "";
        },
        { timeoutMs: 20_000, what: "a condition on manage-namespace" },
      );
      expect(message).toMatch(/cloudEventAction/);
      expect(message).toMatch(/double quotes|backticks/);
      await s.subscribed();
      await s.publish(
        "user-login",
        seedEvent("login", { source: "auth.example.com/user-login", data: { organization: "acme" } }),
      );
      await waitFor(() => exists(s.kubectlManaged, "namespace", "mgianluc"), {
        timeoutMs: 30_000,
        what: "create-namespace to keep working",
      });
    },
    E2E_TIMEOUT,
  );
});
