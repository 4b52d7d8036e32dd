import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Resolves with the first output line matching `re`, rejects if the process exits first or on timeout. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a child process whose output lines are kept (last 200) and, when `echo` is given, forwarded with a
 * name prefix. Used by `dev up` for nats-server, the emulators and the three services.
 */
export function startChild(
  name: string,
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; echo?: (line: string) => void } = {},
): Child {
  const proc = spawn(cmd, args, { env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; resolve: (l: string) => void }> = [];
  const onLine = (line: string) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
    opts.echo?.(line);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].re.test(line)) {
        waiters[i].resolve(line);
        waiters.splice(i, 1);
      }
    }
  };
  createInterface({ input: proc.stdout! }).on("line", onLine);
  createInterface({ input: proc.stderr! }).on("line", onLine);
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));

  return {
    name,
    proc,
    waitForLine(re, timeoutMs = 20_000) {
      const seen = lines.find((l) => re.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(new Error(`${name}: no line matching ${re} within ${timeoutMs} ms\n${lines.slice(-20).join("\n")}`)),
          timeoutMs,
        );
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(t);
            resolve(l);
          },
        });
        exited.then((code) => {
          clearTimeout(t);
          reject(new Error(`${name} exited with code ${code} before printing ${re}\n${lines.slice(-20).join("\n")}`));
        });
      });
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const killer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      proc.kill("SIGTERM");
      await exited;
      clearTimeout(killer);
    },
  };
}
