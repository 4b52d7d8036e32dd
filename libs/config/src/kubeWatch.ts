// list+watch of one resource collection with resume: re-watch from the last resourceVersion after a clean
// end, relist after any error (410 Gone, API restart, refused connection) with capped backoff. A relist
// replaces the whole collection, so deletes missed while disconnected are still seen.
import type { KubeApiError, KubeHttp, Query, WatchEvent } from "./kubeHttp.js";
import type { KubeObject } from "./types.js";

export interface ListWatchHandlers {
  /** The complete collection after a (re)list. */
  sync(items: KubeObject[]): void;
  event(type: "ADDED" | "MODIFIED" | "DELETED", obj: KubeObject): void;
  error(err: Error): void;
  /**
   * The resourceVersion reached: after a list (before `sync`), after each event (after `event`) and on bookmarks.
   * Lets the owner say which resourceVersion its state reflects.
   */
  progress?(resourceVersion: string): void;
}

export interface ListWatchOptions {
  path: string;
  apiVersion: string;
  kind: string;
  query?: Query;
  /** Server-side watch timeout (default 240 s); the client gives up after that plus 30 s of silence. */
  watchTimeoutSeconds?: number;
  maxBackoffMs?: number;
}

class WatchStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface KubeList {
  metadata?: { resourceVersion?: string };
  items?: KubeObject[];
}

export class ListWatch {
  private rv: string | undefined;
  private closed = false;
  private readonly abort = new AbortController();
  private firstSync: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly http: KubeHttp,
    private readonly opts: ListWatchOptions,
    private readonly handlers: ListWatchHandlers,
  ) {}

  /** Resolves after the first successful list (a 404, i.e. CRD not installed, counts as an empty list). */
  start(): Promise<void> {
    const synced = new Promise<void>((resolve) => {
      this.firstSync = resolve;
    });
    this.loop = this.run();
    return synced;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort();
    this.wake?.();
    this.firstSync?.();
    await this.loop;
  }

  private fill(o: KubeObject): KubeObject {
    return { ...o, apiVersion: o.apiVersion ?? this.opts.apiVersion, kind: o.kind ?? this.opts.kind };
  }

  private synced(items: KubeObject[]): void {
    this.handlers.sync(items);
    this.firstSync?.();
    this.firstSync = undefined;
  }

  private async run(): Promise<void> {
    let backoff = 50;
    let failures = 0;
    const max = this.opts.maxBackoffMs ?? 2000;
    const timeout = this.opts.watchTimeoutSeconds ?? 240;
    while (!this.closed) {
      try {
        if (this.rv === undefined) {
          const list = await this.http.request<KubeList>("GET", this.opts.path, { query: this.opts.query });
          this.rv = list.metadata?.resourceVersion ?? "";
          this.handlers.progress?.(this.rv);
          this.synced((list.items ?? []).map((o) => this.fill(o)));
        }
        let events = 0;
        const started = Date.now();
        await this.http.watch(
          this.opts.path,
          {
            ...this.opts.query,
            resourceVersion: this.rv || undefined,
            allowWatchBookmarks: true,
            timeoutSeconds: timeout,
          },
          (e: WatchEvent) => {
            if (e.type === "ERROR") {
              // 410 Gone (resume point compacted) or another watch error: the catch below relists.
              const st = e.object as { code?: number; message?: string };
              throw new WatchStatusError(
                st.code ?? 500,
                `watch ${this.opts.path}: ERROR ${st.code ?? "?"} ${st.message ?? ""}`,
              );
            }
            const obj = e.object as unknown as KubeObject;
            const rv = obj.metadata?.resourceVersion;
            if (rv) this.rv = rv;
            events++;
            if (e.type !== "BOOKMARK") this.handlers.event(e.type, this.fill(obj));
            if (rv) this.handlers.progress?.(rv);
          },
          this.abort.signal,
          (timeout + 30) * 1000,
        );
        failures = 0;
        if (events === 0 && Date.now() - started < 100) {
          await this.sleep(backoff); // a server that closes watches at once must not make us spin
          backoff = Math.min(backoff * 2, max);
        } else backoff = 50;
      } catch (err) {
        if (this.closed) break;
        const status = (err as KubeApiError).status ?? (err as { cause?: KubeApiError }).cause?.status;
        if (status === 404 && this.rv === undefined) this.synced([]); // collection not served (yet)
        // Resume from the last resourceVersion after a dropped connection (API restart); relist when the
        // resume point is gone (410), on any other API error, or after repeated failures.
        failures++;
        if (status !== undefined || failures >= 3) this.rv = undefined;
        this.handlers.error(err as Error);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, max);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      t.unref();
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
