import { clone, type KubeObject, objectKey } from "../api/types.js";
import { type EventType, WatchHub } from "./watch.js";

/** One resource's objects, with the indexes reads need so no request scans (or copies) the whole bucket. */
class Bucket {
  readonly objects = new Map<string, KubeObject>();
  /** Keys per namespace ("" = cluster-scoped). */
  readonly byNamespace = new Map<string, Set<string>>();
  /** All keys in etcd order; rebuilt lazily after an insert or a removal. */
  private sorted: string[] | undefined;

  set(key: string, o: KubeObject): void {
    if (!this.objects.has(key)) {
      const ns = o.metadata.namespace ?? "";
      let keys = this.byNamespace.get(ns);
      if (!keys) {
        keys = new Set();
        this.byNamespace.set(ns, keys);
      }
      keys.add(key);
      this.sorted = undefined;
    }
    this.objects.set(key, o);
  }

  delete(key: string, o: KubeObject): void {
    this.objects.delete(key);
    const ns = o.metadata.namespace ?? "";
    const keys = this.byNamespace.get(ns);
    keys?.delete(key);
    if (keys?.size === 0) this.byNamespace.delete(ns);
    this.sorted = undefined;
  }

  keys(namespace?: string): string[] {
    if (namespace) return [...(this.byNamespace.get(namespace) ?? [])].sort();
    this.sorted ??= [...this.objects.keys()].sort();
    return this.sorted;
  }
}

const ownerKey = (rkey: string, key: string) => `${rkey}\n${key}`;

/**
 * The object store: one map per resource, a global resourceVersion counter (as etcd's revision), and the
 * watch hub fed by every write. Stored objects are never mutated once stored (a write replaces them), so
 * watch events and read-only callers share them; `get` and `list` hand out copies for callers that edit.
 */
export class Store {
  private rv = 0;
  private readonly data = new Map<string, Bucket>();
  /** ownerReference uid → dependents ("rkey\nnamespace/name"), for garbage collection without a scan. */
  private readonly dependents = new Map<string, Set<string>>();
  readonly hub: WatchHub;

  constructor(historySize = 10_000) {
    this.hub = new WatchHub(historySize);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** A copy the caller may change. */
  get(rkey: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.peek(rkey, namespace, name);
    return o ? clone(o) : undefined;
  }

  /** The stored object itself: read-only (writes go through put). */
  peek(rkey: string, namespace: string | undefined, name: string): Readonly<KubeObject> | undefined {
    return this.data.get(rkey)?.objects.get(objectKey(namespace, name));
  }

  /** Copies of the objects of a resource, optionally in one namespace, sorted by namespace/name like etcd keys. */
  list(rkey: string, namespace?: string): KubeObject[] {
    return this.scan(rkey, namespace).map((o) => clone(o));
  }

  /** The stored objects themselves (read-only), in `list` order. */
  scan(rkey: string, namespace?: string): readonly Readonly<KubeObject>[] {
    const bucket = this.data.get(rkey);
    if (!bucket) return [];
    return bucket.keys(namespace).map((k) => bucket.objects.get(k)!);
  }

  /**
   * Stores `obj` itself with a fresh resourceVersion and publishes the event; returns it. The store takes
   * `obj` over: neither the caller nor anyone else changes it (or anything in it) afterwards. Writers build
   * a new object per write (unchanged parts may be shared with the previous version, which is immutable too).
   */
  put(rkey: string, obj: KubeObject, type: Exclude<EventType, "DELETED">): Readonly<KubeObject> {
    const rv = ++this.rv;
    const stored = obj;
    stored.metadata.resourceVersion = String(rv);
    let bucket = this.data.get(rkey);
    if (!bucket) {
      bucket = new Bucket();
      this.data.set(rkey, bucket);
    }
    const key = objectKey(stored.metadata.namespace, stored.metadata.name!);
    const prev = bucket.objects.get(key);
    bucket.set(key, stored);
    this.index(rkey, key, prev, stored);
    this.hub.publish({ type, rkey, rv, object: stored, prev });
    return stored;
  }

  /** Removes an object; the DELETED event carries a new resourceVersion, as the real server's does. */
  remove(rkey: string, namespace: string | undefined, name: string): Readonly<KubeObject> | undefined {
    const bucket = this.data.get(rkey);
    const key = objectKey(namespace, name);
    const o = bucket?.objects.get(key);
    if (!bucket || !o) return undefined;
    bucket.delete(key, o);
    this.index(rkey, key, o, undefined);
    const rv = ++this.rv;
    // A new top level: the removed object may still be referenced by events in the watch history.
    const gone: KubeObject = { ...o, metadata: { ...o.metadata, resourceVersion: String(rv) } };
    this.hub.publish({ type: "DELETED", rkey, rv, object: gone });
    return gone;
  }

  /** Resource keys and (read-only) objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string): { rkey: string; object: Readonly<KubeObject> }[] {
    const out: { rkey: string; object: Readonly<KubeObject> }[] = [];
    for (const ref of this.dependents.get(uid) ?? []) {
      const i = ref.indexOf("\n");
      const rkey = ref.slice(0, i);
      const o = this.data.get(rkey)?.objects.get(ref.slice(i + 1));
      if (o) out.push({ rkey, object: o });
    }
    return out;
  }

  /** Every resource key that holds objects. */
  resourceKeys(): string[] {
    return [...this.data.keys()];
  }

  /** Every resource key that holds objects in `namespace`. */
  resourcesIn(namespace: string): string[] {
    const out: string[] = [];
    for (const [rkey, bucket] of this.data) if (bucket.byNamespace.has(namespace)) out.push(rkey);
    return out;
  }

  private index(rkey: string, key: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
    const uids = (o: KubeObject | undefined) =>
      Array.isArray(o?.metadata.ownerReferences)
        ? (o.metadata.ownerReferences as { uid?: unknown }[]).flatMap((r) =>
            typeof r?.uid === "string" ? [r.uid] : [],
          )
        : [];
    const old = uids(before);
    const now = uids(after);
    if (old.length === 0 && now.length === 0) return;
    const ref = ownerKey(rkey, key);
    for (const uid of old) {
      if (now.includes(uid)) continue;
      const set = this.dependents.get(uid);
      set?.delete(ref);
      if (set?.size === 0) this.dependents.delete(uid);
    }
    for (const uid of now) {
      let set = this.dependents.get(uid);
      if (!set) {
        set = new Set();
        this.dependents.set(uid, set);
      }
      set.add(ref);
    }
  }
}
