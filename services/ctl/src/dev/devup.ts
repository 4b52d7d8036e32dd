import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, type NatsServer, startNatsServer } from "@evtrigger/testkit";
import { type Child, startChild } from "./child.js";
import { applyObjects, objectApi, parseObjects } from "./kube.js";

/** The repository root, from services/ctl/dist/dev/ (or src/dev/ under jest). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

export const SERVICES = ["gateway", "matcher", "applier"] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * V8 heap sizing per process (`--initial-old-space-size` fixes the old generation's first collection limit instead
 * of letting V8 shrink it to the live size). Under a steady event stream the applier promotes a few MB/s of
 * short-lived garbage (inventory writes, Kubernetes responses); with V8's own limit it ran a major collection every
 * ~4 s, each pause (5-13 ms, longer on a busy 2-core machine) a latency spike for every event in flight. The same
 * flag is on the applier's Deployment (k8s/applier.yaml) and compose service. The emulators stand in for a
 * kube-apiserver that runs on other machines: their collector must not pause the pipeline being measured, and a
 * development machine has the memory.
 */
export const SERVICE_NODE_ARGS: Readonly<Record<ServiceName, readonly string[]>> = {
  gateway: [],
  matcher: [],
  applier: ["--initial-old-space-size=128"],
};
export const EMULATOR_NODE_ARGS: readonly string[] = ["--initial-old-space-size=512"];

export interface DevUpOptions {
  dir: string;
  clusterLabels?: Record<string, string>;
  natsPort?: number;
  /** NATS subjects the managed cluster's sveltos-nats Secret subscribes to. */
  subjects?: string[];
  /** Forward children's output lines here (prefixed with the child's name). */
  echo?: (line: string) => void;
  services?: readonly ServiceName[];
  logLevel?: string;
  /** Extra environment for the three services (e.g. EVT_GATEWAY_ACK_WAIT_MS in reliability tests). */
  serviceEnv?: Record<string, string>;
  /** Extra node options for the services and emulators (e.g. `--cpu-prof` in the latency benchmark). */
  nodeArgs?: string[];
}

export interface DevEnv {
  natsUrl: string;
  natsUser: string;
  natsPassword: string;
  managementKubeconfig: string;
  clusters: Array<{ namespace: string; name: string; labels: Record<string, string>; kubeconfig: string }>;
  services: Record<string, string>;
}

export interface DevStack {
  env: DevEnv;
  children: Record<string, Child>;
  nats: NatsServer;
  /** Starts a service again with the same env, port and entry point (after a crash or kill -9); resolves once ready. */
  restart(svc: ServiceName): Promise<void>;
  /** Starts one more replica of a service (same env, own HTTP port); it is stopped with the stack. */
  startReplica(svc: ServiceName): Promise<{ child: Child; url: string }>;
  stop(): Promise<void>;
}

export const DEV_CLUSTER = { namespace: "default", name: "clusterapi-workload" };
export const NATS_USER = "admin";
export const NATS_PASSWORD = "my-password";

async function waitReady(url: string, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return;
      last = await r.text();
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms: ${last}`);
}

/** Starts the whole local setup as real processes; see `evtctl dev up --help`. */
export async function devUp(o: DevUpOptions): Promise<DevStack> {
  const dir = resolve(o.dir);
  mkdirSync(dir, { recursive: true });
  const labels = o.clusterLabels ?? { env: "production" };
  const children: Record<string, Child> = {};
  const ctlMain = join(repoRoot, "services/ctl/dist/main.js");
  const prefix = (name: string) => (o.echo ? (l: string) => o.echo!(`[${name}] ${l}`) : undefined);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };

  try {
    // One Go processor unless the user asked for more: this server shares the machine with the whole stack.
    const nats = await startNatsServer({
      user: NATS_USER,
      password: NATS_PASSWORD,
      port: o.natsPort,
      goMaxProcs: process.env.GOMAXPROCS ? undefined : 1,
    });
    stops.push(() => nats.stop());

    const startEmulator = async (name: string) => {
      const kubeconfig = join(dir, `${name}.kubeconfig`);
      const port = await freePort();
      const child = startChild(
        name,
        process.execPath,
        [
          ...EMULATOR_NODE_ARGS,
          ...(o.nodeArgs ?? []),
          ctlMain,
          "kube-emulator",
          "--port",
          String(port),
          "--kubeconfig",
          kubeconfig,
        ],
        { echo: prefix(name) },
      );
      children[name] = child;
      stops.push(() => child.stop());
      await child.waitForLine(/listening /);
      return kubeconfig;
    };
    const [managementKubeconfig, managedKubeconfig] = await Promise.all([
      startEmulator("management"),
      startEmulator("managed"),
    ]);

    // Management cluster: the project's CRDs, the SveltosCluster and its kubeconfig Secret (as Sveltos stores it).
    const mgmt = objectApi(managementKubeconfig);
    const crdDir = join(repoRoot, "k8s/crds");
    const crds = readdirSync(crdDir)
      .filter((f) => f.endsWith(".yaml"))
      .flatMap((f) => parseObjects(readFileSync(join(crdDir, f), "utf8"), f));
    await applyObjects(mgmt, crds);
    await applyObjects(mgmt, [
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: `${DEV_CLUSTER.name}-sveltos-kubeconfig`, namespace: DEV_CLUSTER.namespace },
        data: { kubeconfig: Buffer.from(readFileSync(managedKubeconfig)).toString("base64") },
      } as never,
    ]);
    await applyObjects(mgmt, [
      {
        apiVersion: "lib.projectsveltos.io/v1beta1",
        kind: "SveltosCluster",
        metadata: { name: DEV_CLUSTER.name, namespace: DEV_CLUSTER.namespace, labels },
        spec: {},
      } as never,
    ]);

    // Managed cluster: the sveltos-nats Secret pointing at our NATS server.
    const managed = objectApi(managedKubeconfig);
    const natsConfig = {
      nats: {
        configuration: {
          url: nats.url,
          subjects: o.subjects ?? ["user-operation", "user-login"],
          authorization: { user: { user: NATS_USER, password: NATS_PASSWORD } },
        },
      },
    };
    await applyObjects(managed, [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "projectsveltos" } },
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "sveltos-nats", namespace: "projectsveltos" },
        data: { "sveltos-nats": Buffer.from(JSON.stringify(natsConfig, null, 2)).toString("base64") },
      } as never,
    ]);

    const services: Record<string, string> = {};
    const spawnService = async (svc: ServiceName, name: string, port: number) => {
      const child = startChild(
        name,
        process.execPath,
        [...SERVICE_NODE_ARGS[svc], ...(o.nodeArgs ?? []), join(repoRoot, `services/${svc}/dist/main.js`)],
        {
          echo: prefix(name),
          env: {
            EVT_NATS_URL: nats.url,
            EVT_NATS_USER: NATS_USER,
            EVT_NATS_PASSWORD: NATS_PASSWORD,
            EVT_MANAGEMENT_KUBECONFIG: managementKubeconfig,
            EVT_HTTP_HOST: "127.0.0.1",
            EVT_HTTP_PORT: String(port),
            EVT_LOG_LEVEL: o.logLevel ?? "info",
            ...o.serviceEnv,
          },
        },
      );
      children[name] = child;
      await waitReady(`http://127.0.0.1:${port}`, name);
      return child;
    };
    await Promise.all(
      (o.services ?? SERVICES).map(async (svc) => {
        const port = await freePort();
        services[svc] = `http://127.0.0.1:${port}`;
        // The current child of that name (restart() replaces it).
        stops.push(() => children[svc]!.stop());
        await spawnService(svc, svc, port);
      }),
    );
    let replicas = 0;
    const restart = async (svc: ServiceName) => {
      await children[svc]?.stop();
      await spawnService(svc, svc, Number(new URL(services[svc]!).port));
    };
    const startReplica = async (svc: ServiceName) => {
      const name = `${svc}-${++replicas}`;
      const port = await freePort();
      stops.push(() => children[name]!.stop());
      const child = await spawnService(svc, name, port);
      return { child, url: `http://127.0.0.1:${port}` };
    };

    const env: DevEnv = {
      natsUrl: nats.url,
      natsUser: NATS_USER,
      natsPassword: NATS_PASSWORD,
      managementKubeconfig,
      clusters: [{ ...DEV_CLUSTER, labels, kubeconfig: managedKubeconfig }],
      services,
    };
    writeFileSync(join(dir, "env.json"), `${JSON.stringify(env, null, 2)}\n`);
    return { env, children, nats, restart, startReplica, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
