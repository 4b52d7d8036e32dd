// KubeConfigStore: the management cluster as config source. One list+watch per kind; EventSource and
// EventTrigger get a `Valid` status condition saying whether (and why not) their spec was accepted.
import { hostname } from "node:os";
import { ConfigError } from "./errors.js";
import { type KubeClientConfig, KubeConfig } from "./kubeconfig.js";
import { KubeHttp } from "./kubeHttp.js";
import { ListWatch } from "./kubeWatch.js";
import { ChangeListeners } from "./listeners.js";
import { API_VERSION } from "./schemas/common.js";
import { ConfigState, kubeconfigFromSecrets, objectKey } from "./state.js";
import { conditionFor, StatusWriter } from "./statusWriter.js";
import type {
  Condition,
  ConfigChange,
  ConfigKind,
  ConfigObservation,
  ConfigSnapshot,
  ConfigStore,
  KubeObject,
} from "./types.js";

export interface KubeConfigStoreOptions {
  /** Path of a kubeconfig file; else `kubeConfig`; else the default ($KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfigPath?: string;
  kubeConfig?: KubeClientConfig;
  /** Restricts namespaced kinds (SveltosCluster, ConfigMap, Secret) to one namespace. */
  namespace?: string;
  /** Write the Valid condition on EventSources/EventTriggers (default true). */
  writeStatus?: boolean;
  /**
   * Kinds to watch (default all). A service that needs only clusters (the gateway) should not hold 10,000
   * EventSources in memory.
   */
  kinds?: readonly ConfigKind[];
}

interface Resource {
  kind: ConfigKind;
  apiVersion: string;
  path: (ns?: string) => string;
  namespaced: boolean;
}

const crd = (kind: ConfigKind, plural: string, namespaced: boolean): Resource => ({
  kind,
  apiVersion: API_VERSION,
  namespaced,
  path: (ns) => `/apis/${API_VERSION}${ns && namespaced ? `/namespaces/${ns}` : ""}/${plural}`,
});
const core = (kind: ConfigKind, plural: string): Resource => ({
  kind,
  apiVersion: "v1",
  namespaced: true,
  path: (ns) => `/api/v1${ns ? `/namespaces/${ns}` : ""}/${plural}`,
});

export const WATCHED: readonly Resource[] = [
  crd("EventSource", "eventsources", false),
  crd("EventTrigger", "eventtriggers", false),
  crd("SveltosCluster", "sveltosclusters", true),
  crd("ClusterSet", "clustersets", false),
  core("ConfigMap", "configmaps"),
  core("Secret", "secrets"),
];

export function resourceOf(kind: ConfigKind): Resource {
  const r = WATCHED.find((w) => w.kind === kind);
  if (!r) throw new ConfigError("EVT_CONFIG_INVALID", `kind ${kind} is not watched`);
  return r;
}

export function loadKubeConfig(opts: { kubeconfigPath?: string; kubeConfig?: KubeClientConfig }): KubeClientConfig {
  if (opts.kubeConfig) return opts.kubeConfig;
  const kc = new KubeConfig();
  try {
    if (opts.kubeconfigPath) kc.loadFromFile(opts.kubeconfigPath);
    else kc.loadFromDefault();
  } catch (err) {
    throw new ConfigError(
      "EVT_CONFIG_KUBECONFIG",
      `cannot load kubeconfig ${opts.kubeconfigPath ?? "(default)"}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return kc;
}

export class KubeConfigStore implements ConfigStore {
  readonly http: KubeHttp;
  private readonly state = new ConfigState(kubeconfigFromSecrets);
  private readonly listeners = new ChangeListeners();
  private readonly watches: ListWatch[] = [];
  private readonly status: StatusWriter;
  private readonly writeStatus: boolean;
  private readonly namespace: string | undefined;
  private readonly kinds: readonly ConfigKind[] | undefined;
  private _ready = false;
  private _lastError: Error | undefined;
  private closed = false;
  private flushing: NodeJS.Immediate | undefined;
  /** Per kind: the resourceVersion reached by the watch, and the one whose changes are committed (observed()). */
  private readonly reachedRv = new Map<ConfigKind, string>();
  private readonly committedRv = new Map<ConfigKind, string>();

  constructor(opts: KubeConfigStoreOptions = {}) {
    this.http = new KubeHttp(loadKubeConfig(opts));
    this.namespace = opts.namespace;
    this.kinds = opts.kinds;
    this.writeStatus = opts.writeStatus ?? true;
    this.status = new StatusWriter(this.http, (err) => {
      this._lastError = err;
    });
  }

  get ready(): boolean {
    return this._ready;
  }

  get lastError(): Error | undefined {
    return this._lastError;
  }

  async start(): Promise<void> {
    if (this.closed) throw new ConfigError("EVT_CONFIG_CLOSED", "KubeConfigStore is closed");
    const starts = WATCHED.filter((r) => !this.kinds || this.kinds.includes(r.kind)).map((r) => {
      this.committedRv.set(r.kind, "");
      const w = new ListWatch(
        this.http,
        { path: r.path(this.namespace), apiVersion: r.apiVersion, kind: r.kind },
        {
          sync: (items) => {
            this.state.replaceKind(r.kind, items);
            this.flush();
          },
          event: (type, obj) => {
            if (type === "DELETED") this.state.remove(r.kind, objectKey(r.kind, obj));
            else this.state.put(r.kind, obj);
            this.flushSoon();
          },
          error: (err) => {
            this._lastError = err;
          },
          progress: (rv) => {
            this.reachedRv.set(r.kind, rv);
            this.flushSoon(); // a bookmark has no change to commit but still moves observed()
          },
        },
      );
      this.watches.push(w);
      return w.start();
    });
    await Promise.all(starts);
    this._ready = !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.flushing) clearImmediate(this.flushing);
    this._ready = false;
    await Promise.all(this.watches.map((w) => w.close()));
    await this.status.close();
  }

  snapshot(): ConfigSnapshot {
    return this.state.snapshot();
  }

  onChange(listener: (change: ConfigChange) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Per watched kind, the resourceVersion the snapshot (and every change listener) has caught up with. */
  observed(): ConfigObservation {
    return {
      source: "kubernetes",
      version: this.state.snapshot().version,
      kinds: Object.fromEntries(this.committedRv),
    };
  }

  /** Sets one condition in `status.conditions` through the status subresource (merge by type). */
  async setCondition(kind: ConfigKind, name: string, condition: Condition, namespace?: string): Promise<void> {
    await this.status.setCondition(resourceOf(kind).path(namespace), name, condition);
  }

  /** Creates a core/v1 Event about `involved` (cluster-scoped objects get their Events in "default"). */
  async recordEvent(
    involved:
      | KubeObject
      | { apiVersion?: string; kind: string; metadata: { name: string; namespace?: string; uid?: string } },
    reason: string,
    message: string,
    type: "Normal" | "Warning" = "Normal",
  ): Promise<void> {
    const ns = involved.metadata.namespace ?? "default";
    const now = new Date().toISOString();
    const name = `${involved.metadata.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`;
    await this.http.request("POST", `/api/v1/namespaces/${ns}/events`, {
      body: {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace: ns },
        involvedObject: {
          apiVersion: involved.apiVersion,
          kind: involved.kind,
          name: involved.metadata.name,
          namespace: involved.metadata.namespace,
          uid: involved.metadata.uid,
        },
        reason,
        message: message.length > 1024 ? `${message.slice(0, 1021)}...` : message,
        type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: "evtrigger" },
        reportingComponent: "evtrigger",
        reportingInstance: hostname(),
      },
    });
  }

  /**
   * Watch events that arrive together are committed together: listeners typically take a snapshot per change,
   * and each snapshot after a write copies that kind's map, so a burst of 10,000 EventSources committed one by
   * one made O(n²) garbage (heap and RSS spikes in every service).
   */
  private flushSoon(): void {
    this.flushing ??= setImmediate(() => {
      this.flushing = undefined;
      this.flush();
    });
  }

  private flush(): void {
    if (this.flushing) {
      clearImmediate(this.flushing);
      this.flushing = undefined;
    }
    const changes = this.state.commit();
    this.listeners.emit(changes, (err) => {
      this._lastError = err as Error;
    });
    for (const [kind, rv] of this.reachedRv) this.committedRv.set(kind, rv);
    this.reachedRv.clear();
    if (this.writeStatus) this.syncConditions();
  }

  /** Brings the Valid condition of every touched EventSource/EventTrigger up to date. */
  private syncConditions(): void {
    for (const { kind, key } of this.state.drainTouched()) {
      if (kind !== "EventSource" && kind !== "EventTrigger") continue;
      const raw = this.state.rawObject(kind, key);
      if (!raw) continue;
      const wanted = conditionFor(raw, this.state.problemsOf(kind, key) ?? []);
      if (wanted) this.status.enqueue(resourceOf(kind).path(), key, wanted, raw);
    }
  }
}
