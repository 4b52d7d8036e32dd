// The commit log: when each change to chosen resources was committed, on the host's monotonic clock
// (process.hrtime, CLOCK_MONOTONIC: the same clock in every process of the machine). A benchmark times
// "published → applied" against it without holding a watch open, whose frames would load the machine it measures.
import type { EventType, WatchHub } from "./watch.js";

export interface Commit {
  type: EventType;
  /** `plural` or `plural.group`, as resources are keyed in the store. */
  resource: string;
  namespace?: string;
  name: string;
  resourceVersion: string;
  /** When the store committed the change: monotonic milliseconds (process.hrtime.bigint() / 1e6). */
  atMs: number;
}

export interface CommitPage {
  commits: Commit[];
  /** Pass as `after` to read on from here. */
  next: number;
  /** True once `max` commits were recorded: later ones are not. */
  full: boolean;
}

export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

export class CommitLog {
  private entries: Commit[] = [];
  private stopListening: (() => void) | undefined;
  private max = 0;

  constructor(
    private readonly hub: WatchHub,
    private readonly currentRv: () => number,
  ) {}

  /** Starts a new recording of changes to `resources` (clears the last one), at most `max` commits. */
  start(resources: string[], max: number): void {
    this.stop();
    const wanted = new Set(resources);
    this.max = max;
    this.stopListening = this.hub.subscribe(this.currentRv(), (e) => {
      if (!wanted.has(e.rkey) || this.entries.length >= this.max) return;
      const { name, namespace } = e.object.metadata;
      const c: Commit = {
        type: e.type,
        resource: e.rkey,
        name: name ?? "",
        resourceVersion: String(e.rv),
        atMs: monotonicMs(),
      };
      if (namespace) c.namespace = namespace;
      this.entries.push(c);
    });
  }

  /** Commits recorded from index `after` on. */
  read(after: number): CommitPage {
    const from = Math.max(0, Math.min(after, this.entries.length));
    return { commits: this.entries.slice(from), next: this.entries.length, full: this.entries.length >= this.max };
  }

  /** Stops recording and forgets what was recorded. */
  stop(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    this.entries = [];
  }
}
