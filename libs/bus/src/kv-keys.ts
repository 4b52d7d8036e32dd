// A bucket's keys, read from its stream's subject index: one STREAM.INFO request with a subjects filter (nats.js
// pages it past the server's 100,000-subject limit). kv.keys() runs an ordered push consumer instead, whose end is
// a pending count of zero or an idle heartbeat; against nats-server 2.9 a listing of a bucket that is being
// written can miss the zero, and once the ordered consumer resets, its replacement heartbeats every 30 s, so a
// listing (a status page, `evtctl show addons`, a resync) stalled for tens of seconds.
import { Bucket, type KV } from "@nats-io/kv";
import { BusError } from "./errors.js";

/**
 * Keys under `filter` ("a.>", "a.*.b", ">"), sorted. Like the subject index they come from, they include keys whose
 * last operation is a delete or purge: read each with kv.get and skip what is not a PUT, as every caller does.
 */
export async function listKeys(kv: KV, filter = ">"): Promise<string[]> {
  // Every bucket here comes from Kvm.open/create; anything else has no stream of its own to read.
  if (!(kv instanceof Bucket)) throw new BusError("EVT_BUS_KV", "listKeys needs a bucket opened through Kvm");
  const prefix = `${kv.prefix}.`;
  const info = await kv.jsm.streams.info(kv.stream, { subjects_filter: `${prefix}${filter}` });
  return Object.keys(info.state.subjects ?? {})
    .map((s) => s.slice(prefix.length))
    .sort();
}
