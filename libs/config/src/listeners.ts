// Change listeners shared by both stores: a throwing listener never stops the others or the store.
import type { ConfigChange } from "./types.js";

export class ChangeListeners {
  private readonly listeners = new Set<(change: ConfigChange) => void>();

  add(listener: (change: ConfigChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(changes: ConfigChange[], onError: (err: unknown) => void): void {
    for (const change of changes) {
      for (const l of this.listeners) {
        try {
          l(change);
        } catch (err) {
          onError(err);
        }
      }
    }
  }
}
