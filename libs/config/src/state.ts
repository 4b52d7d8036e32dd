// The in-memory model both config sources feed: raw objects in, validated immutable snapshots and typed
// change events out. A source calls put/remove (or replaceKind after a relist) and then commit().

import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { CowMap } from "./cowMap.js";
import type {
  ClusterEntry,
  ClusterSet,
  ConfigChange,
  ConfigKind,
  ConfigSnapshot,
  EventSource,
  EventTrigger,
  KubeObject,
  SveltosCluster,
  ValidationProblem,
} from "./types.js";
import { checkObject } from "./validate.js";

export const NAMESPACED: ReadonlySet<ConfigKind> = new Set(["SveltosCluster", "ConfigMap", "Secret"]);

export function objectKey(kind: ConfigKind, obj: KubeObject): string {
  return NAMESPACED.has(kind) ? `${obj.metadata.namespace ?? "default"}/${obj.metadata.name}` : obj.metadata.name;
}

/** Resolves a cluster's kubeconfig; differs per source (Secret in the cluster's namespace, or a file). */
export type KubeconfigResolver = (
  cluster: SveltosCluster,
  secrets: ReadonlyMap<string, KubeObject>,
) => { kubeconfig?: string; kubeconfigPath?: string; error?: string };

interface Entry {
  /** apiVersion, kind, metadata and status only: the spec lives in `normalized` (10,000 sources, 10 MB less). */
  raw: KubeObject;
  /** Hash of the object without status/resourceVersion/managedFields: status-only updates are not changes. */
  print: string;
  normalized?: KubeObject;
  problems: ValidationProblem[];
}

function fingerprint(o: KubeObject, source: { file?: string; doc?: number }): string {
  const { status: _s, metadata, ...rest } = o;
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = metadata;
  return createHash("sha1")
    .update(JSON.stringify({ ...rest, metadata: meta }))
    .update(JSON.stringify(source))
    .digest("base64");
}

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** Drops what no consumer reads and can be large: managedFields and kubectl's copy of the whole object. */
function lean(obj: KubeObject): KubeObject {
  const meta = obj.metadata as KubeObject["metadata"] & { managedFields?: unknown };
  if (!meta || (meta.managedFields === undefined && meta.annotations?.[LAST_APPLIED] === undefined)) return obj;
  const { managedFields: _mf, ...metadata } = meta;
  if (metadata.annotations?.[LAST_APPLIED] !== undefined) {
    const { [LAST_APPLIED]: _la, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...obj, metadata };
}

/**
 * One copy of the short strings every object repeats (apiVersion, kind, condition type/status/reason/message,
 * timestamps of the same second): JSON.parse gives each watched object its own, ~300 bytes per object at 10,000
 * EventSources. Bounded: the table starts over when full.
 */
class Interner {
  private table = new Map<string, string>();
  of<T>(s: T): T {
    if (typeof s !== "string" || s.length > 64) return s;
    const hit = this.table.get(s);
    if (hit !== undefined) return hit as T;
    if (this.table.size >= 4096) this.table = new Map();
    this.table.set(s, s);
    return s;
  }
}

function internObject(obj: KubeObject, strings: Interner): void {
  if (Object.isFrozen(obj)) return; // a caller's frozen object: same values, nothing to gain
  obj.apiVersion = strings.of(obj.apiVersion);
  obj.kind = strings.of(obj.kind);
  const meta = obj.metadata as KubeObject["metadata"] & { creationTimestamp?: string };
  if (meta?.creationTimestamp && !Object.isFrozen(meta)) meta.creationTimestamp = strings.of(meta.creationTimestamp);
  const conditions = (obj.status as { conditions?: unknown } | undefined)?.conditions;
  if (!Array.isArray(conditions)) return;
  for (const c of conditions as Record<string, unknown>[]) {
    if (!c || typeof c !== "object" || Object.isFrozen(c)) continue;
    for (const f of ["type", "status", "reason", "message", "lastTransitionTime"]) c[f] = strings.of(c[f]);
  }
}

/** The validated copy shares metadata and status with the raw object when validation left them unchanged. */
function shareWithRaw(normalized: KubeObject, raw: KubeObject): KubeObject {
  if (normalized.apiVersion === raw.apiVersion) normalized.apiVersion = raw.apiVersion;
  if (normalized.kind === raw.kind) normalized.kind = raw.kind;
  if (isDeepStrictEqual(normalized.metadata, raw.metadata)) normalized.metadata = raw.metadata;
  if (isDeepStrictEqual(normalized.status, raw.status)) normalized.status = raw.status;
  return normalized;
}

function rawOf(obj: KubeObject): KubeObject {
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata, status: obj.status } as KubeObject;
}

const EMPTY = new Map();

export class ConfigState {
  private readonly byKind = new Map<ConfigKind, Map<string, Entry>>();
  private readonly extraInvalid = new Map<string, ValidationProblem[]>();
  private clusterPrints = new Map<string, string>();
  private pending: ConfigChange[] = [];
  /** Cluster entries derive from SveltosClusters, Secrets and (directory) kubeconfig files. */
  private clustersDirty = true;
  private touched = new Map<string, { kind: ConfigKind; key: string }>();
  private cached: ConfigSnapshot | undefined;
  /**
   * Per-kind valid maps and the invalid map, copy-on-write: a snapshot freezes them in O(1), and a write after a
   * snapshot copies one shard, not the map. Snapshots stay immutable and share everything that did not change.
   */
  private readonly validCache = new Map<ConfigKind, CowMap<KubeObject>>();
  private invalidCache: CowMap<ValidationProblem[]> | undefined;
  private clustersCache: Map<string, ClusterEntry> | undefined;
  private version = 0;
  private readonly strings = new Interner();

  constructor(private readonly resolveKubeconfig: KubeconfigResolver) {}

  /** Records the new state of one object in the caches that depend on it. */
  private changed(kind: ConfigKind, key: string, entry: Entry | undefined, before: Entry | undefined): void {
    this.cached = undefined;
    const v = this.validCache.get(kind);
    if (v) {
      if (entry?.normalized) v.set(key, entry.normalized);
      else v.delete(key);
    }
    const hadProblems = (before?.problems.length ?? 0) > 0;
    const hasProblems = (entry?.problems.length ?? 0) > 0;
    if (this.invalidCache && (hadProblems || hasProblems)) {
      if (hasProblems) this.invalidCache.set(`${kind}/${key}`, entry!.problems);
      else this.invalidCache.delete(`${kind}/${key}`);
    }
    if (kind === "SveltosCluster" || kind === "Secret") {
      this.clustersDirty = true;
      this.clustersCache = undefined;
    }
  }

  private kindMap(kind: ConfigKind): Map<string, Entry> {
    let m = this.byKind.get(kind);
    if (!m) {
      m = new Map();
      this.byKind.set(kind, m);
    }
    return m;
  }

  /** Adds or replaces one object; the problems' file/doc come from `source`. */
  put(kind: ConfigKind, input: KubeObject, source: { file?: string; doc?: number } = {}): void {
    const obj = lean(input);
    internObject(obj, this.strings);
    const key = objectKey(kind, obj);
    const m = this.kindMap(kind);
    const before = m.get(key);
    const print = fingerprint(obj, source);
    if (before && before.print === print) {
      this.touched.set(`${kind}\u0000${key}`, { kind, key });
      before.raw = rawOf(obj); // status or resourceVersion only: keep quiet
      if (before.normalized) {
        before.normalized = { ...before.normalized, metadata: obj.metadata, status: obj.status };
        this.changed(kind, key, before, before);
      }
      return;
    }
    this.touched.set(`${kind}\u0000${key}`, { kind, key });
    const { problems, normalized } = checkObject(obj, source);
    const entry: Entry = {
      raw: rawOf(obj),
      print,
      problems,
      normalized: problems.length ? undefined : shareWithRaw(normalized, obj),
    };
    m.set(key, entry);
    this.changed(kind, key, entry, before);
    const wasValid = before?.normalized !== undefined;
    if (entry.normalized)
      this.pending.push({ type: wasValid ? "modified" : "added", kind, key, object: entry.normalized });
    else if (wasValid) this.pending.push({ type: "deleted", kind, key });
  }

  remove(kind: ConfigKind, key: string): void {
    const m = this.kindMap(kind);
    const before = m.get(key);
    if (!before) return;
    m.delete(key);
    this.changed(kind, key, undefined, before);
    if (before.normalized) this.pending.push({ type: "deleted", kind, key, object: before.normalized });
  }

  /** After a (re)list: the given objects are the whole truth for `kind`; others are removed. */
  replaceKind(kind: ConfigKind, objects: KubeObject[]): void {
    const keep = new Set(objects.map((o) => objectKey(kind, o)));
    for (const key of [...this.kindMap(kind).keys()]) if (!keep.has(key)) this.remove(kind, key);
    for (const o of objects) this.put(kind, o);
  }

  /** Problems not tied to one object (a broken YAML file), under a key like "YAML/file.yaml". */
  setExtraInvalid(key: string, problems: ValidationProblem[] | undefined): void {
    if (problems?.length) this.extraInvalid.set(key, problems);
    else if (!this.extraInvalid.delete(key)) return;
    this.cached = undefined;
    if (this.invalidCache) {
      if (problems?.length) this.invalidCache.set(key, problems);
      else this.invalidCache.delete(key);
    }
  }

  /** Objects put since the last call (status write-back looks at these). */
  drainTouched(): { kind: ConfigKind; key: string }[] {
    const out = [...this.touched.values()];
    this.touched.clear();
    return out;
  }

  /** The object as last received, valid or not. */
  rawObject(kind: ConfigKind, key: string): KubeObject | undefined {
    return this.byKind.get(kind)?.get(key)?.raw;
  }

  /** Forgets the cached snapshot (derived data such as kubeconfig files may have changed). */
  invalidate(): void {
    this.cached = undefined;
    this.clustersDirty = true;
    this.clustersCache = undefined;
  }

  validObject(kind: ConfigKind, key: string): KubeObject | undefined {
    return this.byKind.get(kind)?.get(key)?.normalized;
  }

  problemsOf(kind: ConfigKind, key: string): ValidationProblem[] | undefined {
    return this.byKind.get(kind)?.get(key)?.problems;
  }

  /** Recomputes derived cluster entries and returns the changes since the last commit. */
  commit(): ConfigChange[] {
    if (this.clustersDirty) this.diffClusters();
    const out = this.pending;
    this.pending = [];
    if (out.length) {
      this.version++;
      this.cached = undefined;
    }
    return out;
  }

  private diffClusters(): void {
    this.clustersDirty = false;
    const snap = this.snapshot();
    const prints = new Map<string, string>();
    for (const [key, c] of snap.clusters) {
      const p = JSON.stringify([c.labels, c.kubeconfig, c.kubeconfigPath, c.kubeconfigError]);
      prints.set(key, p);
      const old = this.clusterPrints.get(key);
      const alreadyReported = this.pending.some((ch) => ch.kind === "SveltosCluster" && ch.key === key);
      if (old !== undefined && old !== p && !alreadyReported) {
        this.pending.push({ type: "modified", kind: "SveltosCluster", key, object: c.object });
      }
    }
    this.clusterPrints = prints;
  }

  /** The valid map of a kind, frozen (callers hand it out in a snapshot). */
  private valid<T extends KubeObject>(kind: ConfigKind): ReadonlyMap<string, T> {
    let v = this.validCache.get(kind);
    if (!v) {
      v = new CowMap();
      for (const [k, e] of this.byKind.get(kind) ?? EMPTY) if (e.normalized) v.set(k, e.normalized);
      this.validCache.set(kind, v);
    }
    return v.freeze() as ReadonlyMap<string, T>;
  }

  private invalid(): ReadonlyMap<string, ValidationProblem[]> {
    if (!this.invalidCache) {
      const map = new CowMap(this.extraInvalid);
      for (const [kind, m] of this.byKind) {
        for (const [k, e] of m) if (e.problems.length) map.set(`${kind}/${k}`, e.problems);
      }
      this.invalidCache = map;
    }
    return this.invalidCache.freeze();
  }

  private clusters(): Map<string, ClusterEntry> {
    if (this.clustersCache) return this.clustersCache;
    const secrets = this.valid<KubeObject>("Secret");
    const clusters = new Map<string, ClusterEntry>();
    for (const [key, sc] of this.valid<SveltosCluster>("SveltosCluster")) {
      const r = this.resolveKubeconfig(sc, secrets);
      clusters.set(key, {
        key,
        namespace: sc.metadata.namespace ?? "default",
        name: sc.metadata.name,
        kind: "SveltosCluster",
        labels: { ...(sc.metadata.labels ?? {}) },
        kubeconfig: r.kubeconfig,
        kubeconfigPath: r.kubeconfigPath,
        kubeconfigError: r.error,
        object: sc,
      });
    }
    this.clustersCache = clusters;
    return clusters;
  }

  /** An immutable view; maps of kinds that did not change are shared between successive snapshots. */
  snapshot(): ConfigSnapshot {
    if (this.cached) return this.cached;
    this.cached = Object.freeze({
      eventSources: this.valid<EventSource>("EventSource"),
      eventTriggers: this.valid<EventTrigger>("EventTrigger"),
      clusters: this.clusters(),
      clusterSets: this.valid<ClusterSet>("ClusterSet"),
      configMaps: this.valid<KubeObject>("ConfigMap"),
      secrets: this.valid<KubeObject>("Secret"),
      invalid: this.invalid(),
      version: this.version,
    });
    return this.cached;
  }
}

/** Sveltos' rule (libsveltos clusterproxy): Secret spec.kubeconfigName or `<name>-sveltos-kubeconfig`. */
export function kubeconfigFromSecrets(cluster: SveltosCluster, secrets: ReadonlyMap<string, KubeObject>) {
  const ns = cluster.metadata.namespace ?? "default";
  const secretName = cluster.spec?.kubeconfigName || `${cluster.metadata.name}-sveltos-kubeconfig`;
  const secret = secrets.get(`${ns}/${secretName}`);
  if (!secret) return { error: `Secret ${ns}/${secretName} not found` };
  const data = (secret.data ?? {}) as Record<string, string>;
  const wanted = cluster.spec?.kubeconfigKeyName;
  // Sveltos takes the named key, else any key; we prefer the conventional names for determinism.
  const key = wanted || ["kubeconfig", "value"].find((k) => k in data) || Object.keys(data).sort()[0];
  if (!key || data[key] === undefined) {
    return { error: `Secret ${ns}/${secretName} has no ${wanted ? `key ${wanted}` : "data"}` };
  }
  return { kubeconfig: Buffer.from(data[key], "base64").toString("utf8") };
}
