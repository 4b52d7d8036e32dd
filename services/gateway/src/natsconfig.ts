// The managed cluster's `projectsveltos/sveltos-nats` Secret payload: types, a minimal structural check (until
// libs/config's schema is wired in, see source.ts) and decoding of Go []byte PEMs for the NATS client.

export interface NatsAuthorization {
  user?: { user: string; password: string };
  token?: string;
  /** base64 of PEM (Go []byte in Sveltos); raw PEM accepted too. */
  clientCert?: { certPem: string; keyPem: string };
  rootCA?: string;
  /** Beyond Sveltos: an nkey user seed (`SU...`). */
  nkey?: { seed: string };
  /** Beyond Sveltos: a `.creds` file, as text or base64. */
  creds?: string;
}

export interface NatsStreamRef {
  name: string;
  subjects: string[];
}

export interface NatsConnectionConfig {
  nats?: { configuration: { url: string; subjects: string[]; authorization?: NatsAuthorization } };
  jetstream?: {
    configuration: {
      url: string;
      /** Sveltos agent code form: each entry is a stream name. */
      subjects?: string[];
      /** Sveltos docs form: streams created when missing. */
      streams?: NatsStreamRef[];
      authorization?: NatsAuthorization;
    };
  };
}

export interface ConfigProblem {
  path: string;
  reason: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

function checkStrings(v: unknown, path: string, out: ConfigProblem[], required: boolean): void {
  if (v === undefined) {
    if (required) out.push({ path, reason: "required" });
    return;
  }
  if (!Array.isArray(v)) {
    out.push({ path, reason: "must be a list of strings" });
    return;
  }
  v.forEach((s, i) => {
    if (typeof s !== "string" || s === "") out.push({ path: `${path}[${i}]`, reason: "must be a non-empty string" });
  });
}

function checkAuth(v: unknown, path: string, out: ConfigProblem[]): void {
  if (v === undefined) return;
  if (!isObj(v)) {
    out.push({ path, reason: "must be an object" });
    return;
  }
  const str = (x: unknown, p: string) => typeof x !== "string" && out.push({ path: p, reason: "must be a string" });
  if (v.user !== undefined) {
    if (!isObj(v.user)) out.push({ path: `${path}.user`, reason: "must be {user, password}" });
    else {
      str(v.user.user, `${path}.user.user`);
      str(v.user.password, `${path}.user.password`);
    }
  }
  if (v.token !== undefined) str(v.token, `${path}.token`);
  if (v.rootCA !== undefined) str(v.rootCA, `${path}.rootCA`);
  if (v.creds !== undefined) str(v.creds, `${path}.creds`);
  if (v.clientCert !== undefined) {
    if (!isObj(v.clientCert)) out.push({ path: `${path}.clientCert`, reason: "must be {certPem, keyPem}" });
    else {
      str(v.clientCert.certPem, `${path}.clientCert.certPem`);
      str(v.clientCert.keyPem, `${path}.clientCert.keyPem`);
    }
  }
  if (v.nkey !== undefined) {
    if (!isObj(v.nkey)) out.push({ path: `${path}.nkey`, reason: "must be {seed}" });
    else str(v.nkey.seed, `${path}.nkey.seed`);
  }
  for (const k of Object.keys(v)) {
    if (!["user", "token", "rootCA", "creds", "clientCert", "nkey"].includes(k)) {
      out.push({ path: `${path}.${k}`, reason: "unknown field" });
    }
  }
}

/** Parses and checks the Secret value (JSON text or already parsed). Problems name the field. */
export function parseNatsConfig(raw: unknown): { config?: NatsConnectionConfig; problems: ConfigProblem[] } {
  let v = raw;
  if (typeof raw === "string" || raw instanceof Uint8Array) {
    const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw);
    try {
      v = JSON.parse(text);
    } catch (err) {
      return { problems: [{ path: "", reason: `not valid JSON: ${(err as Error).message}` }] };
    }
  }
  const out: ConfigProblem[] = [];
  if (!isObj(v)) return { problems: [{ path: "", reason: "must be a JSON object" }] };
  for (const section of ["nats", "jetstream"] as const) {
    const s = v[section];
    if (s === undefined) continue;
    const c = isObj(s) ? s.configuration : undefined;
    const p = `${section}.configuration`;
    if (!isObj(c)) {
      out.push({ path: p, reason: "required object" });
      continue;
    }
    if (typeof c.url !== "string" || c.url === "") out.push({ path: `${p}.url`, reason: "required non-empty string" });
    if (section === "nats") checkStrings(c.subjects, `${p}.subjects`, out, true);
    else {
      checkStrings(c.subjects, `${p}.subjects`, out, false);
      if (c.streams !== undefined) {
        if (!Array.isArray(c.streams)) out.push({ path: `${p}.streams`, reason: "must be a list" });
        else
          c.streams.forEach((st, i) => {
            if (!isObj(st) || typeof st.name !== "string" || st.name === "") {
              out.push({ path: `${p}.streams[${i}].name`, reason: "required non-empty string" });
            } else checkStrings(st.subjects, `${p}.streams[${i}].subjects`, out, true);
          });
      }
      if (c.subjects === undefined && c.streams === undefined) {
        out.push({ path: `${p}.streams`, reason: "either subjects (stream names) or streams is required" });
      }
    }
    checkAuth(c.authorization, `${p}.authorization`, out);
  }
  return out.length ? { problems: out } : { config: v as NatsConnectionConfig, problems: [] };
}

/** A PEM from the Secret: base64 of the PEM (what Go's []byte marshals to) or the PEM text itself. */
export function decodePem(v: string, path: string): string {
  if (v.includes("-----BEGIN")) return v;
  const text = Buffer.from(v, "base64").toString("utf8");
  if (!text.includes("-----BEGIN")) throw new Error(`${path}: neither PEM nor base64 of a PEM`);
  return text;
}

/** `.creds` content, plain or base64. */
export function decodeCreds(v: string): string {
  if (v.includes("-----BEGIN")) return v;
  return Buffer.from(v, "base64").toString("utf8");
}

/** The URL without user info, for status and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/g, "//***@");
}
