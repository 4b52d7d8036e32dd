import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { stringify } from "yaml";

/** A kubeconfig with one cluster, one bearer-token user and one context, all named `name`. */
export function kubeconfigYaml(name: string, server: string, token: string, caPem: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") } }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: "default" } }],
    "current-context": name,
    preferences: {},
  });
}

/** Writes the kubeconfig with owner-only permissions (it holds the token). */
export function writeKubeconfig(path: string, name: string, server: string, token: string, caPem: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigYaml(name, server, token, caPem), { mode: 0o600 });
}
