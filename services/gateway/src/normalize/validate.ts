// Attribute validation shared by every binding: one compiled ajv schema names the offending attribute, then the
// rules the cloudevents SDK adds on top for 1.0 (a real calendar time, no schemaurl; dataschema through the SDK itself).
import type { CloudEventJson } from "@evtrigger/bus";
import { Ajv, type ErrorObject } from "ajv";
import { CloudEvent, ValidationError } from "cloudevents";
import type { NormalizeLimits, Rejection } from "./types.js";

const nonEmpty = { type: "string", minLength: 1 } as const;

// `data` is checked separately (any JSON); everything else is a context attribute or an extension.
const attributesSchema = {
  type: "object",
  required: ["specversion", "id", "source", "type"],
  properties: {
    specversion: { type: "string", enum: ["1.0", "0.3"] },
    id: nonEmpty,
    source: nonEmpty,
    type: nonEmpty,
    subject: nonEmpty,
    time: nonEmpty,
    datacontenttype: nonEmpty,
    dataschema: nonEmpty,
    schemaurl: nonEmpty,
    datacontentencoding: nonEmpty,
    data_base64: { type: "string" },
  },
  propertyNames: { pattern: "^(?:[a-z0-9]+|data_base64)$" },
  // Extensions: the CloudEvents type system has no objects, arrays or fractions (sdk-go rejects them too).
  additionalProperties: { type: ["string", "integer", "boolean"] },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const checkAttributes = ajv.compile(attributesSchema);

/**
 * C0 controls, DEL and C1 controls: never legitimate in identifiers, and dangerous in names and labels. Refused in
 * every string attribute, extensions included: templates read them too (`.CloudEvent.myext`), so a newline there
 * could smuggle YAML documents into a rendered policy.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// RFC 3339 date-time (the CloudEvents Timestamp type); groups: year, month, day, hour, minute, second.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function describeAjv(e: ErrorObject, where: string): Rejection {
  const attr = e.instancePath.replace(/^\//, "");
  const field = `${where}${attr}`;
  switch (e.keyword) {
    case "required": {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      return {
        code: "EVT_GATEWAY_MISSING_ATTRIBUTE",
        field: `${where}${missing}`,
        reason: `required attribute "${missing}" is missing`,
      };
    }
    case "propertyNames":
    case "pattern": {
      // ajv reports the failing name on the error (inner `pattern`) or in params (`propertyNames`).
      return badName(String(e.propertyName ?? (e.params as { propertyName?: string }).propertyName ?? attr), where);
    }
    case "enum":
      return {
        code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
        field,
        reason: `${attr}: unsupported spec version (expected "1.0" or "0.3")`,
      };
    case "minLength":
      return { code: "EVT_GATEWAY_INVALID_ATTRIBUTE", field, reason: `${attr}: must not be empty` };
    default: {
      const known = attr in attributesSchema.properties;
      return {
        code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
        field,
        reason: known
          ? `${attr}: must be a string`
          : `extension ${attr}: must be a string, an integer or a boolean (got ${e.message ?? "another type"})`,
      };
    }
  }
}

function badName(name: string, where: string): Rejection {
  return {
    code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
    field: `${where}${name}`,
    reason: `attribute name "${name.slice(0, 64)}" is invalid: names are lowercase letters and digits`,
  };
}

/** Depth of nested arrays/objects, iteratively (a hostile 100k-deep body must not overflow the stack). */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === "object") stack.push([child, d + 1]);
    }
  }
  return false;
}

function typeOfJson(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

/**
 * Validates a structured-form CloudEvent (attributes at the top level, `data` decoded or `data_base64`) and returns
 * it cleaned: null optional attributes are treated as absent. `where` prefixes field names (e.g. "[3]." in a batch).
 * `asReceived`: nothing was dropped, so the input's JSON text is a faithful serialisation of the event.
 */
export function validateEvent(
  input: unknown,
  limits: Pick<NormalizeLimits, "maxDepth">,
  where = "",
): { event: CloudEventJson; asReceived: boolean } | { rejection: Rejection } {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return {
      rejection: {
        code: "EVT_GATEWAY_NOT_CLOUDEVENT",
        field: where ? where.replace(/\.$/, "") : undefined,
        reason: `expected a JSON object, got ${typeOfJson(input)}`,
      },
    };
  }
  const src = input as Record<string, unknown>;
  if (src.specversion === undefined || src.specversion === null) {
    return {
      rejection: {
        code: "EVT_GATEWAY_NOT_CLOUDEVENT",
        field: `${where}specversion`,
        reason: `not a CloudEvent: required attribute "specversion" is missing`,
      },
    };
  }
  const attrs: Record<string, unknown> = {};
  let data: unknown;
  let hasData = false;
  let dropped = false;
  // Own keys only (a polluted Object.prototype must not add attributes), without an entries array of pairs.
  for (const k of Object.keys(src)) {
    // JSON.parse keeps "__proto__" as an own key; assigning it would swap the prototype of `attrs` instead.
    if (k === "__proto__") return { rejection: badName(k, where) };
    const v = src[k];
    if (v === null) dropped = true;
    else if (k === "data") {
      data = v;
      hasData = true;
    } else attrs[k] = v;
  }
  if (!checkAttributes(attrs)) return { rejection: describeAjv(checkAttributes.errors![0]!, where) };
  for (const a of Object.keys(attrs)) {
    const v = attrs[a];
    if (typeof v === "string" && CONTROL.test(v)) {
      const at = v.search(CONTROL);
      return {
        rejection: {
          code: "EVT_GATEWAY_CONTROL_CHARACTER",
          field: `${where}${a}`,
          reason: `${a}: control character U+${v.charCodeAt(at).toString(16).padStart(4, "0").toUpperCase()} at offset ${at}`,
        },
      };
    }
  }
  const time = typeof attrs.time === "string" ? RFC3339.exec(attrs.time) : undefined;
  if (time === null) {
    return {
      rejection: {
        code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
        field: `${where}time`,
        reason: `time: "${(attrs.time as string).slice(0, 40)}" is not an RFC 3339 timestamp`,
      },
    };
  }
  if (typeof attrs.data_base64 === "string") {
    if (hasData) {
      return {
        rejection: {
          code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
          field: `${where}data_base64`,
          reason: `data and data_base64 are mutually exclusive`,
        },
      };
    }
    if (!BASE64.test(attrs.data_base64)) {
      return {
        rejection: {
          code: "EVT_GATEWAY_BAD_DATA",
          field: `${where}data_base64`,
          reason: `data_base64: not valid base64`,
        },
      };
    }
  }
  if (hasData && depthExceeds(data, limits.maxDepth)) {
    return {
      rejection: {
        code: "EVT_GATEWAY_TOO_DEEP",
        field: `${where}data`,
        reason: `data: nested deeper than ${limits.maxDepth} levels`,
      },
    };
  }
  const badSource = uriReferenceProblem(attrs.source as string);
  if (badSource) {
    return {
      rejection: { code: "EVT_GATEWAY_INVALID_ATTRIBUTE", field: `${where}source`, reason: `source: ${badSource}` },
    };
  }
  if (attrs.specversion === "1.0") {
    // What the SDK adds for 1.0. Its own run (a frozen copy and a second schema per event, a third of the
    // normalization time) only for dataschema, which it checks with a URI format of its own; the calendar check
    // on `time` is the same as its date-time format (test "validate - the SDK's verdict ...").
    if (attrs.schemaurl !== undefined) {
      // The SDK throws a bare TypeError for this one; name the attribute instead.
      return {
        rejection: {
          code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
          field: `${where}schemaurl`,
          reason: "schemaurl: cannot be set on a 1.0 event (dataschema replaced it)",
        },
      };
    }
    if (attrs.dataschema !== undefined) {
      const sdk = sdkCheck(attrs);
      if (sdk) return { rejection: { ...sdk, field: sdk.field ? `${where}${sdk.field}` : undefined } };
    } else if (time && !realDateTime(time)) {
      return {
        rejection: {
          code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
          field: `${where}time`,
          reason: 'time: must match format "date-time"',
        },
      };
    }
  }
  const event = attrs as CloudEventJson;
  if (hasData) event.data = data;
  return { event, asReceived: !dropped };
}

/**
 * `source` as sdk-go (Sveltos) parses it: Go's url.Parse, which is far more lenient than the JS SDK's RFC 3986
 * check ("my source" and "ünicode/x" pass in Go). Rejects what Go rejects: bad %-escapes, a leading ":", a
 * bracketed host without "]", spaces in a host, a non-numeric port. Control characters are rejected earlier.
 */
export function uriReferenceProblem(s: string): string | undefined {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) return "invalid %-escape";
  if (s.startsWith(":")) return "missing scheme before ':'";
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(s);
  if (m) {
    const authority = m[1]!.slice(m[1]!.lastIndexOf("@") + 1);
    if (authority.startsWith("[")) {
      const close = authority.indexOf("]");
      if (close < 0) return "missing ']' in host";
      const rest = authority.slice(close + 1);
      if (rest && !/^:\d*$/.test(rest)) return "invalid port";
    } else {
      const colon = authority.lastIndexOf(":");
      const host = colon >= 0 ? authority.slice(0, colon) : authority;
      if (/\s/.test(host)) return "invalid character in host name";
      if (colon >= 0 && !/^\d*$/.test(authority.slice(colon + 1))) return "invalid port";
    }
  }
  return undefined;
}

/**
 * The calendar part of the SDK's date-time format (ajv-formats 2): a real month and day (leap years), hour <= 23,
 * minute <= 59, second <= 59 or the leap second 23:59:60. The offset is not range-checked there either.
 */
function realDateTime(m: RegExpExecArray): boolean {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && leap ? 29 : DAYS[month]!)) return false;
  const h = Number(m[4]);
  const min = Number(m[5]);
  const sec = Number(m[6]);
  return (h <= 23 && min <= 59 && sec <= 59) || (h === 23 && min === 59 && sec === 60);
}

/** The cloudevents SDK's verdict on the attributes (its schema checks timestamps and dataschema URIs). */
function sdkCheck(attrs: Record<string, unknown>): Rejection | undefined {
  if (attrs.specversion !== "1.0") return undefined; // the JS SDK only validates 1.0 (sdk-go also accepts 0.3)
  try {
    // source is checked with Go's rules above; the SDK's stricter RFC 3986 reading would refuse events Sveltos takes.
    const { data_base64: _omit, ...rest } = attrs;
    new CloudEvent({ ...rest, source: "evtrigger:checked" }, true);
    return undefined;
  } catch (err) {
    if (err instanceof ValidationError) {
      const first = (err.errors as ErrorObject[] | undefined)?.[0];
      const attr = first?.instancePath?.replace(/^\//, "");
      return {
        code: "EVT_GATEWAY_INVALID_ATTRIBUTE",
        field: attr || undefined,
        reason: first ? `${attr || "event"}: ${first.message ?? "invalid"}` : err.message.split("\n")[0]!,
      };
    }
    return { code: "EVT_GATEWAY_INVALID_ATTRIBUTE", reason: `invalid CloudEvent: ${String(err)}` };
  }
}
