// The managed cluster's `projectsveltos/sveltos-nats` Secret payload. Schema, validation and PEM decoding live in
// libs/config (one definition for every reader); this module adapts them to the gateway.
import {
  type DecodedNatsAuthorization,
  decodeNatsAuthorization,
  type NatsAuthorization,
  type NatsConnectionConfig,
  parseNatsConfig as parseSecretPayload,
} from "@evtrigger/config";

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
