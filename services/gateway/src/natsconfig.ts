// The managed cluster's `projectsveltos/sveltos-nats` Secret payload. Schema, validation and PEM decoding live in
// libs/config (one definition for every reader); this module adapts them to the gateway.
import {
  type DecodedNatsAuthorization,
  decodeNatsAuthorization,
  type NatsAuthorization,
  type NatsConnectionConfig,
  parseNatsConfig as parseSecretPayload,
} from "@evtrigger/config";

import { GatewayError } from "./errors.js";

export type { NatsAuthorization, NatsConnectionConfig, NatsStreamRef } from "@evtrigger/config";

export interface ConfigProblem {
  path: string;
  reason: string;
}

/** Validates the Secret value (JSON text, bytes, or already parsed) against libs/config's schema. */
export function parseNatsConfig(raw: unknown): { config?: NatsConnectionConfig; problems: ConfigProblem[] } {
  const text =
    typeof raw === "string" ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : JSON.stringify(raw);
  const r = parseSecretPayload(text);
  return { config: r.config, problems: r.problems.map((p) => ({ path: p.path, reason: p.reason })) };
}

/** PEM and creds material decoded (Go []byte base64 or raw text); throws naming the field. */
export function decodeAuthorization(auth: NatsAuthorization | undefined, path: string): DecodedNatsAuthorization {
  if (!auth) return {};
  const { decoded, problems } = decodeNatsAuthorization(auth);
  if (problems.length) {
    throw new Error(problems.map((p) => `${path}.authorization.${p.path}: ${p.reason}`).join("; "));
  }
  return decoded;
}

/** The URL without user info, for status and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/g, "//***@");
}

/** A subscribable NATS subject: non-empty tokens without whitespace, `*` as a whole token, `>` only last. */
export function subjectProblem(s: string): string | undefined {
  const tokens = s.split(".");
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === "" || /\s/.test(t)) return "empty token or whitespace";
    if ((t.includes("*") && t !== "*") || (t.includes(">") && t !== ">")) return "wildcards must be whole tokens";
    if (t === ">" && i !== tokens.length - 1) return "'>' must be the last token";
  }
  return undefined;
}

/** A JetStream stream name: no whitespace, '.', '*', '>', or path separators. */
export function streamNameProblem(s: string): string | undefined {
  return s === "" || /[\s.*>/\\]/.test(s) ? "not a valid stream name" : undefined;
}

/** Throws GatewayError naming the first bad subject or stream of a valid-by-schema config. */
export function checkNames(config: NatsConnectionConfig): void {
  const fail = (field: string, value: string, why: string) => {
    throw new GatewayError("EVT_GATEWAY_CONFIG", `${field}: "${value.slice(0, 100)}": ${why}`, { field });
  };
  config.nats?.configuration.subjects.forEach((s, i) => {
    const p = subjectProblem(s);
    if (p) fail(`nats.configuration.subjects[${i}]`, s, p);
  });
  const j = config.jetstream?.configuration;
  j?.subjects?.forEach((s, i) => {
    const p = streamNameProblem(s);
    if (p) fail(`jetstream.configuration.subjects[${i}]`, s, `${p} (code form: entries are stream names)`);
  });
  j?.streams?.forEach((st, i) => {
    const p = streamNameProblem(st.name);
    if (p) fail(`jetstream.configuration.streams[${i}].name`, st.name, p);
    st.subjects.forEach((s, k) => {
      const q = subjectProblem(s);
      if (q) fail(`jetstream.configuration.streams[${i}].subjects[${k}]`, s, q);
    });
  });
}
