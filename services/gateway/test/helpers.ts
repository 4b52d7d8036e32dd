// Shared wiring for the gateway's integration tests: real nats-servers (internal bus + managed clusters).

import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Bus,
  type ClusterRef,
  connectBus,
  type DeadLetter,
  decodeRecord,
  type EventEnvelope,
  STREAMS,
} from "@evtrigger/bus";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";
import type { JetStreamManager, StoredMsg } from "@nats-io/jetstream";
import { connect, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import type { CounterLike, GaugeLike, MetricsLike } from "../src/metrics.js";

export const enc = new TextEncoder();
export const json = (v: unknown) => enc.encode(JSON.stringify(v));

export function cluster(name: string, namespace = "default"): ClusterRef {
  return { namespace, name, kind: "SveltosCluster" };
}

export const seedLogin = {
  specversion: "1.0",
  type: "auth.example.com.login",
  source: "auth.example.com",
  id: "10001",
  subject: "mgianluc",
  datacontenttype: "application/json",
  data: { message: "User mgianluc login" },
};
export const seedLogout = { ...seedLogin, type: "auth.example.com.logout", data: { message: "User mgianluc logout" } };

export interface StoredRecord<T> {
  seq: number;
  subject: string;
  msgId?: string;
  traceparent?: string;
  record: T;
}

async function readAll<T>(jsm: JetStreamManager, stream: string): Promise<StoredRecord<T>[]> {
  const info = await jsm.streams.info(stream);
  const out: StoredRecord<T>[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    let m: StoredMsg | null;
    try {
      m = await jsm.streams.getMessage(stream, { seq });
    } catch {
      continue;
    }
    if (!m) continue;
    out.push({
      seq,
      subject: m.subject,
      msgId: m.header?.get("Nats-Msg-Id") || undefined,
      traceparent: m.header?.get("traceparent") || undefined,
      record: decodeRecord(m.data) as T,
    });
  }
  return out;
}

export const readEvents = (jsm: JetStreamManager) => readAll<EventEnvelope>(jsm, STREAMS.events.name);
export const readDlq = (jsm: JetStreamManager) => readAll<DeadLetter>(jsm, STREAMS.dlq.name);

/** Waits until an event matching `pred` is on EVT_EVENTS and returns every match. */
export async function waitForEvents(
  jsm: JetStreamManager,
  pred: (e: StoredRecord<EventEnvelope>) => boolean,
  count = 1,
  what = "events",
): Promise<StoredRecord<EventEnvelope>[]> {
  return waitFor(
    async () => {
      const found = (await readEvents(jsm)).filter(pred);
      return found.length >= count ? found : undefined;
    },
    { what, timeoutMs: 15_000 },
  );
}

export async function waitForDlq(
  jsm: JetStreamManager,
  pred: (e: StoredRecord<DeadLetter>) => boolean,
  what = "dead letter",
): Promise<StoredRecord<DeadLetter>> {
  return waitFor(async () => (await readDlq(jsm)).find(pred), { what, timeoutMs: 15_000 });
}

/** Counters and gauges in memory, with the prom-client-like shape the gateway expects. */
export class TestMetrics implements MetricsLike {
  readonly values = new Map<string, number>();
  private key(name: string, labels: Record<string, string>) {
    const l = Object.entries(labels)
      .sort()
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    return `${name}{${l}}`;
  }
  counter(name: string): CounterLike {
    return { inc: (labels, v = 1) => this.values.set(this.key(name, labels), this.get(name, labels) + v) };
  }
  gauge(name: string): GaugeLike {
    return { set: (labels, v) => this.values.set(this.key(name, labels), v) };
  }
  get(name: string, labels: Record<string, string>): number {
    return this.values.get(this.key(name, labels)) ?? 0;
  }
}

export interface Harness {
  internal: NatsServer;
  bus: Bus;
  stop(): Promise<void>;
}

export async function startInternal(): Promise<Harness> {
  const internal = await startNatsServer();
  const bus = await connectBus({ servers: internal.url, name: "gateway-test" });
  return {
    internal,
    bus,
    async stop() {
      await bus.close();
      await internal.stop();
    },
  };
}

/** A publisher on a managed cluster's NATS. */
export async function publisher(opts: NodeConnectionOptions): Promise<NatsConnection> {
  return connect({ ...opts, name: "test-publisher" });
}

/** The built entry point as a child process; `lines` collects its JSON log lines. */
export function spawnGateway(env: Record<string, string>): { proc: ChildProcess; lines: Record<string, unknown>[] } {
  const main = join(dirname(fileURLToPath(import.meta.url)), "../dist/main.js");
  const proc = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: Record<string, unknown>[] = [];
  let buf = "";
  proc.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ raw: line });
      }
    }
  });
  return { proc, lines };
}

/** Writes a config dir with one SveltosCluster whose kubeconfig is `kubeconfigPath` (a managed-cluster emulator). */
export function writeClusterDir(dir: string, name: string, kubeconfigPath: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}.yaml`),
    `apiVersion: lib.projectsveltos.io/v1beta1\nkind: SveltosCluster\nmetadata:\n  name: ${name}\n  namespace: default\n  annotations: {evtrigger.io/kubeconfig-file: ${JSON.stringify(kubeconfigPath)}}\nspec: {}\n`,
  );
}

export { startNatsServer, waitFor };
