import { errors } from "../errors.js";

// RFC 6902 JSON Patch, applied to a clone.

interface Op {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function tokens(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw errors.badRequest(`json patch: invalid path "${path}"`);
  return path
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

type Container = Record<string, unknown> | unknown[];

function parent(doc: unknown, path: string): { c: Container; key: string } {
  const ts = tokens(path);
  if (ts.length === 0) throw errors.badRequest("json patch: the root cannot be the target of this operation");
  let cur: unknown = doc;
  for (const t of ts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (cur && typeof cur === "object") cur = (cur as Record<string, unknown>)[t];
    else cur = undefined;
    if (cur === undefined) throw errors.badRequest(`json patch: path "${path}" does not exist`);
  }
  if (!cur || typeof cur !== "object") throw errors.badRequest(`json patch: path "${path}" does not exist`);
  return { c: cur as Container, key: ts[ts.length - 1]! };
}

function read(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const t of tokens(path)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (cur && typeof cur === "object") cur = (cur as Record<string, unknown>)[t];
    else cur = undefined;
    if (cur === undefined) throw errors.badRequest(`json patch: path "${path}" does not exist`);
  }
  return cur;
}

function index(arr: unknown[], key: string, forAdd: boolean): number {
  if (forAdd && key === "-") return arr.length;
  const i = Number(key);
  if (!/^\d+$/.test(key) || i > arr.length || (!forAdd && i === arr.length))
    throw errors.badRequest(`json patch: array index "${key}" out of range`);
  return i;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  if (path === "") return value;
  const { c, key } = parent(doc, path);
  if (Array.isArray(c)) c.splice(index(c, key, true), 0, value);
  else c[key] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const { c, key } = parent(doc, path);
  if (Array.isArray(c)) c.splice(index(c, key, false), 1);
  else {
    if (!(key in c)) throw errors.badRequest(`json patch: path "${path}" does not exist`);
    delete c[key];
  }
  return doc;
}

export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw errors.badRequest("json patch: the patch must be an array of operations");
  let doc: unknown = structuredClone(target);
  for (const raw of patch as Op[]) {
    const op = raw as Op;
    switch (op.op) {
      case "add":
        doc = add(doc, op.path, structuredClone(op.value));
        break;
      case "remove":
        doc = remove(doc, op.path);
        break;
      case "replace":
        read(doc, op.path);
        doc =
          op.path === "" ? structuredClone(op.value) : add(remove(doc, op.path), op.path, structuredClone(op.value));
        break;
      case "move": {
        const v = read(doc, op.from ?? "");
        doc = add(remove(doc, op.from ?? ""), op.path, v);
        break;
      }
      case "copy":
        doc = add(doc, op.path, structuredClone(read(doc, op.from ?? "")));
        break;
      case "test":
        if (JSON.stringify(read(doc, op.path)) !== JSON.stringify(op.value))
          throw errors.invalidPatch(`json patch: test operation failed at "${op.path}"`);
        break;
      default:
        throw errors.badRequest(`json patch: unknown operation "${String(op.op)}"`);
    }
  }
  return doc;
}
