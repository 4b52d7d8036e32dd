import type { KubeObject } from "../api/types.js";
import { errors } from "../errors.js";

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: EventType;
  /** Resource key (`plural.group`). */
  rkey: string;
  rv: number;
  object: KubeObject;
  /** The object before a MODIFIED event (lets filtered watches turn it into ADDED or DELETED). */
  prev?: KubeObject;
}

type Listener = (e: StoreEvent) => void;

/**
 * The change log behind watches: a bounded history (so a watch can resume from a resourceVersion) plus
 * live listeners. A resume point older than the history is answered with 410 Gone, as etcd compaction is.
 */
export class WatchHub {
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly goneListeners = new Set<(rkey: string) => void>();
  /** Highest resourceVersion no longer in the history (0 = nothing compacted yet). */
  private compactedRv = 0;

  constructor(private readonly historySize: number) {}

  publish(e: StoreEvent): void {
    this.history.push(e);
    // Trim in batches: shifting one element per write would make every write O(history).
    if (this.history.length > this.historySize + Math.max(64, this.historySize >> 3)) {
      const drop = this.history.length - this.historySize;
      this.compactedRv = this.history[drop - 1]!.rv;
      this.history.splice(0, drop);
    }
    for (const l of this.listeners) l(e);
  }

  /**
   * Subscribes to events with rv > fromRv. Events already in the history are delivered first, synchronously,
   * through `listener`. Throws 410 Gone when the history no longer reaches back to fromRv.
   */
  subscribe(fromRv: number, listener: Listener): () => void {
    if (fromRv < this.compactedRv) {
      throw errors.gone(`too old resource version: ${fromRv} (${this.compactedRv + 1})`);
    }
    for (const e of this.history) if (e.rv > fromRv) listener(e);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A resource stopped being served (its CRD was deleted): its watches end, as the real server's do. */
  resourceGone(rkey: string): void {
    for (const l of this.goneListeners) l(rkey);
  }

  onResourceGone(l: (rkey: string) => void): () => void {
    this.goneListeners.add(l);
    return () => this.goneListeners.delete(l);
  }

  /** Drops all history (tests use it to provoke 410 Gone). */
  compact(upToRv: number): void {
    const keep = this.history.findIndex((e) => e.rv > upToRv);
    this.history.splice(0, keep < 0 ? this.history.length : keep);
    this.compactedRv = Math.max(this.compactedRv, upToRv);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
