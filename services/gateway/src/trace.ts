// The `traceparent` written with each event. w3cTrace: a W3C child of the CE distributed-tracing extension, else of
// the upstream message's traceparent header, else a new trace, with no tracing SDK. otelTrace (otel-trace.ts)
// records a real span through libs/telemetry; main.ts picks it.
import { randomBytes } from "node:crypto";
import type { CloudEventJson } from "@evtrigger/bus";
import type { HeaderMap } from "./normalize/types.js";

/** Runs `publish` inside the event's trace, handing it the traceparent to write on the internal message. */
export type TraceRunner = <T>(
  event: CloudEventJson,
  upstream: HeaderMap,
  where: { cluster: string; natsSubject: string },
  publish: (traceparent: string) => Promise<T>,
) => Promise<T>;

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

export function parseTraceparent(v: unknown): { traceId: string; spanId: string; flags: string } | undefined {
  if (typeof v !== "string") return undefined;
  const m = TRACEPARENT.exec(v.trim());
  if (!m || m[1] === ZERO_TRACE || m[2] === ZERO_SPAN) return undefined;
  return { traceId: m[1]!, spanId: m[2]!, flags: m[3]! };
}

// Ids need uniqueness, not secrecy: draw them from a pooled crypto buffer (one syscall per 512 span ids, not one
// per event, which showed up at 4% of the ingest profile).
let pool = Buffer.alloc(0);
let at = 0;
function randomHex(bytes: number): string {
  if (at + bytes > pool.length) {
    pool = randomBytes(4096);
    at = 0;
  }
  const s = pool.toString("hex", at, at + bytes);
  at += bytes;
  return s;
}

/** A child traceparent of the CE's, else of the upstream header's, else the root of a new trace. */
export function childTraceparent(event: CloudEventJson, upstream: HeaderMap): string {
  const parent = parseTraceparent(event.traceparent) ?? parseTraceparent(upstream.get("traceparent"));
  const span = randomHex(8);
  if (parent) return `00-${parent.traceId}-${span}-${parent.flags}`;
  return `00-${randomHex(16)}-${span}-01`;
}

export const w3cTrace: TraceRunner = (event, upstream, _where, publish) => publish(childTraceparent(event, upstream));
