import type { KubeObject } from "../api/types.js";

// JSON of stored objects, made once: a write's response, a GET and every watch that sees the change send
// the same bytes. Stored objects are never changed once stored, so their encoding cannot go stale; the
// views `asVersion` hands out (a new top level over a stored object) are remembered with their source.

interface Encoded {
  apiVersion: unknown;
  kind: unknown;
  json: string;
}

const sources = new WeakMap<object, Readonly<KubeObject>>();
const encoded = new WeakMap<object, Encoded>();

/** Records that `view` is `source` with only apiVersion/kind set (see target.ts asVersion). */
export function rememberView(view: object, source: Readonly<KubeObject>): void {
  sources.set(view, source);
}

/** JSON.stringify(body), from the cache when `body` is a view of a stored object. */
export function encodeBody(body: unknown): string {
  if (typeof body !== "object" || body === null) return JSON.stringify(body);
  const source = sources.get(body);
  if (!source) return JSON.stringify(body);
  const view = body as KubeObject;
  const hit = encoded.get(source);
  // One slot per object: custom resources read at several versions re-encode, still correctly.
  if (hit && hit.apiVersion === view.apiVersion && hit.kind === view.kind) return hit.json;
  const json = JSON.stringify(view);
  encoded.set(source, { apiVersion: view.apiVersion, kind: view.kind, json });
  return json;
}
