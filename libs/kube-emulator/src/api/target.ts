import type { Store } from "../store/store.js";
import type { Registry } from "./registry.js";
import { apiVersionOf, type KubeObject, type ResourceType, resourceKey } from "./types.js";

/** What every verb works with: the cluster state. */
export interface Ctx {
  store: Store;
  registry: Registry;
}

/** One resolved request: which resource (at which version), where, and its query parameters. */
export interface Target {
  t: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  userAgent: string;
}

export const rkeyOf = (t: ResourceType) => resourceKey(t.group, t.plural);

/** Stamps the requested apiVersion/kind on an object on its way out (custom resources are stored once). */
export function asVersion<T extends KubeObject>(o: T, target: Target): T {
  const r = o as KubeObject;
  r.apiVersion = apiVersionOf(target.t.group, target.version);
  r.kind = target.t.kind;
  return o;
}

export const nowRfc3339 = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
