// Entry point of normalization: size gate, then binding detection (binary > batch > structured).
import { isBatchMode, normalizeBatch } from "./batch.js";
import { isBinaryMode, normalizeBinary } from "./binary.js";
import { normalizeStructured } from "./structured.js";
import { DEFAULT_LIMITS, type HeaderMap, type Normalized, type NormalizeLimits } from "./types.js";

const EMPTY: HeaderMap = new Map();

/** Lowercases header names and keeps the first value of each (what the CloudEvents bindings read). */
export function headerMap(entries: Iterable<[string, string | undefined]>): HeaderMap {
  const m = new Map<string, string>();
  for (const [k, v] of entries) {
    const key = k.toLowerCase();
    if (v !== undefined && !m.has(key)) m.set(key, v);
  }
  return m;
}

/** Turns one NATS message into zero or more CloudEvents and the reasons anything was refused. Pure. */
export function normalizeMessage(
  data: Uint8Array,
  headers: HeaderMap = EMPTY,
  limits: NormalizeLimits = DEFAULT_LIMITS,
): Normalized {
  const binary = isBinaryMode(headers);
  const mode = binary ? "binary" : isBatchMode(headers) ? "batch" : "structured";
  if (data.length > limits.maxBytes) {
    return {
      mode,
      events: [],
      rejections: [
        {
          code: "EVT_GATEWAY_TOO_LARGE",
          field: "body",
          reason: `message of ${data.length} bytes exceeds the limit of ${limits.maxBytes} bytes`,
        },
      ],
    };
  }
  if (binary) return normalizeBinary(data, headers, limits);
  if (mode === "batch") return normalizeBatch(data, limits);
  return normalizeStructured(data, limits);
}
