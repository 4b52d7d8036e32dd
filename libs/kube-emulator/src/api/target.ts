import type { Store } from "../store/store.js";
import { rememberView } from "./encode.js";
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

/**
 * The object with the requested apiVersion/kind on its way out (custom resources are stored once). A new top
 * level sharing everything below it: stored objects go out without a deep copy and are never changed.
 */
export function asVersion<T extends Readonly<KubeObject>>(o: T, target: Target): T {
  const view = { ...o, apiVersion: apiVersionOf(target.t.group, target.version), kind: target.t.kind };
  // Views go out unchanged, so the response encoder may reuse the stored object's JSON (server/encode.ts).
  rememberView(view, o);
  return view;
}

export const nowRfc3339 = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
