// Redaction of log fields. Secret-looking keys are masked at any depth, secret-looking string values (PEM blocks,
// NATS seeds, credentials inside URLs) are masked wherever they appear, and message bodies are removed unless
// the caller asks to keep them (debug level). Works on a copy; the caller's objects are never modified.

export const REDACTED = "[REDACTED]";

// Words that make a key secret when they appear as a whole word of the key ("dbPassword", "nats_token",
// "x-api-key", "rootCA"), so "cluster" or "monkey" are not caught by "key".
const SECRET_WORDS = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "passphrase",
  "token",
  "secret",
  "secrets",
  "seed",
  "key",
  "nkey",
  "creds",
  "credential",
  "credentials",
  "authorization",
  "auth",
  "cookie",
  "jwt",
  "bearer",
  "pem",
  "ca",
  "signature",
]);

// Whole key names that contain a secret word but name public identifiers. Keep short and obvious.
const SAFE_KEYS = new Set([
  "eventkey",
  "partitionkey",
  "kvkey",
  "dedupkey",
  "msgkey",
  "orderingkey",
  "orderkey",
  "reportkey",
  "inventorykey",
  "cachekey",
  "idempotencykey",
  "routingkey",
  "sortkey",
  "objectkey",
  "keycount",
]);

// Body-like keys: only emitted when `keepBodies` is set (debug level).
const BODY_KEYS = new Set(["body", "payload", "data", "data_base64", "rawbody"]);

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;
const NATS_SEED = /\bS[UAONCPX][A-Z2-7]{56}\b/;
const URL_CREDS = /(\b[a-z][a-z0-9+.-]*:\/\/)([^:/@\s]+):([^@/\s]+)@/gi;
// "password=…", "?token=…", "auth_token=…" in query strings and messages, and HTTP credentials.
const ASSIGNED = /\b([a-z_]*(?:pass(?:word)?|passwd|pwd|token|secret|seed|api[_-]?key|creds))=([^\s&,;"']+)/gi;
const HTTP_CREDS = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/** Splits a key into lower-case words: camelCase, snake_case, kebab-case, dotted and acronym boundaries. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

// Field names repeat endlessly (the same few dozen per service), so the verdict is memoised; bounded anyway.
const verdicts = new Map<string, boolean>();

/** True when a field name looks like it holds a secret (password, token, seed, key, creds, certPem, ...). */
export function isSecretKey(key: string): boolean {
  let v = verdicts.get(key);
  if (v === undefined) {
    v = !SAFE_KEYS.has(compactKey(key)) && keyWords(key).some((w) => SECRET_WORDS.has(w));
    if (verdicts.size >= 10_000) verdicts.clear();
    verdicts.set(key, v);
  }
  return v;
}

/** True when a field name is a message body (body, payload, data, data_base64). */
export function isBodyKey(key: string): boolean {
  return BODY_KEYS.has(key.toLowerCase());
}

/**
 * Masks secret-looking content in a free-text string: PEM blocks and NATS seeds mask the whole string; URL
 * passwords, `password=…`/`token=…` assignments and Bearer/Basic credentials are masked in place.
 */
export function redactString(s: string): string {
  if (PEM.test(s) || NATS_SEED.test(s)) return REDACTED;
  let out = s.includes("://") ? s.replace(URL_CREDS, `$1$2:${REDACTED}@`) : s;
  if (out.includes("=")) out = out.replace(ASSIGNED, `$1=${REDACTED}`);
  if (out.includes("Bearer") || out.includes("Basic")) out = out.replace(HTTP_CREDS, `$1 ${REDACTED}`);
  return out;
}

/** Lower-cased, separator-free form used for allow lists: "report_key" and "reportKey" are the same name. */
export function compactKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export interface RedactOptions {
  /** Keep body/payload/data fields (debug level). Default false: they are removed. */
  keepBodies?: boolean;
  /** Field names (compactKey form) known not to be secret although they look like it, e.g. "reportkey". */
  allowKeys?: ReadonlySet<string>;
  /** Deeper values are replaced by "[Depth]". Default 8. */
  maxDepth?: number;
}

/**
 * Returns a JSON-safe copy of `value` with secrets masked at any depth. Errors become {name, message, code,
 * stack, cause}; Maps become objects, Sets and typed arrays become arrays/summaries; cycles become "[Circular]".
 */
export function redact(value: unknown, opts: RedactOptions = {}): unknown {
  return walk(
    value,
    { keepBodies: opts.keepBodies ?? false, maxDepth: opts.maxDepth ?? 8, allow: opts.allowKeys },
    0,
    new WeakSet(),
  );
}

type Walk = { keepBodies: boolean; maxDepth: number; allow: ReadonlySet<string> | undefined };

function walk(v: unknown, o: Walk, depth: number, seen: WeakSet<object>): unknown {
  switch (typeof v) {
    case "string":
      return redactString(v);
    case "number":
      return Number.isFinite(v) ? v : String(v);
    case "bigint":
      return v.toString();
    case "boolean":
      return v;
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (v === null) return null;
  const obj = v as object;
  if (seen.has(obj)) return "[Circular]";
  if (depth >= o.maxDepth) return "[Depth]";
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
  if (obj instanceof Uint8Array) return `[${obj.byteLength} bytes]`;
  seen.add(obj);
  try {
    const next = (x: unknown) => walk(x, o, depth + 1, seen);
    if (Array.isArray(obj)) return obj.map(next);
    if (obj instanceof Set) return [...obj].map(next);
    if (obj instanceof Error) return errorFields(obj, next);
    const entries: Iterable<[unknown, unknown]> = obj instanceof Map ? obj.entries() : Object.entries(obj);
    const out: Record<string, unknown> = {};
    for (const [k, val] of entries) {
      const key = String(k);
      if (!o.keepBodies && isBodyKey(key)) continue;
      if (isSecretKey(key) && !o.allow?.has(compactKey(key))) {
        if (val !== undefined && val !== null && val !== "") out[key] = REDACTED;
        continue;
      }
      const r = next(val);
      if (r !== undefined) out[key] = r;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

function errorFields(err: Error, next: (x: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: redactString(err.message) };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = next(code);
  if (err.stack) out.stack = redactString(err.stack);
  if (err.cause !== undefined) out.cause = next(err.cause);
  return out;
}
