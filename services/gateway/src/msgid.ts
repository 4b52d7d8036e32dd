// Nats-Msg-Id of what the gateway writes: it identifies the upstream delivery, so a redelivery is deduplicated by
// the internal stream while distinct events (even with the same CE id, like the seed's login and logout) never are.
import { createHash } from "node:crypto";
import type { ClusterRef } from "@evtrigger/bus";
import type { HeaderMap } from "./normalize/types.js";

const MAX_ID = 512;

function clusterKey(c: ClusterRef): string {
  return `${c.namespace}/${c.name}`;
}

/** sha256 (first 128 bits, hex) of the body plus, when given, the ce-* and content-type headers (binary mode). */
export function contentHash(data: Uint8Array, headers?: HeaderMap): string {
  const h = createHash("sha256").update(data);
  if (headers) {
    const relevant = [...headers].filter(([k]) => k.startsWith("ce-") || k === "content-type").sort();
    for (const [k, v] of relevant) h.update(`\n${k}:${v}`);
  }
  return h.digest("hex").slice(0, 32);
}

function bounded(id: string): string {
  // A huge CE source must not make a huge header: past the bound, the id is its own hash.
  return id.length <= MAX_ID ? id : `h:${createHash("sha256").update(id).digest("hex")}`;
}

/** js:<clusterNs>/<cluster>:<stream>:<streamSeq>[:<batch index>] — the stream position is the delivery identity. */
export function jetStreamMsgId(cluster: ClusterRef, stream: string, seq: number, index?: number): string {
  return bounded(`js:${clusterKey(cluster)}:${stream}:${seq}${index === undefined ? "" : `:${index}`}`);
}

/**
 * core:<clusterNs>/<cluster>:<ce.source>:<ce.id>:<content hash>[:<batch index>]. Core NATS has no delivery
 * identity, so the content stands in: an identical re-publish is a duplicate, a logout reusing the login's id is not.
 */
export function coreMsgId(
  cluster: ClusterRef,
  ce: { source: string; id: string },
  hash: string,
  index?: number,
): string {
  return bounded(`core:${clusterKey(cluster)}:${ce.source}:${ce.id}:${hash}${index === undefined ? "" : `:${index}`}`);
}

/** Identity of a rejected message (or batch member) for its dead letter. */
export function rejectMsgId(cluster: ClusterRef, origin: { stream: string; seq: number } | string, index?: number) {
  const base =
    typeof origin === "string"
      ? `core:${clusterKey(cluster)}:${origin}`
      : `js:${clusterKey(cluster)}:${origin.stream}:${origin.seq}`;
  return bounded(`${base}${index === undefined ? "" : `:${index}`}`);
}
