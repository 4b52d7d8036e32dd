// Shared helpers for the deployment tests (deploy-*.test.ts): repository files, YAML, the services' settings
// schemas, kubectl with its own cache dir, and RBAC rule sets.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { SERVICE_SETTINGS_SCHEMAS } from "../../scripts/gen-config-docs.js";

const run = promisify(execFile);

export const repoRoot = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");
export const SERVICES = ["gateway", "matcher", "applier"] as const;
export type Service = (typeof SERVICES)[number];
export const SETTINGS = SERVICE_SETTINGS_SCHEMAS;

export const readRepo = (rel: string): string => readFileSync(join(repoRoot, rel), "utf8");

/** Every document of a YAML file (merge keys `<<` resolved, as docker compose does). */
export function yamlDocs(rel: string): Record<string, unknown>[] {
  return parseAllDocuments(readRepo(rel), { merge: true })
    .map((d) => {
      if (d.errors.length) throw new Error(`${rel}: ${d.errors.map((e) => e.message).join("; ")}`);
      return d.toJS() as Record<string, unknown> | null;
    })
    .filter((d): d is Record<string, unknown> => d !== null);
}

/** `${VAR:-default}` → default: the value docker compose uses when VAR is not set. */
export const interpolate = (v: unknown): string => String(v).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, "$1");

/** A docker-compose.yml service's environment as compose resolves it with nothing set on the host. */
export function composeEnv(service: string): Record<string, string> {
  const [compose] = yamlDocs("docker-compose.yml") as [{ services: Record<string, { environment?: object }> }];
  const env = compose.services[service]?.environment;
  if (!env) throw new Error(`docker-compose.yml: service ${service} has no environment`);
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v)]));
}

/** env var → setting spec of one service. */
export function schemaEnv(svc: Service): Map<string, { required?: boolean; name: string }> {
  const rows = SETTINGS[svc].describe();
  return new Map(rows.map((r) => [r.env, { required: r.required, name: r.name }]));
}

export async function kubectl(
  kubeconfig: string,
  cacheDir: string,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args], {
      timeout: 30_000,
      cwd: repoRoot,
    });
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`kubectl ${args.join(" ")} failed: ${e.stderr || e.message}\n${e.stdout ?? ""}`);
  }
}

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

/** RBAC rules as a set of "verb group/resource" (a subresource stays in the resource: "eventtriggers/status"). */
export function ruleSet(rules: PolicyRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules)
    for (const g of r.apiGroups ?? [])
      for (const res of r.resources ?? []) for (const v of r.verbs) out.add(`${v} ${g}/${res}`);
  return out;
}

/** The ClusterRole (and Role) rules of one service's manifest. */
export function serviceRules(svc: Service): PolicyRule[] {
  return yamlDocs(`k8s/${svc}.yaml`)
    .filter((d) => d.kind === "ClusterRole" || d.kind === "Role")
    .flatMap((d) => d.rules as PolicyRule[]);
}
