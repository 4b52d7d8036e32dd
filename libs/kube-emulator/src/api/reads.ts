import { errors } from "../errors.js";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "../store/selectors.js";
import { asVersion, type Ctx, rkeyOf, type Target } from "./target.js";
import { apiVersionOf, type KubeObject, objectKey } from "./types.js";

export function getObject(ctx: Ctx, target: Target): Readonly<KubeObject> {
  const o = ctx.store.peek(rkeyOf(target.t), target.namespace, target.name!);
  if (!o) throw errors.notFound({ kind: target.t.kind, group: target.t.group, name: target.name }, target.t.plural);
  return asVersion(o, target);
}

/** The filter list and watch share: namespace, label selector, field selector. */
export function objectFilter(target: Target): (o: Readonly<KubeObject>) => boolean {
  const labels = parseLabelSelector(target.query.get("labelSelector"));
  const fields = parseFieldSelector(target.query.get("fieldSelector"));
  // A watch on an item path (…/configmaps/x?watch=1) sees only that object.
  return (o) =>
    (!target.name || o.metadata.name === target.name) &&
    (!target.namespace || o.metadata.namespace === target.namespace) &&
    matchesLabels(labels, o.metadata.labels) &&
    matchesFields(fields, o);
}

interface ContinueToken {
  rv: number;
  start: string;
}

function decodeContinue(s: string): ContinueToken {
  try {
    const tok = JSON.parse(Buffer.from(s, "base64url").toString()) as ContinueToken;
    if (typeof tok.rv === "number" && typeof tok.start === "string") return tok;
  } catch {
    // fall through to the error below
  }
  throw errors.badRequest(
    "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
  );
}

/** A list, with limit/continue paging in namespace/name order. */
export function listObjects(ctx: Ctx, target: Target): Record<string, unknown> {
  const filter = objectFilter(target);
  // The stored objects themselves: filtered, then sent with a new top level each (asVersion), never copied.
  let items = ctx.store.scan(rkeyOf(target.t), target.namespace).filter(filter);
  const cont = target.query.get("continue");
  let rv = ctx.store.resourceVersion;
  if (cont) {
    const tok = decodeContinue(cont);
    rv = tok.rv;
    items = items.filter((o) => objectKey(o.metadata.namespace, o.metadata.name!) > tok.start);
  }
  const limit = Number(target.query.get("limit") ?? 0);
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (limit > 0 && items.length > limit) {
    const remaining = items.length - limit;
    items = items.slice(0, limit);
    const last = items[items.length - 1]!;
    const tok: ContinueToken = { rv, start: objectKey(last.metadata.namespace, last.metadata.name!) };
    metadata.continue = Buffer.from(JSON.stringify(tok)).toString("base64url");
    metadata.remainingItemCount = remaining;
  }
  return {
    kind: target.t.listKind,
    apiVersion: apiVersionOf(target.t.group, target.version),
    metadata,
    items: items.map((o) => asVersion(o, target)),
  };
}
