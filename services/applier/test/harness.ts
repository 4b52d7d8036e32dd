// Shared set-up for the applier's integration tests: a real nats-server, emulated clusters, a config
// directory read by the real DirConfigStore, and helpers to publish match records and run kubectl.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  type Bus,
  type CloudEventJson,
  connectBus,
  encodeRecord,
  ensureTopology,
  type MatchRecord,
  matchSubject,
  partitionOf,
  publishDurable,
} from "@evtrigger/bus";
import { ClusterRegistry, DirConfigStore, KUBECONFIG_FILE_ANNOTATION } from "@evtrigger/config";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { createMetrics } from "@evtrigger/telemetry";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";
import { type Applier, type ApplierOptions, startApplier } from "../src/mod.js";

const run = promisify(execFile);

export const quietLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export interface Harness {
  nats: NatsServer;
  bus: Bus;
  kube: KubeEmulator;
  dir: string;
  store: DirConfigStore;
  appliers: Applier[];
  /** Writes (or replaces) a YAML file in the config dir and waits until the store has seen it. */
  writeConfig(file: string, yaml: string, ready?: (h: Harness) => boolean): Promise<void>;
  startApplier(o?: Partial<ApplierOptions>): Promise<Applier>;
  publishMatch(
    m: Partial<MatchRecord> & { eventTrigger: string; event: CloudEventJson; eventSeq: number },
  ): Promise<void>;
  kubectl(...args: string[]): Promise<{ stdout: string; code: number; stderr: string }>;
  close(): Promise<void>;
}

export const CLUSTER = { namespace: "default", name: "clusterapi-workload", kind: "SveltosCluster" as const };

export function clusterYaml(
  kubeconfigPath: string,
  labels: Record<string, string> = { env: "fv" },
  name = CLUSTER.name,
): string {
  const l = Object.entries(labels)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join("\n");
  return `apiVersion: lib.projectsveltos.io/v1beta1
kind: SveltosCluster
metadata:
  name: ${name}
  namespace: default
  annotations:
    ${KUBECONFIG_FILE_ANNOTATION}: ${kubeconfigPath}
  labels:
${l}
spec: {}
`;
}

export async function startHarness(
  clusterLabels: Record<string, string> = { env: "fv", env2: "production" },
): Promise<Harness> {
  const nats = await startNatsServer();
  const bus = await connectBus({ servers: nats.url, name: "applier-test" });
  await ensureTopology(bus.jsm, bus.kvm);
  const kube = await startKubeEmulator({ clusterName: "workload" });
  const dir = mkdtempSync(join(tmpdir(), "evt-applier-cfg-"));
  const cacheDir = mkdtempSync(join(tmpdir(), "evt-kubectl-cache-"));
  writeFileSync(join(dir, "cluster.yaml"), clusterYaml(kube.kubeconfigPath, clusterLabels));
  const store = new DirConfigStore({ dir, debounceMs: 20 });
  await store.start();
  await waitFor(() => store.snapshot().clusters.get(`${CLUSTER.namespace}/${CLUSTER.name}`)?.kubeconfig, {
    what: "cluster registered",
  });
  const appliers: Applier[] = [];
  const h: Harness = {
    nats,
    bus,
    kube,
    dir,
    store,
    appliers,
    async writeConfig(file, yaml, ready) {
      const before = store.snapshot().version;
      writeFileSync(join(dir, file), yaml);
      await waitFor(() => store.snapshot().version > before && (!ready || ready(h)), { what: `config ${file} loaded` });
    },
    async startApplier(o = {}) {
      const a = await startApplier({
        bus,
        store,
        registry: new ClusterRegistry(store),
        logger: quietLogger,
        metrics: createMetrics({ service: "applier", defaultMetrics: false }),
        ...o,
      });
      appliers.push(a);
      return a;
    },
    async publishMatch(m) {
      const rec: MatchRecord = {
        v: 1,
        eventMsgId: `ev-${m.eventSeq}`,
        cluster: CLUSTER,
        eventSource: "user-operation",
        triggerGeneration: 1,
        natsSubject: "user-operation",
        subscription: "user-operation",
        matchedAt: new Date().toISOString(),
        ...m,
      };
      const key = `${rec.eventTrigger}|${rec.event.source}|${rec.event.subject ?? ""}`;
      await publishDurable(bus.js, matchSubject(partitionOf(key)), encodeRecord(rec), {
        msgId: `${rec.eventTrigger}:${rec.eventMsgId}`,
      });
    },
    async kubectl(...args) {
      try {
        const r = await run("kubectl", ["--kubeconfig", kube.kubeconfigPath, "--cache-dir", cacheDir, ...args]);
        return { stdout: r.stdout, stderr: r.stderr, code: 0 };
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; code?: number };
        return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: e.code ?? 1 };
      }
    },
    async close() {
      for (const a of appliers) await a.close();
      await store.close();
      await bus.close();
      await kube.stop();
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
  return h;
}

export function loginEvent(
  user: string,
  org = "acme",
  type = "auth.example.com.login",
  source = "auth.example.com",
): CloudEventJson {
  return {
    specversion: "1.0",
    type,
    source,
    id: `${type}-${user}`,
    subject: user,
    datacontenttype: "application/json",
    data: { message: `User ${user} login`, organization: org },
  };
}

export function logoutEvent(user: string): CloudEventJson {
  return { ...loginEvent(user, "acme", "auth.example.com.logout"), data: { message: `User ${user} logout` } };
}

// The seed's objects, verbatim apart from the selector labels of our emulated cluster.
export const SEED_CREATE_NAMESPACE = `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventSource
metadata:
  name: user-login
spec:
  messagingMatchCriteria:
  - subject: "user-login"
    cloudEventSource: "auth.example.com/user-login"
---
apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: create-namespace
spec:
  sourceClusterSelector:
    matchLabels:
      env: fv
  eventSourceName: user-login
  oneForEvent: true
  cloudEventAction: Create
  policyRefs:
  - name: namespace
    namespace: default
    kind: ConfigMap
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: namespace
  namespace: default
  annotations:
    projectsveltos.io/instantiate: ok
data:
  namespace.yaml: |
    kind: Namespace
    apiVersion: v1
    metadata:
      name: {{ .CloudEvent.subject }} # .CloudEvent is the triggering CloudEvent
      labels:
        organization: {{ ( index .CloudEvent.data \`organization\` ) }}
`;

export function manageNamespaceYaml(
  name = "manage-namespace",
  syncMode = "Continuous",
  cm = "namespace-plain",
): string {
  return `apiVersion: lib.projectsveltos.io/v1beta1
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
  name: ${name}
spec:
  sourceClusterSelector:
    matchLabels:
      env: fv
  eventSourceName: user-operation
  oneForEvent: true
  syncMode: ${syncMode}
  cloudEventAction: '{{if eq .CloudEvent.type "auth.example.com.logout"}}Delete{{else}}Create{{end}}'
  policyRefs:
  - name: ${cm}
    namespace: default
    kind: ConfigMap
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${cm}
  namespace: default
  annotations:
    projectsveltos.io/instantiate: ok
data:
  namespace.yaml: |
    kind: Namespace
    apiVersion: v1
    metadata:
      name: {{ .CloudEvent.subject }}
`;
}

export { waitFor };

/** Every dead letter the applier wrote so far. */
export async function dlqLetters(h: Harness): Promise<import("@evtrigger/bus").DeadLetter[]> {
  const info = await h.bus.jsm.streams.info("EVT_DLQ");
  const out: import("@evtrigger/bus").DeadLetter[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await h.bus.jsm.streams.getMessage("EVT_DLQ", { seq }).catch(() => null);
    if (m) out.push(m.json());
  }
  return out;
}

/** True once the applier's durable has nothing pending or unacknowledged. */
export async function drained(h: Harness): Promise<boolean> {
  const ci = await h.bus.jsm.consumers.info("EVT_MATCHES", "evt-applier");
  return ci.num_pending === 0 && ci.num_ack_pending === 0;
}

/** A status sink that records what would be written on EventTriggers (KubeConfigStore's shape). */
export function recordingStatus() {
  const conditions: { name: string; type: string; status: string; reason: string; message: string }[] = [];
  const events: { name: string; type: string; reason: string; message: string }[] = [];
  return {
    conditions,
    events,
    async setCondition(
      _kind: string,
      name: string,
      c: { type: string; status: string; reason: string; message: string },
    ) {
      conditions.push({ name, ...c });
    },
    async recordEvent(involved: { metadata: { name: string } }, reason: string, message: string, type = "Normal") {
      events.push({ name: involved.metadata.name, type, reason, message });
    },
  };
}

export function triggerYaml(o: {
  name: string;
  cm: string;
  syncMode?: string;
  action?: string;
  stop?: string;
  docs: string;
}): string {
  const indented = o.docs
    .split("\n")
    .map((l) => (l ? `    ${l}` : l))
    .join("\n");
  return `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: ${o.name}
spec:
  sourceClusterSelector:
    matchLabels:
      env: fv
  eventSourceName: user-operation
  oneForEvent: true
  syncMode: ${o.syncMode ?? "Continuous"}
  stopMatchingBehavior: ${o.stop ?? "WithdrawPolicies"}
  cloudEventAction: '${o.action ?? '{{if eq .CloudEvent.type "auth.example.com.logout"}}Delete{{else}}Create{{end}}'}'
  policyRefs:
  - name: ${o.cm}
    namespace: default
    kind: ConfigMap
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${o.cm}
  namespace: default
  annotations:
    projectsveltos.io/instantiate: ok
data:
  resources.yaml: |
${indented}
`;
}

export const NS_DOC = `kind: Namespace
apiVersion: v1
metadata:
  name: {{ .CloudEvent.subject }}
`;
