// A minimal Kubernetes REST client on node:http(s): JSON requests and line-delimited watch streams,
// authenticated by a KubeClientConfig (certs, tokens, exec plugins). We own the list+watch loop
// (kubeWatch.ts), so we need full control of timeouts and aborts, which client-node's Watch does not give.
import http from "node:http";
import https from "node:https";
import { createInterface } from "node:readline";
import { ConfigError } from "./errors.js";
import type { KubeClientConfig } from "./kubeconfig.js";

export type Query = Record<string, string | number | boolean | undefined>;

/** An API error: `status` is the HTTP status, `reason` the Status object's reason when present. */
export class KubeApiError extends ConfigError {
  readonly status: number;
  readonly reason: string | undefined;
  constructor(status: number, message: string, reason?: string) {
    super("EVT_CONFIG_KUBE", message);
    this.status = status;
    this.reason = reason;
  }
}

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: Record<string, unknown>;
}

export class KubeHttp {
  constructor(
    private readonly kc: KubeClientConfig,
    private readonly requestTimeoutMs = 30_000,
  ) {}

  private async prepare(method: string, path: string, query: Query = {}) {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new ConfigError("EVT_CONFIG_KUBECONFIG", "kubeconfig has no current cluster");
    const url = new URL(cluster.server.replace(/\/$/, "") + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = { method, headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const mod = url.protocol === "https:" ? https : http;
    return { url, opts, mod };
  }

  /** One JSON request; non-2xx becomes a KubeApiError carrying the Status message. */
  async request<T>(
    method: string,
    path: string,
    o: { query?: Query; body?: unknown; contentType?: string } = {},
  ): Promise<T> {
    const { url, opts, mod } = await this.prepare(method, path, o.query);
    const payload = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
    opts.headers = { ...opts.headers, accept: "application/json" };
    if (payload)
      opts.headers = {
        ...opts.headers,
        "content-type": o.contentType ?? "application/json",
        "content-length": payload.length,
      };
    return new Promise<T>((resolve, reject) => {
      const req = mod.request(url, opts, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          if (status >= 200 && status < 300) return resolve(body as T);
          const st = (body ?? {}) as { message?: string; reason?: string };
          reject(
            new KubeApiError(status, `${method} ${path}: ${status} ${st.message ?? text.slice(0, 200)}`, st.reason),
          );
        });
      });
      req.setTimeout(this.requestTimeoutMs, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on("error", (err) =>
        reject(
          err instanceof ConfigError
            ? err
            : new ConfigError("EVT_CONFIG_KUBE", `${method} ${path}: ${err.message}`, { cause: err }),
        ),
      );
      if (payload) req.write(payload);
      req.end();
    });
  }

  /**
   * Streams watch events to `onEvent` until the server ends the stream (resolve), the connection fails
   * (reject) or `signal` aborts (resolve). `idleMs` bounds silence, so a vanished server is noticed.
   */
  async watch(
    path: string,
    query: Query,
    onEvent: (e: WatchEvent) => void,
    signal: AbortSignal,
    idleMs: number,
  ): Promise<void> {
    const { url, opts, mod } = await this.prepare("GET", path, { ...query, watch: "true" });
    opts.headers = { ...opts.headers, accept: "application/json" };
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      const req = mod.request(url, opts, (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let st: { message?: string; reason?: string } = {};
            try {
              st = JSON.parse(text);
            } catch {}
            reject(new KubeApiError(status, `watch ${path}: ${status} ${st.message ?? text.slice(0, 200)}`, st.reason));
          });
          return;
        }
        const lines = createInterface({ input: res });
        lines.on("error", () => {}); // readline re-emits the response's errors; those are handled on `res`
        lines.on("line", (line) => {
          if (!line.trim()) return;
          try {
            onEvent(JSON.parse(line) as WatchEvent);
          } catch (err) {
            req.destroy(err as Error);
          }
        });
        res.on("end", () => resolve());
        res.on("error", (err) => (signal.aborted ? resolve() : reject(err)));
      });
      const onAbort = () => req.destroy();
      signal.addEventListener("abort", onAbort, { once: true });
      req.setTimeout(idleMs, () => req.destroy(new Error(`watch ${path}: no data for ${idleMs} ms`)));
      req.on("error", (err) => (signal.aborted ? resolve() : reject(err)));
      req.on("close", () => {
        signal.removeEventListener("abort", onAbort);
        resolve(); // no-op if already settled
      });
      req.end();
    });
  }
}
