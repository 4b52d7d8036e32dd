// The `traceparent` written with each event. Default: a W3C child of the CE distributed-tracing extension, else of
// the upstream message's traceparent header, else a new trace. main.ts may swap in an OpenTelemetry-backed one.
import { randomBytes } from "node:crypto";
import type { CloudEventJson } from "@evtrigger/bus";
import type { HeaderMap } from "./normalize/types.js";

/** Returns the traceparent for the internal message; `done` ends a span if the implementation opened one. */
export type TraceStarter = (
  event: CloudEventJson,
  upstream: HeaderMap,
) => { traceparent: string; done?(err?: unknown): void };

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

export function parseTraceparent(v: unknown): { traceId: string; spanId: string; flags: string } | undefined {
  if (typeof v !== "string") return undefined;
  const m = TRACEPARENT.exec(v.trim());
  if (!m || m[1] === ZERO_TRACE || m[2] === ZERO_SPAN) return undefined;
  return { traceId: m[1]!, spanId: m[2]!, flags: m[3]! };
}

export const w3cTraceStarter: TraceStarter = (event, upstream) => {
  const parent = parseTraceparent(event.traceparent) ?? parseTraceparent(upstream.get("traceparent"));
  const span = randomBytes(8).toString("hex");
  if (parent) return { traceparent: `00-${parent.traceId}-${span}-${parent.flags}` };
  return { traceparent: `00-${randomBytes(16).toString("hex")}-${span}-01` };
};
