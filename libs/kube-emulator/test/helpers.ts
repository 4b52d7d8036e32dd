// Test helpers: a raw HTTPS client for the emulator and a kubectl runner with its own cache dir.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeEmulator } from "../src/mod.js";

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  text: string;
}

/** One request to the emulator with its token (unless `token: null`). */
export function api(
  emu: KubeEmulator,
  method: string,
  path: string,
  body?: unknown,
  opts: { contentType?: string; token?: string | null; accept?: string } = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: opts.accept ?? "application/json" };
    const token = opts.token === undefined ? emu.token : opts.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    if (payload !== undefined) {
      headers["Content-Type"] = opts.contentType ?? "application/json";
      // Node sends DELETE bodies unframed unless the length is given.
      headers["Content-Length"] = String(Buffer.byteLength(payload));
    }
    const req = request(`${emu.url}${path}`, { method, headers, ca: emu.caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not JSON (e.g. a watch stream); callers use `text`
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
      });
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export interface Kubectl {
  (args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts a long-running kubectl (e.g. `get -w`); returns its growing stdout and a stop function. */
  spawn(args: string[]): { output: () => string; stop: () => void };
}

/** kubectl bound to one emulator's kubeconfig and a fresh cache dir (discovery must not leak between files). */
export function kubectlFor(emu: KubeEmulator): Kubectl {
  const cacheDir = mkdtempSync(join(tmpdir(), "evt-kubectl-cache-"));
  const base = ["--kubeconfig", emu.kubeconfigPath, "--cache-dir", cacheDir];
  const run = ((args: string[], stdin?: string) =>
    new Promise((resolve) => {
      const child = execFile("kubectl", [...base, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
      if (stdin !== undefined) child.stdin?.end(stdin);
      else child.stdin?.end();
    })) as Kubectl;
  run.spawn = (args: string[]) => {
    const child = spawn("kubectl", [...base, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString();
    });
    return { output: () => out, stop: () => child.kill("SIGTERM") };
  };
  return run;
}

export interface WatchStream {
  events: () => { type: string; object: Record<string, unknown> & { metadata?: Record<string, unknown> } }[];
  ended: () => boolean;
  close: () => void;
}

/** A raw watch: parsed events as they arrive, and whether the server ended the stream. */
export function watchStream(emu: KubeEmulator, path: string): WatchStream {
  let buf = "";
  let ended = false;
  const req = request(
    `${emu.url}${path}`,
    { headers: { Authorization: `Bearer ${emu.token}` }, ca: emu.caPem },
    (res) => {
      res.on("data", (c: Buffer) => {
        buf += c.toString();
      });
      res.on("end", () => {
        ended = true;
      });
      res.on("error", () => {
        ended = true;
      });
    },
  );
  req.on("error", () => {
    ended = true;
  });
  req.end();
  return {
    events: () =>
      buf
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l)),
    ended: () => ended,
    close: () => req.destroy(),
  };
}
