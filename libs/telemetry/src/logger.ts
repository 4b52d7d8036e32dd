// Structured JSON-lines logger. One line per entry: {"time","level","service","msg", ...fields}. Fields are
// redacted (see redact.ts) and bodies are emitted only at debug level, so callers can pass whole objects without
// thinking about what they contain.
import { TelemetryError } from "./errors.js";
import { compactKey, redact } from "./redact.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
// Fields cannot overwrite the envelope; a colliding field is renamed with a trailing underscore.
const RESERVED = new Set(["time", "level", "service", "msg"]);

/** Where log lines go; `process.stdout` by default. Each call receives one complete line ending in "\n". */
export interface LogStream {
  write(line: string): unknown;
}

export interface LoggerOptions {
  /** Service name written on every line (gateway, matcher, applier, ctl). */
  service: string;
  /** Minimum level; default: env EVT_LOG_LEVEL, else "info". */
  level?: LogLevel;
  /** Destination; default process.stdout. */
  stream?: LogStream;
  /** Environment consulted for EVT_LOG_LEVEL; default process.env. */
  env?: Record<string, string | undefined>;
  /**
   * Field names that look secret but are not in this service (e.g. ["reportKey"]); matched ignoring case and
   * separators. Prefer a name without a secret word; use this when the name is fixed (a wire field).
   */
  allowKeys?: readonly string[];
  /** Clock, for tests. */
  now?: () => Date;
}

export interface Logger {
  readonly service: string;
  readonly level: LogLevel;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** True when entries of `level` are written; use to skip building expensive debug fields. */
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger that adds `fields` to every entry (e.g. {cluster, trigger}). */
  child(fields: Record<string, unknown>): Logger;
}

/** Parses a level name, throwing EVT_TELEMETRY_LOG_LEVEL for anything else. */
export function parseLogLevel(value: string, source = "log level"): LogLevel {
  const v = value.trim().toLowerCase();
  if (v in LEVELS) return v as LogLevel;
  throw new TelemetryError(
    "EVT_TELEMETRY_LOG_LEVEL",
    `${source}: "${value}" is not a log level (expected debug, info, warn or error)`,
  );
}

/** Creates the root logger of a service. Invalid EVT_LOG_LEVEL throws EVT_TELEMETRY_LOG_LEVEL at start. */
export function createLogger(opts: LoggerOptions): Logger {
  const envLevel = (opts.env ?? process.env).EVT_LOG_LEVEL;
  const level = opts.level ?? (envLevel ? parseLogLevel(envLevel, "EVT_LOG_LEVEL") : "info");
  const sink: Sink = {
    stream: opts.stream ?? process.stdout,
    now: opts.now ?? (() => new Date()),
    allowKeys: opts.allowKeys?.length ? new Set(opts.allowKeys.map(compactKey)) : undefined,
  };
  return new JsonLogger(opts.service, level, sink, {});
}

// What a logger and all its children share.
interface Sink {
  stream: LogStream;
  now: () => Date;
  allowKeys: ReadonlySet<string> | undefined;
}

class JsonLogger implements Logger {
  constructor(
    readonly service: string,
    readonly level: LogLevel,
    private readonly sink: Sink,
    private readonly bound: Record<string, unknown>,
  ) {}

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.write("debug", msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.write("info", msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write("warn", msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write("error", msg, fields);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return LEVELS[level] >= LEVELS[this.level];
  }

  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.service, this.level, this.sink, { ...this.bound, ...fields });
  }

  private write(level: LogLevel, msg: string, fields: Record<string, unknown> | undefined): void {
    if (!this.isLevelEnabled(level)) return;
    const all = fields ? { ...this.bound, ...fields } : this.bound;
    const clean = redact(all, { keepBodies: level === "debug", allowKeys: this.sink.allowKeys }) as Record<
      string,
      unknown
    >;
    const entry: Record<string, unknown> = {
      time: this.sink.now().toISOString(),
      level,
      service: this.service,
      msg: redact(msg),
    };
    for (const [k, v] of Object.entries(clean)) entry[RESERVED.has(k) ? `${k}_` : k] = v;
    // redact() returns plain JSON-safe data (no toJSON, no cycles), so stringify cannot throw here.
    const line = JSON.stringify(entry);
    this.sink.stream.write(`${line}\n`);
  }
}
