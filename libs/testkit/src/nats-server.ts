import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, writeFileSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { join } from "node:path";
import { NatsServerError } from "./errors.js";
import { freePort, tempDir } from "./net.js";
import type { TlsFiles } from "./tls.js";

export interface NatsServerOptions {
  /** Port to listen on; a free one by default. Never 4222 unless asked for explicitly. */
  port?: number;
  jetstream?: boolean; // default true
  user?: string;
  password?: string;
  token?: string;
  /** Public nkeys of users allowed in (seeds stay with the clients). */
  nkeys?: string[];
  /** Serve TLS with these files; `verify` asks for client certificates (mTLS). */
  tls?: TlsFiles & { verify?: boolean };
  /** Extra raw nats-server config appended to the generated file. */
  extraConfig?: string;
  /** Maximum payload, bytes (nats-server's max_payload). */
  maxPayload?: number;
  debug?: boolean;
  /**
   * GOMAXPROCS for the server (Go's default: every core). One suits a server that shares a small machine with the
   * processes it serves: on two cores with six busy Node processes, Go's idle processors spin and sleep, and a
   * quarter of nats-server's samples were context switches (perf); with one, its CPU per message fell ~12%.
   */
  goMaxProcs?: number;
}

export interface NatsServer {
  url: string;
  port: number;
  storeDir: string;
  configFile: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
  /** Stops and starts again on the same port with the same store dir, so JetStream state survives. */
  restart(): Promise<void>;
  /** Stops without a clean shutdown (SIGKILL). */
  kill(): Promise<void>;
  /** Starts again after stop()/kill(). */
  start(): Promise<void>;
  readonly running: boolean;
  /** The running server's process id (benchmarks read its CPU time), undefined when stopped. */
  readonly pid: number | undefined;
}

const CANDIDATES = ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"];

/** Finds the nats-server binary on PATH or in the usual Debian places. */
export function findNatsServer(candidates: readonly string[] = CANDIDATES): string {
  const onPath = (process.env.PATH ?? "")
    .split(":")
    .filter(Boolean)
    .map((d) => join(d, "nats-server"));
  for (const p of [...(process.env.NATS_SERVER_BIN ? [process.env.NATS_SERVER_BIN] : []), ...onPath, ...candidates]) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* try the next one */
    }
  }
  throw new NatsServerError(
    "EVT_TESTKIT_NO_BINARY",
    "nats-server not found on PATH or in /usr/sbin: install it with `apt-get install -y nats-server`",
  );
}

function renderConfig(o: NatsServerOptions, port: number, storeDir: string): string {
  const lines = [`listen: 127.0.0.1:${port}`, `server_name: evt_test_${port}`];
  if (o.jetstream !== false) lines.push(`jetstream { store_dir: ${JSON.stringify(storeDir)} }`);
  if (o.maxPayload) lines.push(`max_payload: ${o.maxPayload}`);
  const q = JSON.stringify;
  if (o.user || o.token || o.nkeys?.length) {
    const auth: string[] = [];
    if (o.token) auth.push(`token: ${q(o.token)}`);
    const users: string[] = [];
    if (o.user) users.push(`{user: ${q(o.user)}, password: ${q(o.password ?? "")}}`);
    for (const k of o.nkeys ?? []) users.push(`{nkey: ${q(k)}}`);
    if (users.length) auth.push(`users: [${users.join(", ")}]`);
    lines.push(`authorization { ${auth.join("\n")} }`);
  }
  if (o.tls) {
    lines.push(
      `tls { cert_file: ${q(o.tls.certFile)}, key_file: ${q(o.tls.keyFile)}, ca_file: ${q(o.tls.caFile)}, verify: ${o.tls.verify ? "true" : "false"}, timeout: 5 }`,
    );
  }
  if (o.extraConfig) lines.push(o.extraConfig);
  return `${lines.join("\n")}\n`;
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect({ port, host: "127.0.0.1" });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    // nats-server greets every client with an INFO line once it is ready to serve.
    sock.once("data", (d) => done(d.toString().startsWith("INFO")));
    sock.once("error", () => done(false));
  });
}

/** Starts a real nats-server (JetStream on by default) on a free loopback port with a temp store dir. */
export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServer> {
  const bin = findNatsServer();
  const port = opts.port ?? (await freePort());
  const dir = tempDir("evt-nats-");
  const storeDir = join(dir, "js");
  const configFile = join(dir, "nats.conf");
  writeFileSync(configFile, renderConfig(opts, port, storeDir));
  let child: ChildProcess | undefined;
  let stderr = "";

  const start = async () => {
    stderr = "";
    const args = ["-c", configFile];
    if (opts.debug) args.push("-DV");
    const env = opts.goMaxProcs ? { ...process.env, GOMAXPROCS: String(opts.goMaxProcs) } : process.env;
    const proc = spawn(bin, args, { stdio: ["ignore", "ignore", "pipe"], env });
    child = proc;
    proc.stderr?.on("data", (d: Buffer) => {
      if (stderr.length < 64_000) stderr += d.toString();
    });
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) break;
      if (await acceptsConnections(port)) return;
      await new Promise((r) => setTimeout(r, 30));
    }
    proc.kill("SIGKILL");
    throw new NatsServerError("EVT_TESTKIT_START", `nats-server did not start on port ${port}: ${stderr.slice(-2000)}`);
  };

  const halt = async (signal: NodeJS.Signals) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
      proc.once("exit", () => {
        clearTimeout(t);
        resolve();
      });
      proc.kill(signal);
    });
  };

  await start();
  const scheme = opts.tls ? "tls" : "nats";
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    storeDir,
    configFile,
    stop: () => halt("SIGTERM"),
    kill: () => halt("SIGKILL"),
    start,
    restart: async () => {
      await halt("SIGTERM");
      await start();
    },
    get running() {
      return child !== undefined && child.exitCode === null;
    },
    get pid() {
      return child !== undefined && child.exitCode === null ? child.pid : undefined;
    },
  };
}
