import type { ServerResponse } from "node:http";
import { encodeBody } from "../api/encode.js";
import { objectFilter } from "../api/reads.js";
import { toTable } from "../api/tables.js";
import { asVersion, type Ctx, rkeyOf, type Target } from "../api/target.js";
import { apiVersionOf, type KubeObject } from "../api/types.js";
import { ApiError, errors } from "../errors.js";
import type { StoreEvent } from "../store/watch.js";

// A watch as a chunked stream of newline-separated {"type","object"} frames.

/** How often a watch with allowWatchBookmarks gets a BOOKMARK (the real server: about once a minute). */
const BOOKMARK_EVERY_MS = 30_000;

export interface WatchOptions {
  table: boolean;
  /** Called once the stream has ended, whatever the reason. */
  onEnd: () => void;
}

export function serveWatch(ctx: Ctx, target: Target, res: ServerResponse, opts: WatchOptions): void {
  const q = target.query;
  const filter = objectFilter(target);
  const include = q.get("includeObject");
  const rvParam = q.get("resourceVersion") ?? "";
  let first = true;

  // An object's JSON is made once for every watch and the write's own response (api/encode.ts).
  const render = (o: Readonly<KubeObject>): string => {
    const v = asVersion(o, target);
    if (!opts.table) return encodeBody(v);
    const t = toTable(target.t, [v], { resourceVersion: v.metadata.resourceVersion }, include, first);
    first = false;
    return JSON.stringify(t);
  };
  // Frames wait for the end of the event-loop turn, so the changes of one turn go out in one TLS write
  // (each write is a syscall and a TLS record: the biggest cost of a watch event).
  let pending = "";
  let flushing: NodeJS.Immediate | undefined;
  const flush = () => {
    flushing = undefined;
    if (pending !== "" && !res.writableEnded && !res.destroyed) res.write(pending);
    pending = "";
  };
  const frame = (type: string, json: string) => {
    if (res.writableEnded) return;
    pending += `{"type":${JSON.stringify(type)},"object":${json}}\n`;
    flushing ??= setImmediate(flush);
  };
  const write = (type: string, object: unknown) => frame(type, JSON.stringify(object));
  /** Ends the stream after whatever frames are still waiting. */
  const finish = () => {
    clearImmediate(flushing);
    flush();
    if (!res.writableEnded) res.end();
  };

  res.writeHead(200, {
    "Content-Type": "application/json",
    "Transfer-Encoding": "chunked",
    "Cache-Control": "no-cache, private",
  });
  res.flushHeaders();

  const rkey = rkeyOf(target.t);
  // With a selector, an object that starts or stops matching is ADDED or DELETED for this watch, as in the
  // real server's watch cache.
  const onEvent = (e: StoreEvent) => {
    if (e.rkey !== rkey) return;
    const now = filter(e.object);
    if (e.type === "MODIFIED" && e.prev) {
      const before = filter(e.prev);
      if (before && !now) frame("DELETED", render(e.object));
      else if (!before && now) frame("ADDED", render(e.object));
      else if (now) frame("MODIFIED", render(e.object));
      return;
    }
    if (now) frame(e.type, render(e.object));
  };

  const bookmarks = q.get("allowWatchBookmarks") === "true" && !opts.table;
  const bookmark = (annotations?: Record<string, string>) =>
    write("BOOKMARK", {
      kind: target.t.kind,
      apiVersion: apiVersionOf(target.t.group, target.version),
      metadata: { resourceVersion: String(ctx.store.resourceVersion), ...(annotations ? { annotations } : {}) },
    });

  let from: number;
  const initial = q.get("sendInitialEvents") === "true";
  if (rvParam === "" || rvParam === "0" || initial) {
    for (const o of ctx.store.scan(rkey, target.namespace)) if (filter(o)) frame("ADDED", render(o));
    from = ctx.store.resourceVersion;
    // WatchList (sendInitialEvents): a bookmark marks the end of the initial state.
    if (initial && bookmarks) bookmark({ "k8s.io/initial-events-end": "true" });
  } else {
    from = Number(rvParam);
    if (!Number.isInteger(from) || from < 0) {
      write("ERROR", errors.badRequest(`invalid resource version "${rvParam}"`).toStatus());
      finish();
      opts.onEnd();
      return;
    }
  }

  let unsubscribe: () => void = () => {};
  try {
    unsubscribe = ctx.store.hub.subscribe(from, onEvent);
  } catch (err) {
    write("ERROR", (err instanceof ApiError ? err : errors.internal(String(err))).toStatus());
    finish();
    opts.onEnd();
    return;
  }

  let ended = false;
  const offGone = ctx.store.hub.onResourceGone((gone) => {
    if (gone === rkey) end();
  });
  const ticker = bookmarks ? setInterval(() => bookmark(), BOOKMARK_EVERY_MS) : undefined;
  ticker?.unref();
  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    clearInterval(ticker);
    unsubscribe();
    offGone();
    finish();
    opts.onEnd();
  };
  const timeout = Number(q.get("timeoutSeconds") ?? 0);
  // Without timeoutSeconds the real server picks 30-60 min; the connection closing ends it earlier anyway.
  const timer = setTimeout(end, (timeout > 0 ? timeout : 1800) * 1000);
  timer.unref();
  res.on("close", end);
}
