// The managed cluster's sveltos-nats Secret payload: parse, validate, decode PEM material, fingerprint.
import { createHash } from "node:crypto";
import { fieldErrors } from "./schemaErrors.js";
import { natsConnectionValidator } from "./schemas/compiled.js";
import type { DecodedNatsAuthorization, NatsAuthorization, NatsConnectionConfig, ValidationProblem } from "./types.js";

export const NATS_SECRET_NAMESPACE = "projectsveltos";
export const NATS_SECRET_NAME = "sveltos-nats";
export const NATS_SECRET_KEY = "sveltos-nats";

export interface NatsConfigResult {
  /** Absent when the Secret or its key is missing, or when it is invalid (see problems). */
  config?: NatsConnectionConfig;
  problems: ValidationProblem[];
  /** SHA-256 hex of the raw payload, "" when absent: a change of hash means reconnect (as sveltos-agent does). */
  hash: string;
  /** The Secret's resourceVersion when read from a cluster (ClusterRegistry); absent when parsed from text. */
  resourceVersion?: string;
}

function problem(path: string, reason: string): ValidationProblem {
  return { kind: "Secret", name: `${NATS_SECRET_NAMESPACE}/${NATS_SECRET_NAME}`, path, reason };
}

/** Parses the JSON text of key `sveltos-nats`. Undefined text means the Secret/key is absent (no messaging). */
export function parseNatsConfig(text: string | undefined): NatsConfigResult {
  if (text === undefined) return { problems: [], hash: "" };
  const hash = createHash("sha256").update(text).digest("hex");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // V8 quotes the text around the error; this is a Secret, so only the position is kept.
    const where = /position \d+(?: \(line \d+ column \d+\))?/.exec((err as Error).message)?.[0] ?? "syntax error";
    return { problems: [problem(`data.${NATS_SECRET_KEY}`, `not valid JSON (${where})`)], hash };
  }
  const validate = natsConnectionValidator();
  if (!validate(value)) {
    const problems = fieldErrors(validate.errors, true).map((e) =>
      problem(`data.${NATS_SECRET_KEY}${e.path ? `.${e.path}` : ""}`, e.reason),
    );
    return { problems, hash };
  }
  const config = value as NatsConnectionConfig;
  const problems: ValidationProblem[] = [];
  for (const section of ["nats", "jetstream"] as const) {
    const auth = config[section]?.configuration.authorization;
    if (!auth) continue;
    const r = decodeNatsAuthorization(auth);
    for (const p of r.problems)
      problems.push(problem(`data.${NATS_SECRET_KEY}.${section}.configuration.authorization.${p.path}`, p.reason));
  }
  return problems.length ? { problems, hash } : { config, problems, hash };
}

/** Reads the payload from a Secret object (base64 `data` or `stringData`). */
export function natsPayloadFromSecret(secret: {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}): string | undefined {
  const raw = secret.data?.[NATS_SECRET_KEY];
  if (raw !== undefined) return Buffer.from(raw, "base64").toString("utf8");
  return secret.stringData?.[NATS_SECRET_KEY];
}

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

/** Go []byte fields hold base64 in JSON; raw PEM is accepted too (unambiguous: it contains a BEGIN line). */
function pemField(value: string, what: string): { text?: string; reason?: string } {
  if (PEM.test(value)) return { text: value };
  const compact = value.replace(/\s+/g, "");
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, "base64").toString("utf8");
    if (PEM.test(decoded)) return { text: decoded };
  }
  return { reason: `${what} must be PEM text or base64 of PEM` };
}

export function decodeNatsAuthorization(auth: NatsAuthorization): {
  decoded: DecodedNatsAuthorization;
  problems: { path: string; reason: string }[];
} {
  const decoded: DecodedNatsAuthorization = {};
  const problems: { path: string; reason: string }[] = [];
  if (auth.user) decoded.user = { ...auth.user };
  if (auth.token !== undefined) decoded.token = auth.token;
  if (auth.clientCert) {
    const cert = pemField(auth.clientCert.certPem, "certificate");
    const key = pemField(auth.clientCert.keyPem, "private key");
    if (cert.reason) problems.push({ path: "clientCert.certPem", reason: cert.reason });
    if (key.reason) problems.push({ path: "clientCert.keyPem", reason: key.reason });
    if (cert.text && key.text) decoded.clientCert = { certPem: cert.text, keyPem: key.text };
  }
  if (auth.rootCA !== undefined) {
    const ca = pemField(auth.rootCA, "root CA");
    if (ca.reason) problems.push({ path: "rootCA", reason: ca.reason });
    else decoded.rootCA = ca.text;
  }
  if (auth.nkey) {
    const seed = auth.nkey.seed.trim();
    if (!/^SU[A-Z2-7]{40,}$/.test(seed))
      problems.push({ path: "nkey.seed", reason: "must be a user nkey seed (starts with SU)" });
    else decoded.nkeySeed = seed;
  }
  if (auth.creds !== undefined) {
    const text = auth.creds.includes("-----BEGIN") ? auth.creds : Buffer.from(auth.creds, "base64").toString("utf8");
    if (!text.includes("-----BEGIN NATS USER JWT-----")) {
      problems.push({ path: "creds", reason: "must be the text of a .creds file or its base64" });
    } else decoded.creds = text;
  }
  return { decoded, problems };
}
