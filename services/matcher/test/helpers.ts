// Test wiring: a real nats-server, the bus, a DirConfigStore over a temp dir, and readers for the output streams.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Bus,
  connectBus,
  type DeadLetter,
  decodeRecord,
  type EventEnvelope,
  encodeRecord,
  ensureTopology,
  eventSubject,
  type MatchRecord,
  publishDurable,
  STREAMS,
} from "@evtrigger/bus";
import { DirConfigStore } from "@evtrigger/config";
import { createLogger, createMetrics, type Logger, type Metrics } from "@evtrigger/telemetry";
import { type NatsServer, startNatsServer, tempDir } from "@evtrigger/testkit";
import type { StoredMsg } from "@nats-io/jetstream";

export const CLUSTER = { namespace: "default", name: "workload", kind: "SveltosCluster" as const };

export const CLUSTER_YAML = `apiVersion: lib.projectsveltos.io/v1beta1
kind: SveltosCluster
metadata:
  name: workload
  namespace: default
  labels: {env: production}
  annotations:
    evtrigger.io/kubeconfig-file: workload.kubeconfig
spec: {}
`;

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

/** The seed's EventSource and EventTrigger (sveltos-nats-cloudevents.txt), unchanged. */
export const SEED_YAML = `apiVersion: lib.projectsveltos.io/v1beta1
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
  name: manage-namespace
spec:
  sourceClusterSelector:
    matchLabels:
      env: production
  eventSourceName: user-operation
  oneForEvent: true
  syncMode: ContinuousWithDriftDetection
  cloudEventAction: '{{if eq .CloudEvent.type "auth.example.com.logout"}}Delete{{else}}Create{{end}}'
  policyRefs:
  - name: namespace
    namespace: default
    kind: ConfigMap
`;

export function eventSourceYaml(name: string, criteria: Record<string, string>[]): string {
  const lines = criteria.map((c) => {
    const fields = Object.entries(c).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
    return `  - {${fields.join(", ")}}`;
  });
  return `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventSource
metadata:
  name: ${name}
spec:
  messagingMatchCriteria:
${lines.join("\n")}
`;
}

export function eventTriggerYaml(name: string, eventSourceName: string, selector = "{matchLabels: {env: production}}") {
  return `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: ${name}
spec:
  sourceClusterSelector: ${selector}
  eventSourceName: ${JSON.stringify(eventSourceName)}
  oneForEvent: true
  policyRefs: [{name: namespace, namespace: default, kind: ConfigMap}]
`;
}

export interface Env {
  server: NatsServer;
  bus: Bus;
  dir: string;
  store: DirConfigStore;
  logger: Logger;
  logs: string[];
  metrics: Metrics;
  write(file: string, yaml: string): void;
  remove(file: string): void;
  close(): Promise<void>;
}

export async function setup(files: Record<string, string> = {}): Promise<Env> {
  const server = await startNatsServer();
  const bus = await connectBus({ servers: server.url, name: "matcher-test" });
  await ensureTopology(bus.jsm, bus.kvm);
  const dir = tempDir("evt-matcher-cfg-");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "workload.kubeconfig"), KUBECONFIG);
  writeFileSync(join(dir, "cluster.yaml"), CLUSTER_YAML);
  for (const [f, y] of Object.entries(files)) writeFileSync(join(dir, f), y);
  const store = new DirConfigStore({ dir, debounceMs: 10 });
  await store.start();
  const logs: string[] = [];
  const logger = createLogger({ service: "matcher", level: "info", stream: { write: (l: string) => logs.push(l) } });
  const metrics = createMetrics({ service: "matcher", defaultMetrics: false });
  return {
    server,
    bus,
    dir,
    store,
    logger,
    logs,
    metrics,
    write(file, yaml) {
      writeFileSync(join(dir, file), yaml);
      store.reload();
    },
    remove(file) {
      rmSync(join(dir, file));
      store.reload();
    },
    async close() {
      await store.close();
      await bus.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A structured CloudEvent as the gateway would put it on EVT_EVENTS. */
export function envelope(ce: Partial<EventEnvelope["event"]>, over: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    v: 1,
    cluster: CLUSTER,
    natsSubject: "user-operation",
    subscription: "user-operation",
    transport: "nats",
    receivedAt: new Date().toISOString(),
    event: {
      specversion: "1.0",
      id: "10001",
      source: "auth.example.com",
      type: "auth.example.com.login",
      subject: "mgianluc",
      datacontenttype: "application/json",
      ...ce,
    },
    ...over,
  };
}

/** Publishes like the gateway: Nats-Msg-Id identifies the delivery (unique here), plus a traceparent. */
export async function publishEvent(
  bus: Bus,
  env: EventEnvelope,
  msgId = `test-${process.pid}-${++counter}`,
  traceparent?: string,
): Promise<{ seq: number; msgId: string }> {
  const ack = await publishDurable(bus.js, eventSubject(env.cluster), encodeRecord(env), {
    msgId,
    headers: traceparent ? { traceparent } : undefined,
  });
  return { seq: ack.seq, msgId };
}

async function readAll(bus: Bus, stream: string): Promise<StoredMsg[]> {
  const info = await bus.jsm.streams.info(stream);
  const out: StoredMsg[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (m) out.push(m);
  }
  return out;
}

export async function readMatches(bus: Bus): Promise<{ rec: MatchRecord; msg: StoredMsg }[]> {
  return (await readAll(bus, STREAMS.matches.name)).map((msg) => ({ rec: decodeRecord<MatchRecord>(msg.data), msg }));
}

export async function readDeadLetters(bus: Bus): Promise<DeadLetter[]> {
  return (await readAll(bus, STREAMS.dlq.name)).map((m) => decodeRecord<DeadLetter>(m.data));
}

/** True once the matcher durable has nothing pending or unacked. */
export async function drained(bus: Bus): Promise<boolean> {
  const ci = await bus.jsm.consumers.info(STREAMS.events.name, "evt-matcher");
  return ci.num_pending === 0 && ci.num_ack_pending === 0;
}

/** Value of a counter/gauge series in the Prometheus text (labels matched as a subset), 0 when absent. */
export async function metricValue(
  metrics: Metrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await metrics.text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}
