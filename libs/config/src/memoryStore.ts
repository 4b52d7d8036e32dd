// MemoryConfigStore: a ConfigStore fed by code, for tests and embedding (same validation and change events
// as the real sources). Clusters take their kubeconfig from Secrets, as in Kubernetes, or from `kubeconfigs`.
import { ChangeListeners } from "./listeners.js";
import { ConfigState, kubeconfigFromSecrets } from "./state.js";
import type { ConfigChange, ConfigKind, ConfigObservation, ConfigSnapshot, ConfigStore, KubeObject } from "./types.js";
import { isKnownKind } from "./validate.js";

export class MemoryConfigStore implements ConfigStore {
  /** "ns/name" of a SveltosCluster → kubeconfig YAML text; takes precedence over Secrets. */
  readonly kubeconfigs = new Map<string, string>();
  private readonly state = new ConfigState((c, secrets) => {
    const text = this.kubeconfigs.get(`${c.metadata.namespace ?? "default"}/${c.metadata.name}`);
    return text !== undefined ? { kubeconfig: text } : kubeconfigFromSecrets(c, secrets);
  });
  private readonly listeners = new ChangeListeners();
  private _ready = false;
  private _lastError: Error | undefined;

  get ready(): boolean {
    return this._ready;
  }

  get lastError(): Error | undefined {
    return this._lastError;
  }

  async start(): Promise<void> {
    this._ready = true;
  }

  async close(): Promise<void> {
    this._ready = false;
  }

  snapshot(): ConfigSnapshot {
    return this.state.snapshot();
  }

  onChange(listener: (change: ConfigChange) => void): () => void {
    return this.listeners.add(listener);
  }

  observed(): ConfigObservation {
    return { source: "memory", version: this.state.snapshot().version };
  }

  /** Adds or replaces objects (kinds we do not read are ignored) and emits the resulting changes. */
  apply(...objects: KubeObject[]): ConfigChange[] {
    for (const o of objects) if (isKnownKind(o)) this.state.put(o.kind as ConfigKind, o);
    return this.flush();
  }

  /** `key` is the name, or "ns/name" for SveltosCluster, ConfigMap and Secret. */
  delete(kind: ConfigKind, key: string): ConfigChange[] {
    this.state.remove(kind, key);
    return this.flush();
  }

  /** Call after changing `kubeconfigs`. */
  refresh(): ConfigChange[] {
    this.state.invalidate();
    return this.flush();
  }

  private flush(): ConfigChange[] {
    const changes = this.state.commit();
    this.listeners.emit(changes, (err) => {
      this._lastError = err as Error;
    });
    return changes;
  }
}
