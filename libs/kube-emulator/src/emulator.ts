import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "./api/registry.js";
import type { Ctx } from "./api/target.js";
import { createObject } from "./api/writes.js";
import { FaultInjector } from "./faults.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { ApiHttpServer, type RequestRecord } from "./server/http.js";
import { makeServingCert } from "./server/tls.js";
import { CommitLog } from "./store/commits.js";
import { Store } from "./store/store.js";

export interface KubeEmulatorOptions {
  /** TCP port; 0 or absent picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Bearer token clients must send; default a random one. */
  token?: string;
  /** Where to write the kubeconfig; default a file in the OS temp dir. */
  kubeconfigPath?: string;
  /** Name of the kubeconfig cluster/user/context; default "emulator". */
  clusterName?: string;
  /** How many changes a watch can resume across before getting 410 Gone; default 10000. */
  watchHistory?: number;
  /** Called for every authenticated resource request (verb, group, resource, subresource, ...). */
  onRequest?: (r: RequestRecord) => void;
}

/** Test hooks into the object store. */
export interface EmulatorStore {
  /** The current (global) resourceVersion. */
  readonly resourceVersion: number;
  /** Forgets the change history up to now, so older watch resume points get 410 Gone. */
  compact(): void;
}

export interface KubeEmulator {
  /** https://host:port (self-signed; `caPem` is its CA, also embedded in the kubeconfig). */
  url: string;
  token: string;
  caPem: string;
  kubeconfigPath: string;
  clusterName: string;
  faults: FaultInjector;
  store: EmulatorStore;
  /** Stops listening and drops every connection; stored objects survive for restart(). */
  stop(): Promise<void>;
  /** The same as stop(), under the name the rest of evtrigger uses for lifecycles. */
  close(): Promise<void>;
  /** Listens again on the same port with the same objects. */
  restart(): Promise<void>;
}

function seed(ctx: Ctx): void {
  const t = ctx.registry.get("", "namespaces")!;
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
    createObject(
      ctx,
      {
        t,
        version: "v1",
        name,
        query: new URLSearchParams({ fieldManager: "kube-apiserver" }),
        userAgent: "kube-apiserver",
      },
      { apiVersion: "v1", kind: "Namespace", metadata: { name } },
    );
  }
}

/** Starts one emulated cluster. Call it again for another, independent cluster (own port and store). */
export async function startKubeEmulator(opts: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
  const host = opts.host ?? "127.0.0.1";
  const token = opts.token ?? randomBytes(24).toString("hex");
  const clusterName = opts.clusterName ?? "emulator";
  const store = new Store(opts.watchHistory ?? 10_000);
  const ctx: Ctx = { store, registry: new Registry() };
  seed(ctx);
  const faults = new FaultInjector();
  const tls = makeServingCert(host);
  const http = new ApiHttpServer({
    host,
    port: opts.port ?? 0,
    token,
    ctx,
    faults,
    commits: new CommitLog(store.hub, () => store.resourceVersion),
    tls,
    onRequest: opts.onRequest,
  });
  const port = await http.listen();
  const url = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const kubeconfigPath =
    opts.kubeconfigPath ?? join(tmpdir(), `evt-kube-${clusterName}-${port}-${randomBytes(4).toString("hex")}.yaml`);
  writeKubeconfig(kubeconfigPath, clusterName, url, token, tls.certPem);
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    await http.close();
  };
  return {
    url,
    token,
    caPem: tls.certPem,
    kubeconfigPath,
    clusterName,
    faults,
    store: {
      get resourceVersion() {
        return store.resourceVersion;
      },
      compact: () => store.hub.compact(store.resourceVersion),
    },
    stop,
    close: stop,
    async restart() {
      if (running) await http.close();
      await http.listen();
      running = true;
    },
  };
}

/** Starts several independent clusters, by count ("cluster-1".."cluster-n") or by name. */
export async function startKubeEmulators(
  clusters: number | string[],
  opts: Omit<KubeEmulatorOptions, "port" | "clusterName" | "kubeconfigPath"> & { kubeconfigDir?: string } = {},
): Promise<KubeEmulator[]> {
  const names =
    typeof clusters === "number" ? Array.from({ length: clusters }, (_, i) => `cluster-${i + 1}`) : clusters;
  const out: KubeEmulator[] = [];
  try {
    for (const clusterName of names) {
      const kubeconfigPath = opts.kubeconfigDir ? join(opts.kubeconfigDir, `${clusterName}.kubeconfig`) : undefined;
      out.push(await startKubeEmulator({ ...opts, clusterName, kubeconfigPath }));
    }
  } catch (err) {
    await Promise.all(out.map((e) => e.stop()));
    throw err;
  }
  return out;
}
