// Shared wiring for the fault scenarios: a `dev up` stack in-process (real nats-server, emulated clusters and the
// three services as child processes we can kill -9 and restart), the real kubectl, and the measurements the table
// reports (final objects, lost, duplicated, RSS, API request counts).
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Bus, connectBus, type DeadLetter, decodeRecord, type EventEnvelope, STREAMS } from "@evtrigger/bus";
import { tempDir, waitFor } from "@evtrigger/testkit";
import { type JetStreamClient, jetstream } from "@nats-io/jetstream";
import { parse as parseYaml } from "yaml";
import {
  type DevStack,
  type DevUpOptions,
  devUp,
  repoRoot,
  type ServiceName,
} from "../../services/ctl/src/dev/devup.js";
import { type ConfigSyncTarget, waitForConfig, waitForSubscribed } from "../src/config-sync.js";

const run = promisify(execFile);

/** 1 = the numbers (`pnpm test:faults`); the default keeps the scenarios short inside `pnpm test`. */
export const SCALE = Number(process.env.EVT_FAULTS_SCALE ?? "0.05");
export const scaled = (n: number, min = 1) => Math.max(min, Math.round(n * SCALE));

export interface FaultStack {
  dev: DevStack;
  dir: string;
  /** Every output line of every child (prefixed with its name). */
  lines: string[];
  bus: Bus;
  kubectl(kubeconfig: string, ...args: string[]): Promise<string>;
  applyYaml(kubeconfig: string, text: string): Promise<void>;
  /** kubectl, a scratch dir and every service URL (replicas included) for waitForConfig (e2e/src/config-sync.ts). */
  sync: ConfigSyncTarget;
  /** Applies management-cluster configuration and waits until every service has observed it. */
  applyConfig(text: string): Promise<void>;
  /** Starts one more replica of a service; its URL joins `sync.services()`. */
  startReplica(svc: ServiceName): Promise<string>;
  evtctl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startFaultStack(o: Partial<DevUpOptions> = {}): Promise<FaultStack> {
  const dir = tempDir("evt-faults-");
  const lines: string[] = [];
  const dev = await devUp({
    dir,
    echo: (l) => {
      lines.push(l);
      o.echo?.(l);
    },
    ...o,
  });
  const bus = await connectBus({
    servers: dev.env.natsUrl,
    user: dev.env.natsUser,
    pass: dev.env.natsPassword,
    name: "faults-test",
  });
  const cacheDir = join(dir, "kubectl-cache");
  let files = 0;
  const kubectl = async (kubeconfig: string, ...args: string[]) =>
    (await run("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args], { timeout: 60_000 })).stdout;
  const replicas: string[] = [];
  const sync: ConfigSyncTarget = { kubectl, dir, services: () => [...Object.values(dev.env.services), ...replicas] };
  return {
    dev,
    dir,
    lines,
    bus,
    kubectl,
    sync,
    async applyConfig(text) {
      await waitForConfig(sync, { kubeconfig: dev.env.managementKubeconfig, yaml: text });
    },
    async startReplica(svc) {
      const { url } = await dev.startReplica(svc);
      replicas.push(url);
      return url;
    },
    async applyYaml(kubeconfig, text) {
      const file = join(dir, `apply-${++files}.yaml`);
      writeFileSync(file, text);
      await kubectl(kubeconfig, "apply", "-f", file);
    },
    async evtctl(...args) {
      const main = join(repoRoot, "services/ctl/dist/main.js");
      return (await run(process.execPath, [main, ...args], { timeout: 60_000, maxBuffer: 64 << 20 })).stdout;
    },
    async stop() {
      await bus.close().catch(() => undefined);
      await dev.stop();
    },
  };
}

/** Names of the Namespaces in a cluster that start with `prefix`. */
export async function namespaces(s: FaultStack, kubeconfig: string, prefix: string): Promise<Set<string>> {
  const out = await s.kubectl(kubeconfig, "get", "namespaces", "-o", "jsonpath={.items[*].metadata.name}");
  return new Set(out.split(/\s+/).filter((n) => n.startsWith(prefix)));
}

/** Inventory (KV evt-inventory) through `evtctl show addons -o json`: Namespace names per cluster. */
export async function inventoryNamespaces(s: FaultStack, prefix: string): Promise<Map<string, string[]>> {
  const rows = JSON.parse(
    await s.evtctl("show", "addons", "-o", "json", "--env-file", join(s.dir, "env.json"), "--kind", "Namespace"),
  ) as Array<{ cluster: string; name: string }>;
  const out = new Map<string, string[]>();
  for (const r of rows.filter((r) => r.name.startsWith(prefix))) {
    out.set(r.cluster, [...(out.get(r.cluster) ?? []), r.name]);
  }
  return out;
}

export interface UserEvent {
  user: string;
  type: "login" | "logout";
  id: string;
}

/** A deterministic stream of login/logout events; `expected` holds users whose last event is a login. */
export function userEvents(
  n: number,
  users: number,
  prefix: string,
  seed = 1,
): {
  events: UserEvent[];
  expected: Set<string>;
} {
  let x = seed >>> 0 || 1;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const events: UserEvent[] = [];
  const last = new Map<string, UserEvent["type"]>();
  for (let i = 0; i < n; i++) {
    // Every user gets events; a user's first event is a login.
    const u = i < users ? i : Math.floor(rnd() * users);
    const user = `${prefix}${String(u).padStart(4, "0")}`;
    const type = !last.has(user) ? "login" : rnd() < 0.5 ? "login" : "logout";
    last.set(user, type);
    events.push({ user, type, id: `${prefix}${i}` });
  }
  return { events, expected: new Set([...last].filter(([, t]) => t === "login").map(([u]) => u)) };
}

export function ceJson(e: UserEvent): string {
  return JSON.stringify({
    specversion: "1.0",
    type: `auth.example.com.${e.type}`,
    source: "auth.example.com",
    id: e.id,
    subject: e.user,
    datacontenttype: "application/json",
    data: { message: `User ${e.user} ${e.type}` },
  });
}

/** Publishes on an upstream JetStream stream in order (batches of in-flight publishes). */
export async function publishJs(js: JetStreamClient, subject: string, bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 256) {
    await Promise.all(bodies.slice(i, i + 256).map((b) => js.publish(subject, b)));
  }
}

export { jetstream };

/** How often each CE id is on EVT_EVENTS (read with an ordered consumer), in stream order. */
export async function storedEvents(bus: Bus, idPrefix: string): Promise<StoredEvents> {
  const info = await bus.jsm.streams.info(STREAMS.events.name);
  const ids: string[] = [];
  const subjects: string[] = [];
  const upstream: (number | null)[] = [];
  if (info.state.messages === 0) return { ids, subjects, upstream };
  const c = await bus.js.consumers.get(STREAMS.events.name);
  const msgs = await c.consume();
  for await (const m of msgs) {
    const env = decodeRecord(m.data) as EventEnvelope;
    if (env.event.id.startsWith(idPrefix)) {
      ids.push(env.event.id);
      subjects.push(String(env.event.subject));
      upstream.push(env.upstream?.seq ?? null);
    }
    if (m.info.pending === 0 || m.seq >= info.state.last_seq) break;
  }
  await msgs.close();
  return { ids, subjects, upstream };
}

/** CE ids on EVT_EVENTS in stream order, with their CE subject and upstream stream sequence (null: none). */
export interface StoredEvents {
  ids: string[];
  subjects: string[];
  upstream: (number | null)[];
}

/** Extra copies: ids seen more than once. */
export function duplicates(ids: readonly string[]): number {
  return ids.length - new Set(ids).size;
}

/** Consumer progress: stream sequence of the ack floor and what is still pending. */
export async function consumerState(bus: Bus, stream: string, durable: string) {
  const i = await bus.jsm.consumers.info(stream, durable);
  return { ackFloor: i.ack_floor.stream_seq, pending: i.num_pending, ackPending: i.num_ack_pending };
}

/** Both internal consumers have nothing pending nor unacknowledged. */
export async function pipelineIdle(bus: Bus): Promise<boolean> {
  const m = await consumerState(bus, STREAMS.events.name, "evt-matcher");
  const a = await consumerState(bus, STREAMS.matches.name, "evt-applier");
  return m.pending + m.ackPending + a.pending + a.ackPending === 0;
}

/** A metric's value from a service's /metrics (first series with that name, labels ignored). */
export async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "m").exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

/** The sum of every series of a metric (all label values). */
export async function metricSum(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, "gm"))) sum += Number(m[1]);
  return sum;
}

export const rssMb = async (url: string) =>
  Math.round((await metricValue(url, "process_resident_memory_bytes")) / 2 ** 20);

/** The emulator's fault API (POST/DELETE /_emulator/faults) over HTTPS with the kubeconfig's token and CA. */
export function emulatorAdmin(kubeconfig: string) {
  const kc = parseYaml(readFileSync(kubeconfig, "utf8")) as {
    clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }>;
    users: Array<{ user: { token: string } }>;
  };
  const server = new URL(kc.clusters[0]!.cluster.server);
  const ca = Buffer.from(kc.clusters[0]!.cluster["certificate-authority-data"], "base64");
  const token = kc.users[0]!.user.token;
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: server.hostname,
          port: server.port,
          path,
          method,
          ca,
          headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        },
        (res) => {
          let text = "";
          res.on("data", (d) => {
            text += d;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
        },
      );
      req.on("error", reject);
      req.end(data);
    });
  return {
    token,
    async inject(spec: Record<string, unknown>): Promise<string> {
      const r = await call("POST", "/_emulator/faults", spec);
      if (r.status !== 201) throw new Error(`fault inject: ${r.status} ${JSON.stringify(r.body)}`);
      return String(r.body.id);
    },
    async list(): Promise<Array<{ id: string; remaining: number }>> {
      return (await call("GET", "/_emulator/faults")).body.faults as Array<{ id: string; remaining: number }>;
    },
    async clear(): Promise<void> {
      await call("DELETE", "/_emulator/faults");
    },
  };
}

/** Waits for `check` but returns false at the deadline instead of throwing, so the row can record what was seen. */
export async function settle(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<boolean> {
  try {
    await waitFor(check, { timeoutMs, intervalMs: 500, what });
    return true;
  } catch {
    return false;
  }
}

/** Compares an actual set of objects with the expected one. */
export function compare(expected: Set<string>, actual: Set<string>) {
  const lost = [...expected].filter((e) => !actual.has(e));
  const extra = [...actual].filter((a) => !expected.has(a));
  return { lost, extra };
}

/** The seed's manage-namespace pair (05-end-to-end.yaml) for the dev cluster's labels. */
export function seedConfig(): string {
  return readFileSync(join(repoRoot, "e2e/seed/05-end-to-end.yaml"), "utf8");
}

/** The managed cluster's sveltos-nats Secret switched to a JetStream stream USERS on the dev NATS server. */
export async function useJetStreamSource(s: FaultStack, stream = "USERS", subjects = ["user-operation"]) {
  const cfg = {
    jetstream: {
      configuration: {
        url: s.dev.env.natsUrl,
        streams: [{ name: stream, subjects }],
        authorization: { user: { user: s.dev.env.natsUser, password: s.dev.env.natsPassword } },
      },
    },
  };
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "sveltos-nats", namespace: "projectsveltos" },
    stringData: { "sveltos-nats": JSON.stringify(cfg) },
  };
  const c = s.dev.env.clusters[0]!;
  // A gateway subscribes the new link before it drains the old one (make-before-break), and reports the new one
  // subscribed meanwhile. Until the old link's core subscription on the same subjects is gone, what is published
  // to the stream also reaches it and is stored twice (a core and a JetStream Nats-Msg-Id): wait for every
  // running gateway's "sveltos-nats change applied", which it logs once the old link is drained.
  const applied = (name: string) =>
    s.lines.filter((l) => l.startsWith(`[${name}] `) && l.includes("sveltos-nats change applied")).length;
  const gateways = [...new Set(s.lines.flatMap((l) => /^\[(gateway[^\]]*)\] /.exec(l)?.[1] ?? []))];
  const before = new Map(gateways.map((g) => [g, applied(g)]));
  await waitForConfig(s.sync, {
    kubeconfig: c.kubeconfig,
    yaml: JSON.stringify(secret),
    cluster: `${c.namespace}/${c.name}`,
  });
  await waitFor(() => gateways.every((g) => applied(g) > before.get(g)!), {
    timeoutMs: 60_000,
    what: `every gateway (${gateways.join(", ")}) drained its core NATS link`,
  });
}

/** The dev cluster's key ("namespace/name") as the gateway names it. */
export const devClusterKey = (s: FaultStack) => `${s.dev.env.clusters[0]!.namespace}/${s.dev.env.clusters[0]!.name}`;

/** Every gateway is subscribed for the dev cluster's current sveltos-nats Secret (core NATS: publishes arrive). */
export const gatewaysSubscribed = (s: FaultStack, cluster = devClusterKey(s)) => waitForSubscribed(s.sync, cluster);

/** Every dead letter on EVT_DLQ so far. */
export async function deadLetters(bus: Bus): Promise<DeadLetter[]> {
  const info = await bus.jsm.streams.info(STREAMS.dlq.name);
  const out: DeadLetter[] = [];
  if (info.state.messages === 0) return out;
  const c = await bus.js.consumers.get(STREAMS.dlq.name);
  const msgs = await c.consume();
  for await (const m of msgs) {
    out.push(decodeRecord(m.data) as DeadLetter);
    if (m.info.pending === 0 || m.seq >= info.state.last_seq) break;
  }
  await msgs.close();
  return out;
}

/**
 * What the stored events imply: per user, the last of its events decides (a login → a Namespace). `expected`: last
 * on EVT_EVENTS; `applied`: last in the order the applier fences on — the upstream (publish) position where both
 * events carry one, else the EVT_EVENTS order — which the final state must equal whatever order the events were
 * stored in. `reorderedKeys` counts users whose events were stored out of publish order.
 */
export function storedOrderState(events: readonly UserEvent[], stored: StoredEvents) {
  const published = new Map<string, string[]>();
  for (const e of events) published.set(e.user, [...(published.get(e.user) ?? []), e.id]);
  const byUser = new Map<string, string[]>();
  const last = new Map<string, { id: string; up: number | null; i: number }>();
  const seen = new Set<string>();
  stored.ids.forEach((id, i) => {
    if (seen.has(id)) return;
    seen.add(id);
    const u = stored.subjects[i]!;
    byUser.set(u, [...(byUser.get(u) ?? []), id]);
    const up = stored.upstream[i] ?? null;
    const cur = last.get(u);
    if (!cur || (up !== null && cur.up !== null ? up > cur.up : i > cur.i)) last.set(u, { id, up, i });
  });
  const logins = new Set(events.filter((e) => e.type === "login").map((e) => e.id));
  const expected = new Set([...byUser].filter(([, ids]) => logins.has(ids.at(-1)!)).map(([u]) => u));
  const applied = new Set([...last].filter(([, e]) => logins.has(e.id)).map(([u]) => u));
  const reorderedKeys = [...published].filter(([u, ids]) => ids.join() !== (byUser.get(u) ?? []).join()).length;
  return { expected, applied, reorderedKeys, keys: published.size };
}
