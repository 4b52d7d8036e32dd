// The /_emulator admin API, for tests and benchmarks that drive an emulator in another process:
// /_emulator/faults (fault injection) and /_emulator/commits (the commit log, store/commits.ts).
import type { IncomingMessage } from "node:http";
import { errors } from "../errors.js";
import type { FaultInjector } from "../faults.js";
import type { CommitLog } from "../store/commits.js";
import { decodeBody, type Reply, readBody } from "./handlers.js";

export interface AdminDeps {
  faults: FaultInjector;
  commits: CommitLog;
}

const MAX_COMMITS = 10_000_000;

export async function serveAdmin(req: IncomingMessage, url: URL, rest: string[], d: AdminDeps): Promise<Reply> {
  if (rest[0] === "faults") return faultsAdmin(req, rest, d.faults);
  if (rest[0] === "commits" && rest.length === 1) return commitsAdmin(req, url, d.commits);
  throw errors.pathNotFound("_emulator");
}

/** POST/GET/DELETE /_emulator/faults[/id]: arm, list, clear or remove faults. */
async function faultsAdmin(req: IncomingMessage, rest: string[], faults: FaultInjector): Promise<Reply> {
  if (req.method === "GET" && rest.length === 1) return { status: 200, body: { faults: faults.list() } };
  if (req.method === "POST" && rest.length === 1) {
    const spec = decodeBody(await readBody(req), "application/json");
    try {
      return { status: 201, body: { id: faults.inject(spec as never) } };
    } catch (err) {
      throw errors.badRequest((err as Error).message);
    }
  }
  if (req.method === "DELETE" && rest.length === 1) {
    faults.clear();
    return { status: 200, body: { cleared: true } };
  }
  if (req.method === "DELETE" && rest.length === 2) {
    if (!faults.remove(rest[1]!)) throw errors.pathNotFound(`fault ${rest[1]}`);
    return { status: 200, body: { removed: rest[1] } };
  }
  throw errors.notAllowed("unsupported method on /_emulator/faults");
}

/**
 * POST {"resources": ["namespaces"], "max": 100000} starts recording, GET ?after=N reads on from N,
 * DELETE stops and forgets.
 */
async function commitsAdmin(req: IncomingMessage, url: URL, commits: CommitLog): Promise<Reply> {
  if (req.method === "POST") {
    const spec = decodeBody(await readBody(req), "application/json") as { resources?: unknown; max?: unknown };
    const resources = spec?.resources;
    if (!Array.isArray(resources) || !resources.length || !resources.every((r) => typeof r === "string" && r)) {
      throw errors.badRequest('commit log: "resources" must be a non-empty list of resource names (e.g. "namespaces")');
    }
    const max = spec.max ?? 1_000_000;
    if (typeof max !== "number" || !Number.isInteger(max) || max < 1 || max > MAX_COMMITS) {
      throw errors.badRequest(`commit log: "max" must be an integer from 1 to ${MAX_COMMITS}`);
    }
    commits.start(resources as string[], max);
    return { status: 201, body: { recording: resources, max } };
  }
  if (req.method === "GET") {
    const after = Number(url.searchParams.get("after") ?? "0");
    if (!Number.isInteger(after) || after < 0) throw errors.badRequest('commit log: "after" must be an integer ≥ 0');
    return { status: 200, body: commits.read(after) };
  }
  if (req.method === "DELETE") {
    commits.stop();
    return { status: 200, body: { stopped: true } };
  }
  throw errors.notAllowed("unsupported method on /_emulator/commits");
}
