// Body decoding helpers shared by the bindings.
import type { Rejection } from "./types.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Strict UTF-8 decode, or undefined when the bytes are not UTF-8. */
export function utf8(data: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(data);
  } catch {
    return undefined;
  }
}

/** Parses a JSON body; `what` names it in the reason ("body", "data"). */
export function parseJsonBody(
  data: Uint8Array,
  what: string,
  code: Rejection["code"] = "EVT_GATEWAY_NOT_JSON",
): { value: unknown } | { rejection: Rejection } {
  const text = utf8(data);
  if (text === undefined) return { rejection: { code, field: what, reason: `${what}: not valid UTF-8` } };
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    // V8 quotes a piece of the input in some messages: drop it, reasons end up in logs.
    const msg = (err instanceof Error ? err.message : String(err)).replace(/"(?:[^"\\]|\\.)*"/g, "…");
    return { rejection: { code, field: what, reason: `${what}: not valid JSON (${msg.slice(0, 120)})` } };
  }
}

/** application/json, text/json and any +json media type (parameters such as charset ignored). */
export function isJsonMediaType(ct: string): boolean {
  const mt = ct.split(";")[0]!.trim().toLowerCase();
  return mt === "application/json" || mt === "text/json" || mt.endsWith("+json");
}

export function mediaType(ct: string | undefined): string {
  return (ct ?? "").split(";")[0]!.trim().toLowerCase();
}
