// Each service started from its production entry point (node services/<svc>/dist/main.js) with only
// environment variables, each against its own emulated management cluster that records every request. After
// one CloudEvent has gone through the whole pipeline (the applier's template fails on purpose, so it reports
// on the EventTrigger), the recorded (verb, group, resource) set of each service must equal its ClusterRole.
// The services authenticate with the in-cluster kubeconfig of k8s/kubeconfig.yaml (token and CA files), and
// NATS runs with the accounts of deploy/nats/nats.conf (services and publishers apart), as in docker-compose.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { freePort, type NatsServer, startNatsServer, tempDir, waitFor } from "@evtrigger/testkit";
import { connect } from "@nats-io/transport-node";
import { stringify } from "yaml";
import { waitForSubscribed } from "../src/config-sync.js";
import {
  composeEnv,
  kubectl,
  repoRoot,
  ruleSet,
  SERVICES,
  type Service,
  serviceRules,
  yamlDocs,
} from "./deploy-kit.js";

// As docker-compose runs them: the services' environment and NATS' accounts and passwords come from
// docker-compose.yml and deploy/nats/nats.conf; only addresses and file paths are this machine's.
/** (verb group/resource) a service needs only on a path the recorded run does not take; see the RBAC test. */
const RARE_PATH_REQUESTS: Record<string, string[]> = {
  matcher: ["get lib.projectsveltos.io/eventsources", "get lib.projectsveltos.io/eventtriggers"],
};

const NATS_ENV = composeEnv("nats");
const USER = composeEnv("gateway").EVT_NATS_USER!;
const PASSWORD = NATS_ENV.EVT_NATS_PASSWORD!;
const PUBLISHER = composeEnv("k8s-init").SVELTOS_NATS_USER!;
const PUBLISHER_PASSWORD = NATS_ENV.SVELTOS_NATS_PASSWORD!;

/** The `accounts { ... }` block of deploy/nats/nats.conf with the passwords its environment would provide. */
function composeNatsAccounts(): string {
  const conf = readFileSync(join(repoRoot, "deploy/nats/nats.conf"), "utf8");
  const block = /^accounts \{[\s\S]*?^\}/m.exec(conf)?.[0];
  if (!block) throw new Error("deploy/nats/nats.conf has no accounts block");
  return block
    .replace("$EVT_NATS_PASSWORD", JSON.stringify(PASSWORD))
    .replace("$SVELTOS_NATS_PASSWORD", JSON.stringify(PUBLISHER_PASSWORD));
}

interface Proc {
  child: ChildProcess;
  url: string;
  output: string[];
  exited: boolean;
}

function startService(svc: Service, env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [join(repoRoot, `services/${svc}/dist/main.js`)], {
    env, // no flags, and nothing inherited but what is listed
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p: Proc = { child, url: `http://127.0.0.1:${env.EVT_HTTP_PORT}`, output: [], exited: false };
  const collect = (d: Buffer) => p.output.push(...d.toString().split("\n").filter(Boolean));
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  child.once("exit", () => {
    p.exited = true;
  });
  return p;
}

async function stopService(p: Proc): Promise<void> {
  if (p.exited) return;
  const exited = new Promise((resolve) => p.child.once("exit", resolve));
  p.child.kill("SIGTERM");
  await exited;
}

/** The management cluster's configuration: one cluster, one EventSource, one EventTrigger whose template fails. */
function managementObjects(managedKubeconfig: string): unknown[] {
  return [
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "c1-sveltos-kubeconfig", namespace: "default" },
      stringData: { kubeconfig: managedKubeconfig },
    },
    {
      apiVersion: "lib.projectsveltos.io/v1beta1",
      kind: "SveltosCluster",
      metadata: { name: "c1", namespace: "default", labels: { env: "production" } },
      spec: {},
    },
    {
      apiVersion: "lib.projectsveltos.io/v1beta1",
      kind: "EventSource",
      metadata: { name: "user-login" },
      spec: { messagingMatchCriteria: [{ subject: "user-login", cloudEventSource: "auth.example.com" }] },
    },
    {
      apiVersion: "lib.projectsveltos.io/v1beta1",
      kind: "EventTrigger",
      metadata: { name: "always-fails" },
      spec: {
        sourceClusterSelector: { matchLabels: { env: "production" } },
        eventSourceName: "user-login",
        oneForEvent: true,
        cloudEventAction: "Create",
        policyRefs: [{ name: "fails", namespace: "default", kind: "ConfigMap" }],
      },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "fails", namespace: "default", annotations: { "projectsveltos.io/instantiate": "ok" } },
      data: { "ns.yaml": '{{ fail "deliberate template failure" }}' },
    },
  ];
}

/**
 * The kubeconfig k8s/kubeconfig.yaml gives the pods (ServiceAccount token file and CA file), pointed at an
 * emulator: the services must authenticate the way they will in a cluster.
 */
function podKubeconfig(emu: KubeEmulator, podDir: string): string {
  const cm = yamlDocs("k8s/kubeconfig.yaml")[0] as { data: { kubeconfig: string } };
  const saDir = join(podDir, "serviceaccount");
  mkdirSync(saDir, { recursive: true });
  writeFileSync(join(saDir, "token"), emu.token);
  writeFileSync(join(saDir, "ca.crt"), emu.caPem);
  const SA = "/var/run/secrets/kubernetes.io/serviceaccount";
  const text = cm.data.kubeconfig;
  expect(text).toContain(`${SA}/token`);
  expect(text).toContain(`${SA}/ca.crt`);
  expect(text).toContain("server: https://kubernetes.default.svc");
  const file = join(podDir, "kubeconfig");
  writeFileSync(file, text.replaceAll(SA, saDir).replace("https://kubernetes.default.svc", emu.url));
  return file;
}

const yamlStream = (objs: unknown[]) => objs.map((o) => stringify(o)).join("---\n");

describe("deploy services", () => {
  let dir: string;
  let nats: NatsServer;
  let managed: KubeEmulator;
  const mgmt = {} as Record<Service, KubeEmulator>;
  const recorded = {} as Record<Service, Set<string>>;
  const procs = {} as Record<Service, Proc>;
  const inClusterKubeconfig = {} as Record<Service, string>;

  beforeAll(async () => {
    dir = tempDir("evt-deploy-svc-");
    nats = await startNatsServer({ extraConfig: composeNatsAccounts() });
    managed = await startKubeEmulator({ clusterName: "managed", kubeconfigPath: join(dir, "managed.kubeconfig") });
    const natsConfig = {
      nats: {
        configuration: {
          url: nats.url,
          subjects: ["user-login"],
          authorization: { user: { user: PUBLISHER, password: PUBLISHER_PASSWORD } },
        },
      },
    };
    const managedFile = join(dir, "managed.yaml");
    writeFileSync(
      managedFile,
      yamlStream([
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "projectsveltos" } },
        {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "sveltos-nats", namespace: "projectsveltos" },
          stringData: { "sveltos-nats": JSON.stringify(natsConfig) },
        },
      ]),
    );
    await kubectl(managed.kubeconfigPath, join(dir, "cache"), ["apply", "-f", managedFile]);

    const mgmtFile = join(dir, "mgmt.yaml");
    writeFileSync(mgmtFile, yamlStream(managementObjects(readFileSync(managed.kubeconfigPath, "utf8"))));
    for (const svc of SERVICES) {
      recorded[svc] = new Set();
      mgmt[svc] = await startKubeEmulator({
        clusterName: `mgmt-${svc}`,
        kubeconfigPath: join(dir, `mgmt-${svc}.kubeconfig`),
        // The service's requests only: the test's own kubectl calls are not the service's.
        onRequest: (r) => {
          if (r.userAgent.startsWith("kubectl/")) return;
          recorded[svc].add(`${r.verb} ${r.group}/${r.resource}${r.subresource ? `/${r.subresource}` : ""}`);
        },
      });
      inClusterKubeconfig[svc] = podKubeconfig(mgmt[svc], join(dir, `pod-${svc}`));
      const k = (...args: string[]) => kubectl(mgmt[svc].kubeconfigPath, join(dir, "cache"), args);
      await k("apply", "-f", join(repoRoot, "k8s/crds"));
      await k("wait", "--for=condition=Established", "-f", join(repoRoot, "k8s/crds"));
      await k("apply", "-f", mgmtFile);
    }
  });

  afterAll(async () => {
    await Promise.all(Object.values(procs).map(stopService));
    await Promise.all([...Object.values(mgmt), managed].filter(Boolean).map((e) => e.stop()));
    await nats?.stop();
  });

  test("deploy - each service starts from dist/main.js with environment variables only and turns ready", async () => {
    for (const svc of SERVICES)
      expect({ svc, built: existsSync(join(repoRoot, `services/${svc}/dist/main.js`)) }).toEqual({ svc, built: true }); // pnpm build first
    for (const svc of SERVICES) {
      procs[svc] = startService(svc, {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        ...composeEnv(svc),
        EVT_NATS_URL: nats.url,
        EVT_MANAGEMENT_KUBECONFIG: inClusterKubeconfig[svc],
        EVT_HTTP_HOST: "127.0.0.1",
        EVT_HTTP_PORT: String(await freePort()),
      });
    }
    for (const svc of SERVICES) {
      const p = procs[svc];
      await waitFor(
        async () => {
          if (p.exited) throw new Error(`${svc} exited:\n${p.output.slice(-20).join("\n")}`);
          const r = await fetch(`${p.url}/readyz`).catch(() => undefined);
          return r?.status === 200;
        },
        { timeoutMs: 45_000, what: `${svc} /readyz 200` },
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${p.output.slice(-20).join("\n")}`);
      });
      expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
      // The settings came from the environment: the startup line shows them (secrets masked).
      const starting = p.output.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "starting");
      expect(starting).toMatchObject({ managementKubeconfig: inClusterKubeconfig[svc], natsPassword: "[REDACTED]" });
    }
  }, 90_000); // three Node processes starting at once on a busy 2-core machine

  test("deploy - RBAC: each ClusterRole grants exactly the (verb, group, resource) set its service used in a recorded run", async () => {
    // One event through the pipeline: the applier's template fails, so it writes the EventTrigger's condition
    // and a Warning Event (its only writes in the management cluster).
    // Core NATS is at-most-once: publish once the gateway's subscription for c1 is confirmed.
    await waitForSubscribed({ services: () => [procs.gateway.url] }, "default/c1");
    const nc = await connect({ servers: nats.url, user: PUBLISHER, pass: PUBLISHER_PASSWORD });
    const ce = {
      specversion: "1.0",
      type: "auth.example.com.login",
      source: "auth.example.com",
      id: "deploy-1",
      subject: "someone",
      datacontenttype: "application/json",
      data: { message: "login" },
    };
    nc.publish("user-login", JSON.stringify(ce));
    await nc.flush();
    await nc.close();

    const get = async (svc: Service, ...args: string[]) =>
      JSON.parse((await kubectl(mgmt[svc].kubeconfigPath, join(dir, "cache"), [...args, "-o", "json"])).stdout);
    type Cond = { type: string; status: string };
    const conditions = async (svc: Service, kind: string, name: string): Promise<Cond[]> =>
      (await get(svc, "get", kind, name)).status?.conditions ?? [];
    await waitFor(
      async () =>
        (await conditions("applier", "eventtrigger", "always-fails")).some(
          (c) => c.type === "EventsApplied" && c.status === "False",
        ),
      {
        timeoutMs: 30_000,
        what: "the applier's EventsApplied=False condition",
      },
    );
    await waitFor(
      async () =>
        ((await get("applier", "get", "events", "-n", "default")).items as { involvedObject: { name: string } }[]).some(
          (e) => e.involvedObject.name === "always-fails",
        ),
      { what: "the applier's Warning Event" },
    );
    for (const kind of ["eventsource/user-login", "eventtrigger/always-fails"]) {
      const [k, n] = kind.split("/") as [string, string];
      await waitFor(async () => (await conditions("matcher", k, n)).some((c) => c.type === "Valid"), {
        what: `the matcher's Valid condition on ${kind}`,
      });
    }

    for (const svc of SERVICES) {
      const granted = ruleSet(serviceRules(svc));
      // Requests a quiet run never makes but a real one can: the status writer patches from the watched copy and
      // only GETs the object again after a 409 (someone else changed it in between).
      const used = new Set([...recorded[svc], ...(RARE_PATH_REQUESTS[svc] ?? [])]);
      expect({ svc, usedButNotGranted: [...used].filter((u) => !granted.has(u)).sort() }).toEqual({
        svc,
        usedButNotGranted: [],
      });
      expect({ svc, grantedButUnused: [...granted].filter((g) => !used.has(g)).sort() }).toEqual({
        svc,
        grantedButUnused: [],
      });
    }
  });

  test("deploy - NATS accounts of deploy/nats/nats.conf: the pipeline ran across them and publishers cannot see internal streams", async () => {
    const streamNames = async (user: string, pass: string) => {
      const nc = await connect({ servers: nats.url, user, pass });
      try {
        const r = await nc.request("$JS.API.STREAM.NAMES", "{}", { timeout: 5000 });
        return ((JSON.parse(new TextDecoder().decode(r.data)) as { streams: string[] | null }).streams ?? []).sort();
      } finally {
        await nc.close();
      }
    };
    expect(await streamNames(USER, PASSWORD)).toEqual(expect.arrayContaining(["EVT_DLQ", "EVT_EVENTS", "EVT_MATCHES"]));
    expect(await streamNames(PUBLISHER, PUBLISHER_PASSWORD)).toEqual([]);
  });
});
