import type { CloudEventJson } from "@evtrigger/bus";

/** Stable reject codes; the metric label `reason` is the code without the prefix, lowercased. */
export type RejectCode =
  | "EVT_GATEWAY_TOO_LARGE"
  | "EVT_GATEWAY_NOT_JSON"
  | "EVT_GATEWAY_NOT_CLOUDEVENT"
  | "EVT_GATEWAY_MISSING_ATTRIBUTE"
  | "EVT_GATEWAY_INVALID_ATTRIBUTE"
  | "EVT_GATEWAY_CONTROL_CHARACTER"
  | "EVT_GATEWAY_BAD_DATA"
  | "EVT_GATEWAY_TOO_DEEP"
  | "EVT_GATEWAY_BAD_BATCH";

/** Why one message (or one member of a batch) was refused; `field` names the attribute, e.g. `source` or `[2].id`. */
export interface Rejection {
  code: RejectCode;
  reason: string;
  field?: string;
  /** Index inside a batch. */
  index?: number;
}

export type Mode = "structured" | "binary" | "batch";

export interface NormalizedEvent {
  event: CloudEventJson;
  /**
   * The event's JSON exactly as received, when that text is a faithful serialisation of `event` (structured mode,
   * no null attribute dropped): the envelope embeds it instead of serialising the event again.
   */
  json?: Uint8Array;
  mode: Mode;
  /** Index inside a batch. */
  index?: number;
}

/** Result of normalizing one NATS message: a batch can yield both events and rejections. */
export interface Normalized {
  mode: Mode;
  events: NormalizedEvent[];
  rejections: Rejection[];
}

export interface NormalizeLimits {
  /** Largest accepted message, bytes (default 1 MiB). */
  maxBytes: number;
  /** Most events in one batch (default 1000). */
  maxBatch: number;
  /** Deepest nesting of `data` (default 64). */
  maxDepth: number;
}

export const DEFAULT_LIMITS: NormalizeLimits = { maxBytes: 1024 * 1024, maxBatch: 1000, maxDepth: 64 };

/** Lowercased header name → first value. NATS header names are case-preserving; bindings are case-insensitive. */
export type HeaderMap = ReadonlyMap<string, string>;

export function rejectLabel(code: RejectCode): string {
  return code.slice("EVT_GATEWAY_".length).toLowerCase();
}
