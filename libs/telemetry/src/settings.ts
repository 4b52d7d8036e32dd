// Service settings from environment variables and flags, defined once as a schema so parsing and the
// configuration reference (issue 11) come from the same source. Precedence: flag > env > default.
import { type SettingProblem, SettingsError, TelemetryError } from "./errors.js";

export type SettingType = "string" | "int" | "bool" | "list";
type ValueOf<T extends SettingType> = T extends "int"
  ? number
  : T extends "bool"
    ? boolean
    : T extends "list"
      ? string[]
      : string;

/** One setting of type T; `SettingSpec` (no argument) is the union over all types, so `default` must match `type`. */
export interface SettingSpecOf<T extends SettingType> {
  /** Environment variable, e.g. "EVT_GATEWAY_HTTP_PORT". */
  env: string;
  /** Command-line flag without dashes, e.g. "http-port" (accepted as --http-port V or --http-port=V). */
  flag?: string;
  type: T;
  default?: ValueOf<T>;
  /** Missing and no default is an error. Without it (and without default) the value may be undefined. */
  required?: boolean;
  description: string;
  /** Never shown in describe() defaults or summary(). */
  secret?: boolean;
  /** Allowed values (string settings). */
  choices?: readonly string[];
  /** Inclusive bounds (int settings). */
  min?: number;
  max?: number;
}

export type SettingSpec = { [T in SettingType]: SettingSpecOf<T> }[SettingType];

export type SettingsSchema = Record<string, SettingSpec>;

// A string setting with `choices` parses to the union of those choices (e.g. a LogLevel).
type ValueOfSpec<P> = P extends { type: "string"; choices: readonly (infer C extends string)[] }
  ? C
  : P extends { type: infer T extends SettingType }
    ? ValueOf<T>
    : never;

/** Typed result of parse(): settings with a default or `required: true` are never undefined. */
export type SettingsValues<S extends SettingsSchema> = {
  [K in keyof S]: S[K] extends { default: unknown } | { required: true }
    ? ValueOfSpec<S[K]>
    : ValueOfSpec<S[K]> | undefined;
};

/** One row of the configuration reference. */
export interface SettingRow {
  name: string;
  env: string;
  flag?: string;
  type: SettingType;
  default?: string;
  required: boolean;
  secret: boolean;
  description: string;
}

export interface Settings<S extends SettingsSchema> {
  readonly schema: S;
  /** Parses settings; throws SettingsError listing every bad value by env var / flag. */
  parse(env?: Record<string, string | undefined>, argv?: readonly string[]): SettingsValues<S>;
  /** Rows for documentation, in schema order. */
  describe(): SettingRow[];
  /** The rows as a Markdown table (for docs/configuration.md). */
  markdown(): string;
  /** `values` safe to log: secret settings replaced by "[REDACTED]". */
  summary(values: SettingsValues<S>): Record<string, unknown>;
}

const BOOL: Record<string, boolean> = {
  true: true,
  "1": true,
  yes: true,
  on: true,
  false: false,
  "0": false,
  no: false,
  off: false,
};

/** Defines a service's settings. Schema mistakes (duplicate env/flag, default of the wrong type) throw at once. */
export function defineSettings<const S extends SettingsSchema>(schema: S): Settings<S> {
  checkSchema(schema);
  const byFlag = new Map(Object.entries(schema).flatMap(([n, s]) => (s.flag ? [[s.flag, n] as const] : [])));
  return {
    schema,
    parse(env = process.env, argv = process.argv.slice(2)) {
      const problems: SettingProblem[] = [];
      const flags = parseArgv(argv, byFlag, schema, problems);
      const out: Record<string, unknown> = {};
      for (const [name, spec] of Object.entries(schema)) {
        const fromFlag = flags.get(name);
        const raw = fromFlag ?? env[spec.env];
        const source = fromFlag !== undefined ? "flag" : "env";
        const problem = (message: string) =>
          problems.push({
            setting: name,
            env: spec.env,
            flag: spec.flag ? `--${spec.flag}` : undefined,
            source,
            message,
          });
        if (raw === undefined || (raw === "" && spec.type !== "string")) {
          if (spec.default !== undefined) out[name] = clone(spec.default);
          else if (spec.required) problem("required but not set");
          continue;
        }
        const r = convert(spec, raw);
        if ("error" in r) problem(r.error);
        else out[name] = r.value;
      }
      if (problems.length > 0) throw new SettingsError(problems);
      return out as SettingsValues<S>;
    },
    describe() {
      return Object.entries(schema).map(([name, s]) => ({
        name,
        env: s.env,
        ...(s.flag ? { flag: `--${s.flag}` } : {}),
        type: s.type,
        ...(s.default !== undefined ? { default: s.secret ? "[secret]" : show(s.default) } : {}),
        required: s.required ?? false,
        secret: s.secret ?? false,
        description: s.description + (s.choices ? ` One of: ${s.choices.join(", ")}.` : ""),
      }));
    },
    markdown() {
      const esc = (s: string) => s.replace(/\|/g, "\\|");
      const lines = ["| Variable | Flag | Type | Default | Description |", "|---|---|---|---|---|"];
      for (const r of this.describe()) {
        const def = r.default !== undefined ? `\`${esc(r.default)}\`` : r.required ? "*required*" : "";
        lines.push(`| \`${r.env}\` | ${r.flag ? `\`${r.flag}\`` : ""} | ${r.type} | ${def} | ${esc(r.description)} |`);
      }
      return lines.join("\n");
    },
    summary(values) {
      const out: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(values))
        out[name] = schema[name]?.secret && v !== undefined ? "[REDACTED]" : v;
      return out;
    },
  };
}

function parseArgv(
  argv: readonly string[],
  byFlag: Map<string, string>,
  schema: SettingsSchema,
  problems: SettingProblem[],
): Map<string, string> {
  const found = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--([a-z0-9][a-z0-9-]*)(?:=(.*))?$/i.exec(arg);
    if (!m) {
      problems.push({ setting: "", env: "", flag: arg, source: "argv", message: `unexpected argument "${arg}"` });
      continue;
    }
    const name = byFlag.get(m[1]);
    if (!name) {
      problems.push({ setting: "", env: "", flag: `--${m[1]}`, source: "argv", message: "unknown flag" });
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (schema[name].type === "bool" && (next === undefined || next.startsWith("--") || !(next in BOOL)))
        value = "true";
      else if (next === undefined) {
        problems.push({
          setting: name,
          env: schema[name].env,
          flag: `--${m[1]}`,
          source: "flag",
          message: "needs a value",
        });
        continue;
      } else value = argv[++i];
    }
    found.set(name, value);
  }
  return found;
}

type Converted = { value: unknown } | { error: string };

function convert(spec: SettingSpec, raw: string): Converted {
  const v = raw.trim();
  switch (spec.type) {
    case "string":
      if (spec.choices && !spec.choices.includes(v))
        return { error: `"${raw}" is not one of ${spec.choices.join(", ")}` };
      return { value: v };
    case "int": {
      if (!/^-?\d+$/.test(v)) return { error: `expected an integer, got "${raw}"` };
      const n = Number(v);
      if (!Number.isSafeInteger(n)) return { error: `integer out of range: "${raw}"` };
      if (spec.min !== undefined && n < spec.min) return { error: `must be at least ${spec.min}, got ${n}` };
      if (spec.max !== undefined && n > spec.max) return { error: `must be at most ${spec.max}, got ${n}` };
      return { value: n };
    }
    case "bool": {
      const b = BOOL[v.toLowerCase()];
      return b === undefined ? { error: `expected true or false, got "${raw}"` } : { value: b };
    }
    case "list":
      return {
        value: v
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      };
  }
}

function checkSchema(schema: SettingsSchema): void {
  const envs = new Set<string>();
  const flags = new Set<string>();
  const bad = (name: string, why: string) => {
    throw new TelemetryError("EVT_TELEMETRY_SETTINGS_SCHEMA", `setting "${name}": ${why}`);
  };
  for (const [name, s] of Object.entries(schema)) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(s.env)) bad(name, `env "${s.env}" must be UPPER_SNAKE_CASE`);
    if (envs.has(s.env)) bad(name, `env ${s.env} used twice`);
    envs.add(s.env);
    if (s.flag !== undefined) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(s.flag))
        bad(name, `flag "${s.flag}" must be kebab-case without dashes in front`);
      if (flags.has(s.flag)) bad(name, `flag --${s.flag} used twice`);
      flags.add(s.flag);
    }
    if (!s.description) bad(name, "description is required");
    if (s.default !== undefined) {
      const ok =
        s.type === "list"
          ? Array.isArray(s.default) && s.default.every((x) => typeof x === "string")
          : typeof s.default === { string: "string", int: "number", bool: "boolean" }[s.type];
      if (!ok || (s.type === "int" && !Number.isInteger(s.default))) bad(name, `default does not match type ${s.type}`);
    }
  }
}

function show(v: unknown): string {
  return Array.isArray(v) ? v.join(",") : String(v);
}

function clone<T>(v: T): T {
  return Array.isArray(v) ? ([...v] as T) : v;
}

/**
 * Settings every service has, spread into its own schema so names and defaults agree everywhere:
 * `defineSettings({ ...SERVICE_SETTINGS, natsUrl: {...} })`. Pass `logLevel` to createLogger, `httpHost`/`httpPort`
 * to startServiceHttp, `shutdownTimeoutMs` to ServiceLifecycle.
 */
export const SERVICE_SETTINGS = {
  logLevel: {
    env: "EVT_LOG_LEVEL",
    flag: "log-level",
    type: "string",
    default: "info",
    choices: ["debug", "info", "warn", "error"],
    description: "Minimum log level. Message bodies are only logged at debug.",
  },
  httpHost: {
    env: "EVT_HTTP_HOST",
    flag: "http-host",
    type: "string",
    default: "127.0.0.1",
    description: "Address of the /healthz, /readyz and /metrics endpoint; 0.0.0.0 in containers.",
  },
  httpPort: {
    env: "EVT_HTTP_PORT",
    flag: "http-port",
    type: "int",
    default: 8080,
    min: 0,
    max: 65535,
    description: "Port of the /healthz, /readyz and /metrics endpoint (0 = any free port).",
  },
  shutdownTimeoutMs: {
    env: "EVT_SHUTDOWN_TIMEOUT_MS",
    type: "int",
    default: 10_000,
    min: 0,
    description: "How long SIGTERM waits for in-flight work to drain before exiting.",
  },
} as const satisfies SettingsSchema;
