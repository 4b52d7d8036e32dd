// Binary content mode (NATS protocol binding): attributes in `ce-*` headers, `content-type` is datacontenttype and
// the body is the data, decoded by its media type.
import { isJsonMediaType, mediaType, parseJsonBody, utf8 } from "./json.js";
import type { HeaderMap, Normalized, NormalizeLimits, Rejection } from "./types.js";
import { validateEvent } from "./validate.js";

export const CE_PREFIX = "ce-";

export function isBinaryMode(headers: HeaderMap): boolean {
  return headers.has("ce-specversion");
}

/** Decodes a data payload: JSON media types to a value, text to a string, anything else kept as data_base64. */
export function decodeData(
  body: Uint8Array,
  contentType: string | undefined,
): { data?: unknown; data_base64?: string } | { rejection: Rejection } {
  if (body.length === 0) return {};
  const mt = mediaType(contentType);
  if (mt && isJsonMediaType(mt)) {
    const p = parseJsonBody(body, "data", "EVT_GATEWAY_BAD_DATA");
    if ("rejection" in p) {
      return { rejection: { ...p.rejection, reason: `${p.rejection.reason} for content-type ${mt}` } };
    }
    return { data: p.value };
  }
  const text = utf8(body);
  if (!mt) {
    // No content type: JSON when it parses (the CloudEvents default), else text, else bytes.
    if (text !== undefined) {
      try {
        return { data: JSON.parse(text) };
      } catch {
        return { data: text };
      }
    }
    return { data_base64: Buffer.from(body).toString("base64") };
  }
  if (text !== undefined && (mt.startsWith("text/") || mt.endsWith("+xml") || mt === "application/xml")) {
    return { data: text };
  }
  return { data_base64: Buffer.from(body).toString("base64") };
}

export function normalizeBinary(body: Uint8Array, headers: HeaderMap, limits: NormalizeLimits): Normalized {
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of headers) {
    if (!k.startsWith(CE_PREFIX) || k.length === CE_PREFIX.length) continue;
    const name = k.slice(CE_PREFIX.length);
    if (name === "__proto__") {
      const reason = 'attribute name "__proto__" is invalid: names are lowercase letters and digits';
      return { mode: "binary", events: [], rejections: [{ code: "EVT_GATEWAY_INVALID_ATTRIBUTE", field: k, reason }] };
    }
    attrs[name] = v;
  }
  const ct = headers.get("content-type");
  if (ct !== undefined && ct !== "") attrs.datacontenttype = ct;
  if ("data" in attrs || "data_base64" in attrs) {
    return {
      mode: "binary",
      events: [],
      rejections: [
        {
          code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
          field: "data" in attrs ? "ce-data" : "ce-data_base64",
          reason: "binary mode carries data in the body, not in a ce- header",
        },
      ],
    };
  }
  const decoded = decodeData(body, ct);
  if ("rejection" in decoded) return { mode: "binary", events: [], rejections: [decoded.rejection] };
  const v = validateEvent({ ...attrs, ...decoded }, limits);
  if ("rejection" in v) {
    const r = v.rejection;
    // Name the header the publisher has to fix.
    const field = r.field && r.field !== "data" && r.field !== "data_base64" ? `ce-${r.field}` : r.field;
    return { mode: "binary", events: [], rejections: [{ ...r, field }] };
  }
  return { mode: "binary", events: [{ event: v.event, mode: "binary" }], rejections: [] };
}
