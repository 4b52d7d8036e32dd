// Where the gateway learns which clusters exist and what their sveltos-nats Secret says. The production
// implementation adapts libs/config's ClusterRegistry; MemoryClusterSource serves tests, benches and the demo.
import { createHash } from "node:crypto";
import type { ClusterRef } from "@evtrigger/bus";
import type { ConfigProblem } from "./natsconfig.js";

export interface NatsConfigResult {
  /** The Secret value (parsed JSON, or JSON text); absent when the Secret or key is missing or unreadable. */
  config?: unknown;
  problems: ConfigProblem[];
  /** Hash of the Secret value; null when absent. A different hash means "reconnect with the new config". */
  hash: string | null;
  /** The Secret's resourceVersion, when the source knows it (reported in status for "is this Secret live?"). */
  resourceVersion?: string;
}

export interface ClusterNatsSource {
  clusters(): ClusterRef[];
  onClustersChanged(cb: () => void): () => void;
  natsConfig(cluster: ClusterRef): Promise<NatsConfigResult>;
  watchNatsConfig(cluster: ClusterRef, cb: (r: NatsConfigResult) => void): () => void;
}

export const clusterKey = (c: ClusterRef): string => `${c.namespace}/${c.name}`;

/** In-memory clusters and Secrets: `set` plays the role of editing the managed cluster's Secret. */
export class MemoryClusterSource implements ClusterNatsSource {
  private readonly entries = new Map<string, { ref: ClusterRef; value?: string }>();
  private readonly clusterListeners = new Set<() => void>();
  private readonly configListeners = new Map<string, Set<(r: NatsConfigResult) => void>>();

  clusters(): ClusterRef[] {
    return [...this.entries.values()].map((e) => e.ref);
  }

  onClustersChanged(cb: () => void): () => void {
    this.clusterListeners.add(cb);
    return () => this.clusterListeners.delete(cb);
  }

  async natsConfig(cluster: ClusterRef): Promise<NatsConfigResult> {
    return this.result(clusterKey(cluster));
  }

  watchNatsConfig(cluster: ClusterRef, cb: (r: NatsConfigResult) => void): () => void {
    const key = clusterKey(cluster);
    let set = this.configListeners.get(key);
    if (!set) {
      set = new Set();
      this.configListeners.set(key, set);
    }
    set.add(cb);
    return () => set.delete(cb);
  }

  /** Adds or updates a cluster; `secret` is the sveltos-nats value (object or JSON text), undefined = no Secret. */
  set(cluster: ClusterRef, secret?: unknown): void {
    const key = clusterKey(cluster);
    const isNew = !this.entries.has(key);
    const value = secret === undefined ? undefined : typeof secret === "string" ? secret : JSON.stringify(secret);
    this.entries.set(key, { ref: cluster, value });
    if (isNew) for (const cb of this.clusterListeners) cb();
    else for (const cb of this.configListeners.get(key) ?? []) cb(this.result(key));
  }

  remove(cluster: ClusterRef): void {
    if (this.entries.delete(clusterKey(cluster))) for (const cb of this.clusterListeners) cb();
  }

  private result(key: string): NatsConfigResult {
    const value = this.entries.get(key)?.value;
    if (value === undefined) return { problems: [], hash: null };
    return { config: value, problems: [], hash: createHash("sha256").update(value).digest("hex") };
  }
}
