// "Has every service got the configuration I just applied?" for the whole-system tests (e2e/test, e2e/faults).
// Applies YAML with the real kubectl, takes the resourceVersions the API server gave the objects, and waits until
// each service's config store has caught up with them (GET /status/config, libs/runtime) and, for a managed
// cluster's sveltos-nats Secret, until every gateway is subscribed under that Secret (GET /clusters). Replaces
// "publish until something happens": core NATS is at-most-once, so a test must know the gateway listens first.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "@evtrigger/testkit";

export interface ConfigSyncTarget {
  /** Runs the real kubectl against `kubeconfig`; resolves to stdout. */
  kubectl(kubeconfig: string, ...args: string[]): Promise<string>;
  /** A directory for the YAML files handed to kubectl. */
  dir: string;
  /** Base URLs of every service process that reads the configuration (replicas included). */
  services(): readonly string[];
}

export interface WaitForConfigOptions {
  /** The cluster to apply to. */
  kubeconfig: string;
  /** YAML (or JSON) text to apply; or `files`. */
  yaml?: string;
  files?: readonly string[];
  /**
   * Set when `kubeconfig` is a managed cluster's: its key "namespace/name". Every gateway must then be subscribed
   * under the sveltos-nats Secret applied here. Without it the objects are management-cluster configuration.
   */
  cluster?: string;
  /** Default 60 s: generous for a loaded 2-core machine, finite. */
  timeoutMs?: number;
}

export interface AppliedObject {
  kind: string;
  namespace?: string;
  name: string;
  resourceVersion: string;
}

/** GET /status/config of one service (libs/runtime configStatus). */
export interface ServiceConfigStatus {
  service: string;
  ready: boolean;
  source: string;
  version: number;
  kinds?: Record<string, string>;
}

/** One entry of a gateway's GET /clusters. */
export interface GatewayClusterStatus {
  cluster: string;
  state: string;
  resourceVersion: string | null;
  subscribed: boolean;
}

const NATS_SECRET = { namespace: "projectsveltos", name: "sveltos-nats" };
let files = 0;

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

/** resourceVersions of one API server are integers in practice (etcd revisions; the emulator's counter). */
export function rvAtLeast(seen: string | null | undefined, wanted: string): boolean {
  if (!seen || !/^\d+$/.test(seen) || !/^\d+$/.test(wanted)) return false;
  return BigInt(seen) >= BigInt(wanted);
}

/** Only the service URLs: enough to ask what they observed. */
type Services = Pick<ConfigSyncTarget, "services">;

export async function configStatuses(t: Services): Promise<ServiceConfigStatus[]> {
  return Promise.all(t.services().map((u) => getJson<ServiceConfigStatus>(`${u}/status/config`)));
}

async function gatewayClusters(t: Services): Promise<Array<{ url: string; clusters: GatewayClusterStatus[] }>> {
  const statuses = await Promise.all(
    t.services().map(async (url) => ({ url, s: await getJson<ServiceConfigStatus>(`${url}/status/config`) })),
  );
  return Promise.all(
    statuses
      .filter(({ s }) => s.service === "gateway")
      .map(async ({ url }) => ({
        url,
        clusters: (await getJson<{ clusters: GatewayClusterStatus[] }>(`${url}/clusters`)).clusters,
      })),
  );
}

/** What still lags, per service, for management-cluster objects ("" when every service has them all). */
async function managementLag(t: Services, objects: readonly AppliedObject[]): Promise<string> {
  const lag: string[] = [];
  for (const s of await configStatuses(t)) {
    if (s.source !== "kubernetes") throw new Error(`${s.service} reads its configuration from ${s.source}`);
    for (const o of objects) {
      const seen = s.kinds?.[o.kind];
      if (seen === undefined) continue; // a kind this service does not watch
      if (!rvAtLeast(seen, o.resourceVersion))
        lag.push(`${s.service} ${o.kind} at ${seen || "-"} < ${o.resourceVersion}`);
    }
  }
  // A new SveltosCluster: each gateway has also read that cluster's sveltos-nats Secret (or its absence).
  const clusters = objects.filter((o) => o.kind === "SveltosCluster").map((o) => `${o.namespace}/${o.name}`);
  if (clusters.length) {
    for (const g of await gatewayClusters(t)) {
      for (const key of clusters) {
        const c = g.clusters.find((x) => x.cluster === key);
        if (!c || c.state === "pending") lag.push(`gateway ${g.url} has not read ${key}'s sveltos-nats Secret`);
      }
    }
  }
  return lag.join("; ");
}

/** What still lags for a managed cluster's sveltos-nats Secret at `resourceVersion` ("" when every gateway is live). */
async function subscriptionLag(t: Services, cluster: string, resourceVersion?: string): Promise<string> {
  const lag: string[] = [];
  const gateways = await gatewayClusters(t);
  if (gateways.length === 0) return "no gateway among the services";
  for (const g of gateways) {
    const c = g.clusters.find((x) => x.cluster === cluster);
    if (!c) lag.push(`gateway ${g.url} does not know ${cluster}`);
    else if (resourceVersion && !rvAtLeast(c.resourceVersion, resourceVersion))
      lag.push(`gateway ${g.url} has ${cluster}'s Secret at ${c.resourceVersion ?? "-"} < ${resourceVersion}`);
    else if (!c.subscribed) lag.push(`gateway ${g.url} is not subscribed for ${cluster} (${c.state})`);
  }
  return lag.join("; ");
}

/** Waits until `lag` reports nothing; on timeout the error says what still lagged. */
async function waitForNoLag(lag: () => Promise<string>, timeoutMs: number, what: string): Promise<void> {
  await waitFor(
    async () => {
      const l = await lag();
      if (l) throw new Error(l); // waitFor quotes the last error when the deadline passes
      return true;
    },
    { timeoutMs, intervalMs: 100, what },
  );
}

/**
 * Applies the YAML with kubectl and resolves once every service has observed each applied object (and, with
 * `cluster`, once every gateway is subscribed under the applied sveltos-nats Secret). Returns what was applied.
 */
export async function waitForConfig(t: ConfigSyncTarget, o: WaitForConfigOptions): Promise<AppliedObject[]> {
  const paths = [...(o.files ?? [])];
  if (o.yaml !== undefined) {
    const file = join(t.dir, `config-sync-${process.pid}-${++files}.yaml`);
    writeFileSync(file, o.yaml);
    paths.push(file);
  }
  if (paths.length === 0) throw new Error("waitForConfig: nothing to apply (yaml or files)");
  const out = await t.kubectl(o.kubeconfig, "apply", ...paths.flatMap((p) => ["-f", p]), "-o", "json");
  const objects = appliedObjects(out);
  const timeoutMs = o.timeoutMs ?? 60_000;
  if (o.cluster === undefined) {
    await waitForNoLag(() => managementLag(t, objects), timeoutMs, "every service to observe the applied config");
    return objects;
  }
  const secret = objects.find(
    (x) => x.kind === "Secret" && x.namespace === NATS_SECRET.namespace && x.name === NATS_SECRET.name,
  );
  if (secret) {
    await waitForNoLag(
      () => subscriptionLag(t, o.cluster!, secret.resourceVersion),
      timeoutMs,
      `every gateway subscribed for ${o.cluster}'s sveltos-nats Secret ${secret.resourceVersion}`,
    );
  }
  return objects;
}

/**
 * Resolves once every gateway is subscribed for `cluster` under its current Secret (e.g. after that cluster's
 * NATS server came back: for core NATS the server has confirmed the subscriptions, so a publish is delivered).
 */
export async function waitForSubscribed(t: Services, cluster: string, timeoutMs = 60_000): Promise<void> {
  await waitForNoLag(() => subscriptionLag(t, cluster), timeoutMs, `every gateway subscribed for ${cluster}`);
}

/** Whether any gateway is subscribed for `cluster` (false once they all noticed its NATS is gone). */
export async function anySubscribed(t: Services, cluster: string): Promise<boolean> {
  return (await gatewayClusters(t)).some((g) => g.clusters.some((c) => c.cluster === cluster && c.subscribed));
}

/** kubectl apply -o json prints one object or a List of them. */
export function appliedObjects(json: string): AppliedObject[] {
  const parsed = JSON.parse(json) as { kind: string; items?: unknown[] };
  const items = (parsed.kind === "List" ? (parsed.items ?? []) : [parsed]) as Array<{
    kind: string;
    metadata: { name: string; namespace?: string; resourceVersion?: string };
  }>;
  return items.map((i) => ({
    kind: i.kind,
    name: i.metadata.name,
    namespace: i.metadata.namespace,
    resourceVersion: i.metadata.resourceVersion ?? "",
  }));
}
