import type { Registry } from "./registry.js";
import type { ResourceType } from "./types.js";

// Discovery documents in their plain (non-aggregated) form; kubectl accepts these when it asked for the
// aggregated APIGroupDiscoveryList and got application/json back.

export const SERVER_VERSION = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-evtrigger-emulator",
  gitCommit: "0000000000000000000000000000000000000000",
  gitTreeState: "clean",
  buildDate: "2026-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64",
};

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function group(name: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(reg: Registry): Record<string, unknown> {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: reg.groups().map((g) => group(g.name, g.versions)),
  };
}

export function apiGroup(reg: Registry, name: string): Record<string, unknown> | undefined {
  const g = reg.groups().find((x) => x.name === name);
  return g ? { kind: "APIGroup", apiVersion: "v1", ...group(g.name, g.versions) } : undefined;
}

function resource(t: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: VERBS,
  };
  if (t.shortNames.length > 0) main.shortNames = t.shortNames;
  if (t.categories.length > 0) main.categories = t.categories;
  const out = [main];
  if (t.hasStatus)
    out.push({
      name: `${t.plural}/status`,
      singularName: "",
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ["get", "patch", "update"],
    });
  if (t.kind === "Deployment")
    out.push({
      name: `${t.plural}/scale`,
      singularName: "",
      namespaced: true,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    });
  return out;
}

export function apiResourceList(
  reg: Registry,
  groupName: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = reg.inGroupVersion(groupName, version);
  if (types.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: groupName ? `${groupName}/${version}` : version,
    resources: types.flatMap(resource),
  };
}
