// A small Kubernetes REST client for one cluster: raw requests (so content types, timeouts and Retry-After
// are ours to control), discovery of kind → resource with a cache, and error classification.
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import https from "node:https";
import type { KubeClientConfig } from "@evtrigger/config";
import { Pool } from "undici";
import { ApplierError } from "../errors.js";

/**
 * Time spent waiting on Kubernetes API responses within the current match (benchmarks separate the applier's
 * own overhead from API latency with it).
 */
export const apiWait = new AsyncLocalStorage<{ ms: number }>();

export interface KubeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface ResourceInfo {
  /** e.g. /api/v1 or /apis/apps/v1 */
  base: string;
  plural: string;
  namespaced: boolean;
}

export interface RequestOptions {
  body?: string;
  contentType?: string;
  query?: Record<string, string>;
  timeoutMs?: number;
}

export interface ClusterClient {
  readonly server: string;
  request(method: string, path: string, o?: RequestOptions): Promise<KubeResponse>;
  /** Streams a watch: calls onEvent per event until the returned stop() or the server ends it. */
  watch(path: string, query: Record<string, string>, h: WatchHandlers): { stop(): void };
  resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo>;
  close(): void;
}

export interface WatchHandlers {
  /** The server accepted the watch (initial ADDED events follow). */
  onOpen?: () => void;
  onEvent: (e: WatchEvent) => void;
  /** The watch ended: server closed it, an error, or a non-2xx status. Not called after stop(). */
  onEnd: (err?: unknown) => void;
}

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: {
    metadata?: {
      name?: string;
      namespace?: string;
      resourceVersion?: string;
      uid?: string;
      deletionTimestamp?: string;
      labels?: Record<string, string>;
    };
    [k: string]: unknown;
  };
}

export async function makeClusterClient(
  kc: KubeClientConfig,
  cluster: string,
  defaultTimeoutMs = 10_000,
): Promise<ClusterClient> {
  const current = kc.getCurrentCluster();
  if (!current) {
    throw new ApplierError("EVT_APPLIER_CLUSTER", `cluster ${cluster}: kubeconfig has no current cluster`, {
      terminal: true,
    });
  }
  const server = current.server.replace(/\/+$/, "");
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  const headers = { ...((opts.headers as Record<string, string>) ?? {}) };
  if (opts.auth) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString("base64")}`;
  const isHttps = server.startsWith("https:");
  const tls = {
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
    rejectUnauthorized: current.skipTLSVerify ? false : opts.rejectUnauthorized,
    ...(current.tlsServerName ? { servername: current.tlsServerName } : {}),
  };
  // Requests go through undici: node:https cost the applier ~40% more CPU per request (ClientRequest,
  // IncomingMessage streams, agent bookkeeping), and every match makes at least one. Watches are long-lived
  // streams and stay on node:https with their own agent.
  // Idle connections kept 60 s (undici's default is 4 s): a quiet spell of a few seconds must not cost the next
  // burst a TLS handshake per connection. Below kube-apiserver's 90 s idle timeout, so the client closes first.
  const pool = new Pool(server, { connections: 32, keepAliveTimeout: 60_000, connect: isHttps ? tls : {} });
  const agent = isHttps ? new https.Agent({ keepAlive: true, ...tls }) : new http.Agent({ keepAlive: true });
  const lib = isHttps ? https : http;
  const discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();
  const baseHeaders: Record<string, string> = { ...headers, accept: "application/json" };

  const request = async (method: string, path: string, o: RequestOptions = {}): Promise<KubeResponse> => {
    const meter = apiWait.getStore();
    const t0 = meter ? performance.now() : 0;
    try {
      return await rawRequest(method, path, o);
    } finally {
      if (meter) meter.ms += performance.now() - t0;
    }
  };

  const rawRequest = async (method: string, path: string, o: RequestOptions): Promise<KubeResponse> => {
    const qs = o.query && Object.keys(o.query).length ? `?${new URLSearchParams(o.query)}` : "";
    const timeout = o.timeoutMs ?? defaultTimeoutMs;
    let res: Awaited<ReturnType<Pool["request"]>>;
    let text: string;
    try {
      res = await pool.request({
        method: method as "GET",
        path: path + qs,
        headers:
          o.body === undefined ? baseHeaders : { ...baseHeaders, "content-type": o.contentType ?? "application/json" },
        body: o.body,
        // Keep the connection after a DELETE with a body (DeleteOptions): undici closes it by default for methods
        // that do not expect a payload, which cost a TLS handshake per logout.
        reset: false,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      text = await res.body.text();
    } catch (err) {
      throw transient(cluster, `${method} ${path}`, err);
    }
    // Parsed on first read: a successful DELETE's answer (the whole object) is never looked at.
    let body: unknown;
    let parsed = false;
    return {
      status: res.statusCode,
      headers: res.headers as http.IncomingHttpHeaders,
      get body() {
        if (!parsed) {
          parsed = true;
          body = parseBody(text);
        }
        return body;
      },
    };
  };

  const loadGroup = async (apiVersion: string): Promise<Map<string, ResourceInfo>> => {
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const res = await request("GET", base);
    const out = new Map<string, ResourceInfo>();
    if (res.status === 404) return out;
    if (res.status >= 300) throw classify(cluster, `discovery GET ${base}`, res);
    const list = (res.body as { resources?: { name: string; kind: string; namespaced: boolean }[] }).resources ?? [];
    for (const r of list) {
      if (r.name.includes("/")) continue; // subresources
      out.set(r.kind, { base, plural: r.name, namespaced: r.namespaced });
    }
    return out;
  };

  return {
    server,
    request,
    watch(path, query, h) {
      const qs = new URLSearchParams({ ...query, watch: "1", allowWatchBookmarks: "true" });
      const url = new URL(`${server}${path}?${qs}`);
      let ended = false;
      const end = (err?: unknown) => {
        if (ended) return;
        ended = true;
        h.onEnd(err);
      };
      const req = lib.request(
        url,
        { method: "GET", agent, headers: { ...headers, Accept: "application/json" } },
        (res) => {
          if ((res.statusCode ?? 0) >= 300) {
            res.resume();
            end(new Error(`watch ${path}: HTTP ${res.statusCode}`));
            return;
          }
          h.onOpen?.();
          let buf = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            buf += chunk;
            for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (!line) continue;
              try {
                h.onEvent(JSON.parse(line) as WatchEvent);
              } catch (err) {
                end(err);
                req.destroy();
                return;
              }
            }
          });
          res.on("end", () => end());
          res.on("error", (err) => end(err));
        },
      );
      req.on("error", (err) => end(err));
      req.end();
      return {
        stop() {
          ended = true;
          req.destroy();
        },
      };
    },
    async resourceFor(apiVersion, kind) {
      for (let attempt = 0; attempt < 2; attempt++) {
        let p = discovery.get(apiVersion);
        if (!p) {
          p = loadGroup(apiVersion);
          discovery.set(apiVersion, p);
          p.catch(() => discovery.delete(apiVersion));
        }
        const info = (await p).get(kind);
        if (info) return info;
        // A CRD may have been installed since the last look: refresh once.
        discovery.delete(apiVersion);
      }
      throw new ApplierError(
        "EVT_APPLIER_K8S_UNKNOWN_KIND",
        `cluster ${cluster} has no resource for apiVersion ${apiVersion}, kind ${kind}`,
        { terminal: true },
      );
    },
    close() {
      pool.destroy().catch(() => {});
      agent.destroy();
    },
  };
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text; // non-JSON body (proxy error page): keep the text
  }
}

function transient(cluster: string, what: string, err: unknown): ApplierError {
  return new ApplierError(
    "EVT_APPLIER_K8S_TRANSIENT",
    `cluster ${cluster}: ${what} failed: ${err instanceof Error ? err.message : String(err)}`,
    { terminal: false, cause: err },
  );
}

/** Parses Retry-After (seconds or an HTTP date) into ms. */
export function retryAfterMs(h: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Maps an HTTP failure to a terminal (rejected) or transient (retry) ApplierError. */
export function classify(cluster: string, what: string, res: KubeResponse): ApplierError {
  const status = (res.body as { message?: string } | undefined)?.message;
  const detail = `cluster ${cluster}: ${what}: HTTP ${res.status}${status ? `: ${status}` : ""}`;
  const retryable = res.status === 429 || res.status >= 500 || res.status === 409 || res.status === 0;
  if (retryable) {
    return new ApplierError("EVT_APPLIER_K8S_TRANSIENT", detail, {
      terminal: false,
      retryAfterMs: retryAfterMs(res.headers["retry-after"]),
    });
  }
  return new ApplierError("EVT_APPLIER_K8S_REJECTED", detail, { terminal: true });
}
