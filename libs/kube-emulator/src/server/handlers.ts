import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from "../api/discovery.js";
import { deleteCollection, deleteObject } from "../api/lifecycle.js";
import { openApiDocument, openApiRoot } from "../api/openapi.js";
import { getObject, listObjects } from "../api/reads.js";
import { getScale, writeScale } from "../api/scale.js";
import { toTable, wantsTable } from "../api/tables.js";
import type { Ctx, Target } from "../api/target.js";
import type { KubeObject } from "../api/types.js";
import { createObject, patchObject, updateObject, type WriteResult } from "../api/writes.js";
import { ApiError, errors } from "../errors.js";
import { decodeK8sProtobuf, isProtobuf } from "./protobuf.js";
import type { ResourceRoute, Route, Verb } from "./routes.js";
import { serveWatch } from "./watchstream.js";

// Answers one authenticated API request whose route is known.

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const MAX_BODY = 8 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, "RequestEntityTooLarge", `the request body is larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  if (isProtobuf(body, contentType)) return decodeK8sProtobuf(body);
  const raw = body.toString("utf8");
  if (raw.trim() === "") return undefined;
  try {
    return contentType?.includes("yaml") ? parseYaml(raw) : JSON.parse(raw);
  } catch (err) {
    throw errors.badRequest(`couldn't decode the request body: ${(err as Error).message}`);
  }
}

/** Discovery, version and OpenAPI: everything that is not an object verb. */
export function serveMeta(ctx: Ctx, r: Route, serverAddress: string): Reply {
  const found = (body: unknown, what: string): Reply => {
    if (body === undefined) throw errors.pathNotFound(what);
    return { status: 200, body };
  };
  switch (r.kind) {
    case "version":
      return { status: 200, body: SERVER_VERSION };
    case "api":
      return { status: 200, body: apiVersions(serverAddress) };
    case "apis":
      return { status: 200, body: apiGroupList(ctx.registry) };
    case "group":
      return found(apiGroup(ctx.registry, r.group), `get ${r.group}`);
    case "resources":
      return found(apiResourceList(ctx.registry, r.group, r.version), `get ${r.group}/${r.version}`);
    case "openapiRoot":
      return { status: 200, body: openApiRoot(ctx.registry) };
    case "openapiDoc":
      return found(openApiDocument(ctx.registry, r.group, r.version), "openapi document");
    case "openapiV2":
      // Not served: kubectl only falls back to v2 when v3 does not satisfy it.
      throw errors.pathNotFound("get /openapi/v2");
    default:
      throw errors.pathNotFound("unknown path");
  }
}

/** Resolves a resource route to a Target, or a 404 Status as the real server words it. */
export function resolveTarget(ctx: Ctx, r: ResourceRoute, query: URLSearchParams, userAgent: string): Target {
  const t = ctx.registry.lookup(r.group, r.version, r.resource);
  if (!t) throw errors.pathNotFound(`${r.resource}${r.group ? `.${r.group}` : ""}`);
  const sub = r.subresource;
  const served =
    (sub === "status" && t.hasStatus) ||
    (sub === "finalize" && t.kind === "Namespace") ||
    (sub === "scale" && t.kind === "Deployment");
  if (sub && !served) throw errors.pathNotFound(`${r.resource}/${r.subresource}`);
  if (t.namespaced === false && r.namespace) throw errors.pathNotFound(`${r.resource} in namespace ${r.namespace}`);
  return {
    t,
    version: r.version,
    namespace: t.namespaced ? r.namespace : undefined,
    name: r.name,
    subresource: r.subresource === "finalize" ? undefined : r.subresource,
    query,
    userAgent,
  };
}

function fromWrite(w: WriteResult): Reply {
  const headers: Record<string, string> = {};
  if (w.warnings.length > 0) headers.Warning = w.warnings.map((m) => `299 - ${JSON.stringify(m)}`).join(", ");
  return { status: w.status, body: w.object, headers };
}

function tableOr(req: IncomingMessage, target: Target, body: Record<string, unknown>, single: boolean): unknown {
  if (!wantsTable(req.headers.accept)) return body;
  const items = single ? [body as KubeObject] : ((body.items ?? []) as KubeObject[]);
  const meta = single
    ? { resourceVersion: (body as KubeObject).metadata.resourceVersion }
    : (body.metadata as Record<string, unknown>);
  return toTable(target.t, items, meta, target.query.get("includeObject"));
}

/** Runs a verb; returns undefined when it took over the response (watch). */
export async function serveVerb(
  ctx: Ctx,
  verb: Verb,
  target: Target,
  req: IncomingMessage,
  res: ServerResponse,
  onWatchEnd: () => void,
): Promise<Reply | undefined> {
  const contentType = req.headers["content-type"] ?? "application/json";
  if (target.subresource === "scale") {
    if (verb === "get") return { status: 200, body: getScale(ctx, target) };
    const body = decodeBody(await readBody(req), contentType);
    if (verb === "update") return fromWrite(writeScale(ctx, target, body));
    if (verb === "patch") return fromWrite(writeScale(ctx, target, body, contentType.split(";")[0]!.trim()));
    throw errors.notAllowed(`${verb} is not supported on deployments/scale`);
  }
  switch (verb) {
    case "get":
      return { status: 200, body: tableOr(req, target, getObject(ctx, target), true) };
    case "list":
      return { status: 200, body: tableOr(req, target, listObjects(ctx, target), false) };
    case "watch":
      serveWatch(ctx, target, res, { table: wantsTable(req.headers.accept), onEnd: onWatchEnd });
      return undefined;
    case "create":
      return fromWrite(createObject(ctx, target, decodeBody(await readBody(req), contentType)));
    case "update":
      return fromWrite(updateObject(ctx, target, decodeBody(await readBody(req), contentType)));
    case "patch":
      return fromWrite(patchObject(ctx, target, (await readBody(req)).toString("utf8"), contentType));
    case "delete": {
      // DeleteOptions may come as protobuf of a kind we do not decode; they only carry preconditions.
      const raw = await readBody(req);
      const r = deleteObject(ctx, target, isProtobuf(raw, contentType) ? undefined : decodeBody(raw, contentType));
      return { status: r.status, body: r.body };
    }
    case "deletecollection":
      return { status: 200, body: deleteCollection(ctx, target) };
  }
}
