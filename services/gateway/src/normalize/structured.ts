// Structured content mode: the whole body is one CloudEvent in JSON (application/cloudevents+json, or any JSON
// body carrying `specversion`, which is what Sveltos' agent accepts).
import { parseJsonBody } from "./json.js";
import type { Normalized, NormalizeLimits } from "./types.js";
import { validateEvent } from "./validate.js";

const OPEN_BRACE = 0x7b;

export function normalizeStructured(data: Uint8Array, limits: NormalizeLimits): Normalized {
  const parsed = parseJsonBody(data, "body");
  if ("rejection" in parsed) return { mode: "structured", events: [], rejections: [parsed.rejection] };
  if (Array.isArray(parsed.value)) {
    return {
      mode: "structured",
      events: [],
      rejections: [
        {
          code: "EVT_GATEWAY_NOT_CLOUDEVENT",
          field: "body",
          reason: "body is a JSON array: a batch needs content-type application/cloudevents-batch+json",
        },
      ],
    };
  }
  const v = validateEvent(parsed.value, limits);
  if ("rejection" in v) return { mode: "structured", events: [], rejections: [v.rejection] };
  // `{` first: no BOM or leading whitespace (the decoder drops a BOM, so JSON.parse accepted what a reader of
  // the embedded text would not).
  const json = v.asReceived && data[0] === OPEN_BRACE ? data : undefined;
  return { mode: "structured", events: [{ event: v.event, json, mode: "structured" }], rejections: [] };
}
