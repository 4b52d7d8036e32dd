// The in-memory model both config sources feed: raw objects in, validated immutable snapshots and typed
// change events out. A source calls put/remove (or replaceKind after a relist) and then commit().

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
  raw: KubeObject;
  /** Fingerprint without status/resourceVersion/managedFields: status-only updates are not changes. */
  print: string;
  normalized?: KubeObject;
  problems: ValidationProblem[];
}

function fingerprint(o: KubeObject): string {
  const { status: _s, metadata, ...rest } = o;
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = metadata;
  return JSON.stringify({ ...rest, metadata: meta });
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
  private version = 0;

  constructor(private readonly resolveKubeconfig: KubeconfigResolver) {}

  private kindMap(kind: ConfigKind): Map<string, Entry> {
    let m = this.byKind.get(kind);
    if (!m) {
      m = new Map();
      this.byKind.set(kind, m);
    }
    return m;
  }

  /** Adds or replaces one object; the problems' file/doc come from `source`. */
  put(kind: ConfigKind, obj: KubeObject, source: { file?: string; doc?: number } = {}): void {
    const key = objectKey(kind, obj);
    const m = this.kindMap(kind);
    const before = m.get(key);
    const print = fingerprint(obj) + JSON.stringify(source);
    if (before && before.print === print) {
      this.touched.set(`${kind}\u0000${key}`, { kind, key });
      before.raw = obj; // status or resourceVersion only: keep quiet
      if (before.normalized) before.normalized = { ...before.normalized, metadata: obj.metadata, status: obj.status };
      this.cached = undefined;
      return;
    }
    this.touched.set(`${kind}\u0000${key}`, { kind, key });
    if (kind === "SveltosCluster" || kind === "Secret") this.clustersDirty = true;
    const { problems, normalized } = checkObject(obj, source);
    const entry: Entry = { raw: obj, print, problems, normalized: problems.length ? undefined : normalized };
    m.set(key, entry);
    this.cached = undefined;
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
    this.cached = undefined;
    if (kind === "SveltosCluster" || kind === "Secret") this.clustersDirty = true;
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
    else this.extraInvalid.delete(key);
    this.cached = undefined;
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

  snapshot(): ConfigSnapshot {
    if (this.cached) return this.cached;
    const valid = <T extends KubeObject>(kind: ConfigKind): Map<string, T> => {
      const out = new Map<string, T>();
      for (const [k, e] of this.byKind.get(kind) ?? EMPTY) if (e.normalized) out.set(k, e.normalized as T);
      return out;
    };
    const invalid = new Map<string, ValidationProblem[]>(this.extraInvalid);
    for (const [kind, m] of this.byKind) {
      for (const [k, e] of m) if (e.problems.length) invalid.set(`${kind}/${k}`, e.problems);
    }
    const secrets = valid<KubeObject>("Secret");
    const clusters = new Map<string, ClusterEntry>();
    for (const [key, sc] of valid<SveltosCluster>("SveltosCluster")) {
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
    this.cached = Object.freeze({
      eventSources: valid<EventSource>("EventSource"),
      eventTriggers: valid<EventTrigger>("EventTrigger"),
      clusters,
      clusterSets: valid<ClusterSet>("ClusterSet"),
      configMaps: valid<KubeObject>("ConfigMap"),
      secrets,
      invalid,
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
