// Shared helpers for the e2e tests: a `dev up` stack as a real child process, the real kubectl against it,
// and publishing like the seed does.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { tempDir, waitFor } from "@evtrigger/testkit";
import { connect } from "@nats-io/transport-node";
import { type ConfigSyncTarget, waitForConfig, waitForSubscribed } from "../src/config-sync.js";

const run = promisify(execFile);
export const repoRoot = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");
export const seedDir = join(repoRoot, "e2e/seed");

export interface DevEnv {
  natsUrl: string;
  natsUser: string;
  natsPassword: string;
  managementKubeconfig: string;
  clusters: Array<{ namespace: string; name: string; labels: Record<string, string>; kubeconfig: string }>;
  services: Record<string, string>;
}

export interface Stack {
  dir: string;
  env: DevEnv;
  /** Output lines of `dev up` and its children, for diagnosing a failure. */
  output: string[];
  kubectlMgmt(...args: string[]): Promise<string>;
  kubectlManaged(...args: string[]): Promise<string>;
  /** kubectl, a scratch dir and the service URLs for waitForConfig (e2e/src/config-sync.ts). */
  sync: ConfigSyncTarget;
  /** Applies files to the management cluster and waits until every service has observed them. */
  applyConfig(...files: string[]): Promise<void>;
  /** Applies files to the managed cluster; with a sveltos-nats Secret among them, waits until the gateway is subscribed under it. */
  applyManaged(...files: string[]): Promise<void>;
  /** Waits until the gateway's subscriptions for the managed cluster are confirmed (core NATS: a publish arrives). */
  subscribed(): Promise<void>;
  publish(subject: string, body: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `evtctl dev up` as a child process and resolves once it printed `ready`. */
export async function startStack(opts: { clusterLabels?: string } = {}): Promise<Stack> {
  const { spawn } = await import("node:child_process");
  const dir = tempDir("evt-e2e-");
  const args = [join(repoRoot, "services/ctl/dist/main.js"), "dev", "up", "--dir", dir];
  if (opts.clusterLabels) args.push("--cluster-labels", opts.clusterLabels);
  const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const collect = (d: Buffer) => output.push(...d.toString().split("\n").filter(Boolean));
  proc.stdout.on("data", collect);
  proc.stderr.on("data", collect);
  let exited = false;
  proc.once("exit", () => {
    exited = true;
  });
  await waitFor(
    () => {
      if (exited) throw new Error(`dev up exited early:\n${output.slice(-30).join("\n")}`);
      return output.includes("ready");
    },
    { timeoutMs: 60_000, what: "dev up to print ready" },
  );
  const env = JSON.parse(readFileSync(join(dir, "env.json"), "utf8")) as DevEnv;
  const cacheDir = join(dir, "kubectl-cache");
  const kubectl = async (kubeconfig: string, args: string[]) => {
    const r = await run("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args], { timeout: 30_000 });
    return r.stdout;
  };
  const managed = env.clusters[0]!;
  const clusterKey = `${managed.namespace}/${managed.name}`;
  const sync: ConfigSyncTarget = {
    kubectl: (kubeconfig, ...a) => kubectl(kubeconfig, a),
    dir,
    services: () => Object.values(env.services),
  };
  return {
    dir,
    env,
    output,
    kubectlMgmt: (...a) => kubectl(env.managementKubeconfig, a),
    kubectlManaged: (...a) => kubectl(managed.kubeconfig, a),
    sync,
    async applyConfig(...files) {
      await waitForConfig(sync, { kubeconfig: env.managementKubeconfig, files });
    },
    async applyManaged(...files) {
      await waitForConfig(sync, { kubeconfig: managed.kubeconfig, files, cluster: clusterKey });
    },
    subscribed: () => waitForSubscribed(sync, clusterKey),
    async publish(subject, body) {
      const nc = await connect({ servers: env.natsUrl, user: env.natsUser, pass: env.natsPassword });
      nc.publish(subject, body);
      await nc.flush();
      await nc.close();
    },
    async stop() {
      if (exited) return;
      const done = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await done;
    },
  };
}

/** True when `kubectl get` finds the object; false on NotFound. */
export async function exists(k: (...a: string[]) => Promise<string>, ...what: string[]): Promise<boolean> {
  try {
    await k("get", ...what, "-o", "name");
    return true;
  } catch (err) {
    if (/NotFound|not found/i.test(String((err as { stderr?: string }).stderr ?? err))) return false;
    throw err;
  }
}

export function seedFile(name: string): string {
  return join(seedDir, name);
}

export function seedEvent(kind: "login" | "logout", overrides: Record<string, unknown> = {}): string {
  const ev = JSON.parse(readFileSync(seedFile(`${kind}.json`), "utf8")) as Record<string, unknown>;
  return JSON.stringify({ ...ev, ...overrides });
}
