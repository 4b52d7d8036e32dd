// URL → what is asked for, following the API server's path layout.

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export interface ResourceRoute {
  kind: "resource";
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Legacy `/watch/` path prefix. */
  watchPath: boolean;
}

export type Route =
  | { kind: "version" }
  | { kind: "health" }
  | { kind: "api" }
  | { kind: "apis" }
  | { kind: "group"; group: string }
  | { kind: "resources"; group: string; version: string }
  | { kind: "openapiRoot" }
  | { kind: "openapiDoc"; group: string; version: string }
  | { kind: "openapiV2" }
  | { kind: "emulator"; rest: string[] }
  | ResourceRoute
  | { kind: "unknown" };

function resourcePath(group: string, version: string, parts: string[]): Route {
  let watchPath = false;
  if (parts[0] === "watch") {
    watchPath = true;
    parts = parts.slice(1);
  }
  if (parts.length === 0) return { kind: "resources", group, version };
  // /namespaces/{ns}/{resource}/... unless it is the namespace's own subresource (status, finalize).
  if (
    parts[0] === "namespaces" &&
    parts.length >= 3 &&
    !(parts.length === 3 && (parts[2] === "status" || parts[2] === "finalize"))
  ) {
    const [, namespace, resource, name, subresource] = parts;
    if (parts.length > 5) return { kind: "unknown" };
    return { kind: "resource", group, version, resource: resource!, namespace, name, subresource, watchPath };
  }
  if (parts.length > 3) return { kind: "unknown" };
  const [resource, name, subresource] = parts;
  return { kind: "resource", group, version, resource: resource!, name, subresource, watchPath };
}

export function route(pathname: string): Route {
  const parts = pathname
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  const [a, b, c] = parts;
  if (a === "version" && parts.length === 1) return { kind: "version" };
  if ((a === "healthz" || a === "readyz" || a === "livez") && parts.length === 1) return { kind: "health" };
  if (a === "_emulator") return { kind: "emulator", rest: parts.slice(1) };
  if (a === "openapi") {
    if (b === "v2") return { kind: "openapiV2" };
    if (b === "v3" && parts.length === 2) return { kind: "openapiRoot" };
    if (b === "v3" && c === "api" && parts.length === 4) return { kind: "openapiDoc", group: "", version: parts[3]! };
    if (b === "v3" && c === "apis" && parts.length === 5)
      return { kind: "openapiDoc", group: parts[3]!, version: parts[4]! };
    return { kind: "unknown" };
  }
  if (a === "api") {
    if (parts.length === 1) return { kind: "api" };
    return resourcePath("", b!, parts.slice(2));
  }
  if (a === "apis") {
    if (parts.length === 1) return { kind: "apis" };
    if (parts.length === 2) return { kind: "group", group: b! };
    return resourcePath(b!, c!, parts.slice(3));
  }
  return { kind: "unknown" };
}

export function verbOf(method: string, r: ResourceRoute, query: URLSearchParams): Verb | undefined {
  const watch = r.watchPath || query.get("watch") === "true" || query.get("watch") === "1";
  switch (method) {
    case "GET":
      if (watch) return "watch";
      return r.name ? "get" : "list";
    case "POST":
      return r.name ? undefined : "create";
    case "PUT":
      return r.name ? "update" : undefined;
    case "PATCH":
      return r.name ? "patch" : undefined;
    case "DELETE":
      return r.name ? "delete" : "deletecollection";
  }
  return undefined;
}
