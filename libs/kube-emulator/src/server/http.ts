import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { encodeBody } from "../api/encode.js";
import type { Ctx } from "../api/target.js";
import { ApiError, errors, KubeEmulatorError } from "../errors.js";
import type { FaultInjector } from "../faults.js";
import type { CommitLog } from "../store/commits.js";
import { serveAdmin } from "./admin.js";
import { authorized } from "./auth.js";
import { type Reply, resolveTarget, serveMeta, serveVerb } from "./handlers.js";
import { route, verbOf } from "./routes.js";

// The HTTP front: authentication, fault injection, the /_emulator admin API, then the API handlers.

export interface HttpOptions {
  host: string;
  port: number;
  token: string;
  ctx: Ctx;
  faults: FaultInjector;
  commits: CommitLog;
  /** Serving certificate and key (PEM); kubectl sends bearer tokens only over TLS. */
  tls: { certPem: string; keyPem: string };
  /** Sees every authenticated resource request (e.g. to derive RBAC rules from a recorded run). */
  onRequest?: (r: RequestRecord) => void;
}

/** One resource request as RBAC sees it: verb, API group, resource and subresource. */
export interface RequestRecord {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  userAgent: string;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const body = encodeBody(reply.body);
  res.writeHead(reply.status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-cache, private",
    ...reply.headers,
  });
  res.end(body);
}

function sendError(res: ServerResponse, err: unknown): void {
  const e = err instanceof ApiError ? err : errors.internal(err instanceof Error ? err.message : String(err));
  const headers: Record<string, string> = {};
  if (e.details?.retryAfterSeconds !== undefined) headers["Retry-After"] = String(e.details.retryAfterSeconds);
  send(res, { status: e.status, body: e.toStatus(), headers });
}

export class ApiHttpServer {
  private server: Server | undefined;
  private readonly watches = new Set<ServerResponse>();
  port: number;

  constructor(private readonly o: HttpOptions) {
    this.port = o.port;
  }

  async listen(): Promise<number> {
    const server = createServer({ cert: this.o.tls.certPem, key: this.o.tls.keyPem }, (req, res) => {
      this.handle(req, res).catch((err) => sendError(res, err));
    });
    // kube-apiserver keeps an idle connection 90 s (its http.Server IdleTimeout, "matches http.DefaultTransport
    // keep-alive timeout"); Node's 5 s default made clients pay a TLS handshake after every pause of a few seconds.
    server.keepAliveTimeout = 90_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err) =>
        reject(
          new KubeEmulatorError("EVT_KUBEEMU_LISTEN", `cannot listen on ${this.o.host}:${this.port}: ${err.message}`, {
            cause: err,
          }),
        ),
      );
      server.listen(this.port, this.o.host, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this.port;
  }

  /** Closes the listener and every connection, watches included (clients see them drop). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const w of this.watches) w.destroy();
    this.watches.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const r = route(url.pathname);
    if (r.kind === "health") {
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
      return;
    }
    if (!authorized(req, this.o.token)) throw errors.unauthorized();
    if (r.kind === "emulator") return send(res, await serveAdmin(req, url, r.rest, this.o));

    const verb = r.kind === "resource" ? verbOf(req.method ?? "GET", r, url.searchParams) : undefined;
    if (r.kind === "resource" && verb && this.o.onRequest) {
      const { group, version, resource, subresource, namespace, name } = r;
      const userAgent = req.headers["user-agent"] ?? "";
      this.o.onRequest({ verb, group, version, resource, subresource, namespace, name, userAgent });
    }
    const fault = this.o.faults.take({
      verb: verb ?? req.method?.toLowerCase(),
      resource: r.kind === "resource" ? r.resource : undefined,
      namespace: r.kind === "resource" ? r.namespace : undefined,
      name: r.kind === "resource" ? r.name : undefined,
      path: url.pathname,
    });
    if (fault) {
      if ("drop" in fault) {
        req.socket.destroy();
        return;
      }
      if ("delayMs" in fault) await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
      else if (fault.status === 429) {
        const after = fault.retryAfterSeconds ?? 1;
        throw new ApiError(
          429,
          "TooManyRequests",
          "the server has received too many requests and has asked us to try again later",
          {
            retryAfterSeconds: after,
          },
        );
      } else throw errors.internal("injected fault");
    }

    if (r.kind !== "resource") {
      if (req.method !== "GET")
        throw errors.notAllowed(`the server does not allow this method on the requested resource`);
      return send(res, serveMeta(this.o.ctx, r, `${this.o.host}:${this.port}`));
    }
    if (!verb) throw errors.notAllowed(`the server does not allow this method on the requested resource`);
    const target = resolveTarget(this.o.ctx, r, url.searchParams, req.headers["user-agent"] ?? "");
    if (verb === "watch") this.watches.add(res);
    const reply = await serveVerb(this.o.ctx, verb, target, req, res, () => this.watches.delete(res));
    if (reply) send(res, reply);
  }
}
