// Batched content mode: a JSON array of structured events. Each member stands alone: valid members go on, invalid
// ones are dead-lettered with their index.
import { mediaType, parseJsonBody } from "./json.js";
import type { HeaderMap, Normalized, NormalizeLimits } from "./types.js";
import { validateEvent } from "./validate.js";

export const BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";

export function isBatchMode(headers: HeaderMap): boolean {
  return mediaType(headers.get("content-type")) === BATCH_MEDIA_TYPE;
}

export function normalizeBatch(data: Uint8Array, limits: NormalizeLimits): Normalized {
  const parsed = parseJsonBody(data, "body", "EVT_GATEWAY_BAD_BATCH");
  if ("rejection" in parsed) return { mode: "batch", events: [], rejections: [parsed.rejection] };
  const list = parsed.value;
  if (!Array.isArray(list)) {
    return {
      mode: "batch",
      events: [],
      rejections: [{ code: "EVT_GATEWAY_BAD_BATCH", field: "body", reason: "batch body must be a JSON array" }],
    };
  }
  if (list.length > limits.maxBatch) {
    return {
      mode: "batch",
      events: [],
      rejections: [
        {
          code: "EVT_GATEWAY_BAD_BATCH",
          field: "body",
          reason: `batch of ${list.length} events exceeds the limit of ${limits.maxBatch}`,
        },
      ],
    };
  }
  const out: Normalized = { mode: "batch", events: [], rejections: [] };
  list.forEach((item, index) => {
    const v = validateEvent(item, limits, `[${index}].`);
    if ("rejection" in v) out.rejections.push({ ...v.rejection, index });
    else out.events.push({ event: v.event, mode: "batch", index });
  });
  return out;
}
