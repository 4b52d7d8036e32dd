import { clone, type KubeObject, objectKey } from "../api/types.js";
import { type EventType, WatchHub } from "./watch.js";

/**
 * The object store: one map per resource, a global resourceVersion counter (as etcd's revision), and the
 * watch hub fed by every write. Objects go in and come out as clones, so callers never share state.
 */
export class Store {
  private rv = 0;
  private readonly data = new Map<string, Map<string, KubeObject>>();
  readonly hub: WatchHub;

  constructor(historySize = 10_000) {
    this.hub = new WatchHub(historySize);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get(rkey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.data.get(rkey)?.get(objectKey(namespace, name));
    return o ? clone(o) : undefined;
  }

  /** Objects of a resource, optionally in one namespace, sorted by namespace/name like etcd keys. */
  list(rkey: string, namespace?: string): KubeObject[] {
    const bucket = this.data.get(rkey);
    if (!bucket) return [];
    const keys = [...bucket.keys()].sort();
    const out: KubeObject[] = [];
    for (const k of keys) {
      const o = bucket.get(k)!;
      if (namespace && o.metadata.namespace !== namespace) continue;
      out.push(clone(o));
    }
    return out;
  }

  /** Stores `obj` with a fresh resourceVersion and publishes the event; returns the stored copy. */
  put(rkey: string, obj: KubeObject, type: Exclude<EventType, "DELETED">): KubeObject {
    const rv = ++this.rv;
    const stored = clone(obj);
    stored.metadata.resourceVersion = String(rv);
    let bucket = this.data.get(rkey);
    if (!bucket) {
      bucket = new Map();
      this.data.set(rkey, bucket);
    }
    const key = objectKey(stored.metadata.namespace, stored.metadata.name!);
    const prev = bucket.get(key);
    bucket.set(key, stored);
    this.hub.publish({ type, rkey, rv, object: clone(stored), prev: prev ? clone(prev) : undefined });
    return clone(stored);
  }

  /** Removes an object; the DELETED event carries a new resourceVersion, as the real server's does. */
  remove(rkey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const bucket = this.data.get(rkey);
    const key = objectKey(namespace, name);
    const o = bucket?.get(key);
    if (!bucket || !o) return undefined;
    bucket.delete(key);
    const rv = ++this.rv;
    o.metadata.resourceVersion = String(rv);
    this.hub.publish({ type: "DELETED", rkey, rv, object: clone(o) });
    return clone(o);
  }

  /** Every resource key that holds objects. */
  resourceKeys(): string[] {
    return [...this.data.keys()];
  }

  /** Every resource key that holds objects in `namespace`. */
  resourcesIn(namespace: string): string[] {
    const out: string[] = [];
    for (const [rkey, bucket] of this.data) {
      for (const o of bucket.values()) {
        if (o.metadata.namespace === namespace) {
          out.push(rkey);
          break;
        }
      }
    }
    return out;
  }
}
