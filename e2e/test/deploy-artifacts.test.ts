// Deployment artifacts checked by construction (no Docker here): Dockerfile, .dockerignore, docker-compose.yml,
// deploy/nats/nats.conf, the k8s/ manifests' internal consistency, and the generated configuration reference.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { findNatsServer, tempDir } from "@evtrigger/testkit";
import { CONFIG_DOC_PATH, configDocs } from "../../scripts/gen-config-docs.js";
import {
  interpolate,
  readRepo,
  repoRoot,
  SERVICES,
  SETTINGS,
  type Service,
  schemaEnv,
  yamlDocs,
} from "./deploy-kit.js";

const run = promisify(execFile);

// ---- Dockerfile -------------------------------------------------------------------------------------------

interface Instr {
  op: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function dockerfile(): Instr[] {
  const text = readRepo("Dockerfile").replace(/\\\n/g, " ");
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const m = /^(\S+)\s+(.*)$/.exec(l)!;
      return { op: m[1]!.toUpperCase(), args: m[2]! };
    });
}

/** The final stage's instructions. */
function runtimeStage(instrs: Instr[]): Instr[] {
  const last = instrs.map((i) => i.op).lastIndexOf("FROM");
  return instrs.slice(last);
}

function globRegex(pattern: string): RegExp {
  const p = pattern.replace(/^\//, "").replace(/\/$/, "");
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (p.startsWith("**/", i)) {
      re += "(?:.*/)?";
      i += 2;
    } else if (p.startsWith("**", i)) {
      re += ".*";
      i += 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether .dockerignore keeps `path` (or one of its parent directories) out of the build context. */
function dockerIgnored(path: string): boolean {
  const patterns = readRepo(".dockerignore")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const parts = path.split("/");
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith("!");
    const re = globRegex(negate ? raw.slice(1) : raw);
    for (let n = 1; n <= parts.length; n++) if (re.test(parts.slice(0, n).join("/"))) ignored = !negate;
  }
  return ignored;
}

/** The workspace packages a package depends on, transitively, by directory. */
function workspaceClosure(dir: string, seen = new Set<string>()): Set<string> {
  const pkg = JSON.parse(readRepo(`${dir}/package.json`)) as { dependencies?: Record<string, string> };
  for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
    if (!range.startsWith("workspace:")) continue;
    const lib = `libs/${name.replace("@evtrigger/", "")}`;
    if (!seen.has(lib)) {
      seen.add(lib);
      workspaceClosure(lib, seen);
    }
  }
  return seen;
}

describe("deploy artifacts", () => {
  const instrs = dockerfile();

  test("deploy - every path the Dockerfile copies from the context exists and is not excluded by .dockerignore", () => {
    const copies = instrs.filter((i) => (i.op === "COPY" || i.op === "ADD") && !/--from=/.test(i.args));
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) {
      const words = c.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      for (const src of words.slice(0, -1)) {
        expect({ src, exists: existsSync(join(repoRoot, src)) }).toEqual({ src, exists: true });
        expect({ src, ignored: dockerIgnored(src) }).toEqual({ src, ignored: false });
      }
    }
    // What the build needs inside the copied directories is in the context, what it must not see is not.
    for (const svc of SERVICES) {
      for (const p of [`services/${svc}/src/main.ts`, `services/${svc}/package.json`, `services/${svc}/tsconfig.json`])
        expect({ p, ignored: dockerIgnored(p) }).toEqual({ p, ignored: false });
    }
    for (const p of ["node_modules", "libs/bus/node_modules", "libs/bus/dist", ".git", "services/gateway/test/x.ts"])
      expect({ p, ignored: dockerIgnored(p) }).toEqual({ p, ignored: true });
  });

  test("deploy - the Dockerfile builds with pinned pnpm and the lockfile, deploys one service, runs it as non-root with a /healthz HEALTHCHECK", () => {
    const all = instrs.map((i) => `${i.op} ${i.args}`).join("\n");
    expect(all).toMatch(/pnpm@\$\{PNPM_VERSION\}/);
    expect(all).toMatch(/ARG PNPM_VERSION=9\.15\.9/);
    expect(all).toMatch(/pnpm install --offline --frozen-lockfile/);
    expect(all).toMatch(/RUN pnpm build/);
    expect(all).toMatch(/pnpm deploy --filter "@evtrigger\/\$\{SERVICE\}" --prod \/out/);
    expect(all).toMatch(/node scripts\/check-deploy-lock\.mjs \/out pnpm-lock\.yaml/);
    const rt = runtimeStage(instrs);
    expect(rt.filter((i) => i.op === "COPY").map((i) => i.args)).toEqual(["--from=build /out /app"]);
    const user = rt.find((i) => i.op === "USER")!.args;
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/); // numeric, not root: runAsNonRoot can verify it
    const health = rt.find((i) => i.op === "HEALTHCHECK")!.args;
    expect(health).toMatch(/"node", "-e", "fetch\(.*\/healthz/);
    const env = Object.fromEntries(
      rt
        .filter((i) => i.op === "ENV")
        .flatMap((i) => i.args.split(/\s+/))
        .map((kv) => kv.split("=") as [string, string]),
    );
    expect(env.EVT_HTTP_HOST).toBe("0.0.0.0");
    expect(rt.find((i) => i.op === "EXPOSE")!.args).toBe(env.EVT_HTTP_PORT);
    expect(rt.find((i) => i.op === "ENTRYPOINT")!.args).toBe('["node", "dist/main.js"]');
    // Image ENV must be settings every service understands.
    for (const svc of SERVICES)
      for (const k of Object.keys(env).filter((k) => k.startsWith("EVT_")))
        expect({ svc, k, known: schemaEnv(svc).has(k) }).toEqual({ svc, k, known: true });
    // SERVICE is declared after the shared install/build layers, so the three images reuse them.
    const build = instrs.slice(0, instrs.map((i) => i.op).lastIndexOf("FROM"));
    const at = (pred: (i: Instr) => boolean) => build.findIndex(pred);
    expect(at((i) => i.op === "ARG" && i.args.startsWith("SERVICE"))).toBeGreaterThan(
      at((i) => i.op === "RUN" && i.args === "pnpm build"),
    );
    // The build only accepts the three services.
    expect(all).toMatch(/case "\$\{SERVICE\}" in gateway\|matcher\|applier\)/);
  });

  test("deploy - pnpm deploy gets compiled code: each service and the workspace libs it uses publish dist/ only", () => {
    for (const svc of SERVICES) {
      const dirs = [`services/${svc}`, ...workspaceClosure(`services/${svc}`)];
      for (const dir of dirs) {
        const pkg = JSON.parse(readRepo(`${dir}/package.json`)) as {
          files?: string[];
          exports?: Record<string, { default?: string }>;
        };
        expect({ dir, files: pkg.files }).toEqual({ dir, files: ["dist"] });
        expect({ dir, main: pkg.exports?.["."]?.default }).toEqual({ dir, main: "./dist/mod.js" });
      }
      expect(JSON.parse(readRepo(`services/${svc}/package.json`)).name).toBe(`@evtrigger/${svc}`);
    }
  });

  test("deploy - check-deploy-lock passes lockfile versions and names the ones pnpm deploy resolved beyond the lockfile", async () => {
    const out = tempDir("evt-deploy-lock-");
    const store = join(out, "node_modules/.pnpm");
    const lock = readRepo("pnpm-lock.yaml");
    const fastify = /^ {2}'?(fastify@[^\s'(:]+)/m.exec(lock.slice(lock.indexOf("\nsnapshots:\n")))![1]!;
    for (const d of ["@evtrigger+bus@file+libs+bus", fastify.replace("/", "+"), "node_modules"])
      mkdirSync(join(store, d), { recursive: true });
    const script = join(repoRoot, "scripts/check-deploy-lock.mjs");
    const ok = await run(process.execPath, [script, out, join(repoRoot, "pnpm-lock.yaml")]);
    expect(ok.stdout).toMatch(/1 packages, all from the lockfile/);
    mkdirSync(join(store, "@nats-io+nats-core@99.0.0_x@1.0.0"), { recursive: true });
    await expect(run(process.execPath, [script, out, join(repoRoot, "pnpm-lock.yaml")])).rejects.toThrow(
      /not in .*pnpm-lock\.yaml: @nats-io\/nats-core@99\.0\.0/,
    );
  });
});

// ---- docker-compose.yml ---------------------------------------------------------------------------------------

interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  profiles?: string[];
  volumes?: string[];
  ports?: string[];
  read_only?: boolean;
  privileged?: boolean;
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
  [k: string]: unknown;
}

describe("deploy compose", () => {
  const [compose] = yamlDocs("docker-compose.yml") as [
    { services: Record<string, ComposeService>; volumes: Record<string, unknown>; "x-unset-settings": object },
  ];
  const services = compose.services;
  const unset = new Set(Object.keys(compose["x-unset-settings"]));
  const replicas = (svc: Service) => [svc, `${svc}-2`];

  test("deploy - compose: every service's environment keys are settings of that service, every other setting is set, the values parse", () => {
    for (const svc of SERVICES) {
      const schema = schemaEnv(svc);
      for (const name of replicas(svc)) {
        const c = services[name]!;
        expect({ name, service: c.build?.args?.SERVICE }).toEqual({ name, service: svc });
        const env = c.environment ?? {};
        const unknown = Object.keys(env).filter((k) => !schema.has(k));
        expect({ name, unknown }).toEqual({ name, unknown: [] });
        const missing = [...schema.keys()].filter((k) => !(k in env) && !unset.has(k));
        expect({ name, missing }).toEqual({ name, missing: [] });
        for (const [k, s] of schema) if (s.required) expect({ name, k, set: k in env }).toEqual({ name, k, set: true });
        for (const k of unset)
          expect({ name, k, leftUnset: !(k in env) && schema.has(k) }).toEqual({ name, k, leftUnset: true });
        const values = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v)]));
        expect(() => SETTINGS[svc].parse(values, [])).not.toThrow();
        expect(values.EVT_HTTP_HOST).toBe("0.0.0.0");
      }
    }
  });

  test("deploy - compose: NATS with JetStream on a volume, k3s privileged, init applies CRDs before the services start, passwords agree", () => {
    const nats = services.nats!;
    expect(nats.volumes).toEqual(
      expect.arrayContaining(["nats-data:/data", "./deploy/nats/nats.conf:/etc/nats/nats.conf:ro"]),
    );
    expect(readRepo("deploy/nats/nats.conf")).toMatch(/store_dir: \/data/);
    expect(services.k3s!.image).toMatch(/^rancher\/k3s:v1\.\d+/);
    expect(services.k3s!.privileged).toBe(true);
    const init = services["k8s-init"]!;
    expect(init.volumes).toEqual(
      expect.arrayContaining(["./k8s/crds:/deploy/crds:ro", "./deploy/compose/config:/config:ro"]),
    );
    expect(init.depends_on?.k3s?.condition).toBe("service_healthy");
    for (const svc of SERVICES)
      for (const name of replicas(svc)) {
        const c = services[name]!;
        expect(c.depends_on).toEqual({
          nats: { condition: "service_healthy" },
          "k8s-init": { condition: "service_completed_successfully" },
        });
        expect(c.read_only).toBe(true);
        expect(c.volumes).toContain("kube:/kube:ro");
        expect(c.environment?.EVT_MANAGEMENT_KUBECONFIG).toBe(`/kube/management.kubeconfig`);
        expect(c.environment?.EVT_NATS_PASSWORD).toBe(nats.environment?.EVT_NATS_PASSWORD);
      }
    expect(init.environment?.SVELTOS_NATS_PASSWORD).toBe(nats.environment?.SVELTOS_NATS_PASSWORD);
    expect(init.volumes).toContain("kube:/kube");
  });

  test("deploy - compose: the ha profile adds exactly one more replica of each service, identical but for published ports", () => {
    const profiled = Object.entries(services).filter(([, c]) => c.profiles);
    expect(profiled.map(([n, c]) => [n, c.profiles])).toEqual([
      ["gateway-2", ["ha"]],
      ["matcher-2", ["ha"]],
      ["applier-2", ["ha"]],
    ]);
    for (const svc of SERVICES) {
      const { ports, ...base } = services[svc]!;
      const { profiles, ...second } = services[`${svc}-2`]!;
      expect(ports?.length).toBe(1);
      expect(profiles).toEqual(["ha"]);
      expect(second).toEqual(base);
    }
  });

  test("deploy - compose: the example config directory passes evtctl validate", async () => {
    const dir = join(repoRoot, "deploy/compose/config");
    const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const ctl = join(repoRoot, "services/ctl/dist/main.js"); // pnpm build first
    const r = await run(process.execPath, [ctl, "validate", ...files.flatMap((f) => ["-f", join(dir, f)])]);
    expect(r.stdout).toMatch(/^ok: \d+ object\(s\)/);
  });

  test("deploy - compose: every bind-mounted path exists and every named volume is declared", () => {
    for (const [name, c] of Object.entries(services))
      for (const v of c.volumes ?? []) {
        const src = v.split(":")[0]!;
        if (src.startsWith("./"))
          expect({ name, src, exists: existsSync(join(repoRoot, src)) }).toEqual({ name, src, exists: true });
        else expect({ name, src, declared: src in compose.volumes }).toEqual({ name, src, declared: true });
      }
  });

  test("deploy - nats-server accepts deploy/nats/nats.conf and the k8s example config with the compose passwords", async () => {
    const env = {
      ...process.env,
      ...Object.fromEntries(Object.entries(services.nats!.environment ?? {}).map(([k, v]) => [k, interpolate(v)])),
    };
    const bin = findNatsServer();
    const r = await run(bin, ["-c", join(repoRoot, "deploy/nats/nats.conf"), "-t"], { env });
    expect(r.stdout + r.stderr).toMatch(/is valid/);
    const cm = yamlDocs("k8s/nats-example.yaml").find((d) => d.kind === "ConfigMap")!;
    const file = join(tempDir("evt-deploy-"), "nats.conf");
    writeFileSync(file, (cm.data as Record<string, string>)["nats.conf"]!);
    const r2 = await run(bin, ["-c", file, "-t"], { env });
    expect(r2.stdout + r2.stderr).toMatch(/is valid/);
    // Without the password the server refuses to start rather than running open.
    const { EVT_NATS_PASSWORD: _, ...noPassword } = env;
    await expect(run(bin, ["-c", join(repoRoot, "deploy/nats/nats.conf"), "-t"], { env: noPassword })).rejects.toThrow(
      /EVT_NATS_PASSWORD/,
    );
  });
});

// ---- k8s/ (static) ----------------------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: manifests are free-form YAML; the assertions spell out the shape
type Obj = Record<string, any>;

describe("deploy k8s manifests", () => {
  test("deploy - kustomization.yaml lists every manifest in k8s/ and every generated CRD", () => {
    const k = yamlDocs("k8s/kustomization.yaml")[0] as { resources: string[] };
    const files = readdirSync(join(repoRoot, "k8s")).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
    const crds = readdirSync(join(repoRoot, "k8s/crds")).map((f) => `crds/${f}`);
    expect([...k.resources].sort()).toEqual([...files, ...crds].sort());
  });

  test("deploy - each Deployment: settings from its schema, probes on /healthz and /readyz, limits, restricted securityContext, matching SA, PDB and metrics Service", () => {
    for (const svc of SERVICES) {
      const docs = yamlDocs(`k8s/${svc}.yaml`) as Obj[];
      const of = (kind: string) => docs.filter((d) => d.kind === kind);
      const [dep] = of("Deployment");
      const pod = dep.spec.template.spec;
      const labels = dep.spec.template.metadata.labels;
      expect(dep.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": `evtrigger-${svc}` });
      expect(labels).toMatchObject(dep.spec.selector.matchLabels);
      expect(pod.serviceAccountName).toBe(of("ServiceAccount")[0].metadata.name);
      expect(of("ClusterRoleBinding")[0].subjects).toEqual([
        { kind: "ServiceAccount", name: pod.serviceAccountName, namespace: "evtrigger" },
      ]);
      expect(of("ClusterRoleBinding")[0].roleRef.name).toBe(of("ClusterRole")[0].metadata.name);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      const [c] = pod.containers;
      expect(pod.containers).toHaveLength(1);
      expect(c.securityContext).toEqual({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(c.volumeMounts).toEqual(expect.arrayContaining([{ name: "tmp", mountPath: "/tmp" }]));
      expect(c.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
      expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
      const env = Object.fromEntries((c.env as Obj[]).map((e) => [e.name, e.value ?? "from-secret"]));
      const schema = schemaEnv(svc);
      expect(Object.keys(env).filter((k) => !schema.has(k))).toEqual([]);
      expect(() => SETTINGS[svc].parse(env, [])).not.toThrow();
      const port = (c.ports as Obj[]).find((p) => p.name === "http");
      expect(String(port?.containerPort)).toBe(env.EVT_HTTP_PORT);
      expect(env.EVT_HTTP_HOST).toBe("0.0.0.0");
      const kubeconfigMount = (c.volumeMounts as Obj[]).find((m) => m.name === "kubeconfig");
      expect(env.EVT_MANAGEMENT_KUBECONFIG).toBe(`${kubeconfigMount?.mountPath}/kubeconfig`);
      expect(Number(env.EVT_SHUTDOWN_TIMEOUT_MS) / 1000).toBeLessThan(pod.terminationGracePeriodSeconds);
      const [pdb] = of("PodDisruptionBudget");
      expect(pdb.apiVersion).toBe("policy/v1");
      expect(pdb.spec.selector.matchLabels).toEqual(dep.spec.selector.matchLabels);
      expect(pdb.spec.minAvailable).toBeLessThan(dep.spec.replicas);
      const [svcObj] = of("Service");
      expect(svcObj.spec.selector).toEqual(dep.spec.selector.matchLabels);
      expect(svcObj.spec.ports).toEqual([{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }]);
    }
  });
});

describe("deploy docs", () => {
  test("deploy - docs/configuration.md is what scripts/gen-config-docs.ts writes from the settings schemas, and README links it", () => {
    const want = configDocs();
    expect(readFileSync(CONFIG_DOC_PATH, "utf8")).toBe(want); // stale? pnpm exec tsx scripts/gen-config-docs.ts
    for (const svc of SERVICES)
      for (const row of SETTINGS[svc].describe()) expect(want).toMatch(new RegExp(`\\| \`${row.env}\` +\\|`));
    expect(readRepo("README.md")).toMatch(/\| `docs\/` +\| `configuration\.md`/);
  });
});
