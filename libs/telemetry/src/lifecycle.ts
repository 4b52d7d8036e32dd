// Graceful shutdown: services register drains as they open things (consumer, connection, HTTP server); on
// SIGTERM/SIGINT they run in reverse order (last opened, first closed), bounded by a timeout, then the process exits.
import type { Logger } from "./logger.js";

export interface LifecycleOptions {
  /** Upper bound for all drains together; default 10000 ms (Kubernetes' grace period is 30 s). */
  timeoutMs?: number;
  /** Called with the exit code after shutdown; default process.exit. Tests inject a spy. */
  exit?: (code: number) => void;
}

export interface ShutdownResult {
  /** Names of drains that threw, or that had not finished when the timeout hit. */
  failed: string[];
  timedOut: boolean;
}

type Drain = { name: string; fn: () => Promise<void> | void };

export class ServiceLifecycle {
  private readonly drains: Drain[] = [];
  private running: Promise<ShutdownResult> | undefined;
  private readonly timeoutMs: number;
  private readonly exit: (code: number) => void;

  constructor(opts: LifecycleOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.exit = opts.exit ?? ((code) => process.exit(code));
  }

  /** Registers a drain; drains run in reverse registration order. `name` appears in logs and results. */
  onShutdown(fn: () => Promise<void> | void, name = `drain-${this.drains.length + 1}`): void {
    this.drains.push({ name, fn });
  }

  /** True once shutdown has started (e.g. to stop pulling new messages). */
  get shuttingDown(): boolean {
    return this.running !== undefined;
  }

  /**
   * Runs every drain once, newest first, each awaited before the next; a throwing drain is logged and the rest
   * still run. Stops waiting after the timeout. Calling it again returns the same run.
   */
  shutdown(logger?: Logger, reason = "shutdown"): Promise<ShutdownResult> {
    this.running ??= this.runDrains(logger, reason);
    return this.running;
  }

  /**
   * On SIGTERM or SIGINT: shutdown, then exit 0 when every drain finished cleanly, 1 when one failed or the
   * timeout hit. A second signal while draining is logged and ignored (a terminal's Ctrl-C plus a supervisor's
   * SIGTERM must not skip the drains). Returns a function that removes the handlers.
   */
  installSignalHandlers(logger: Logger): () => void {
    const handler = (signal: NodeJS.Signals) => {
      if (this.running) {
        logger.warn("signal received while shutting down; still draining", { signal });
        return;
      }
      logger.info("shutting down", { signal, drains: this.drains.length, timeoutMs: this.timeoutMs });
      void this.shutdown(logger, signal).then((r) => this.exit(r.failed.length === 0 ? 0 : 1));
    };
    process.on("SIGTERM", handler);
    process.on("SIGINT", handler);
    return () => {
      process.off("SIGTERM", handler);
      process.off("SIGINT", handler);
    };
  }

  private async runDrains(logger: Logger | undefined, reason: string): Promise<ShutdownResult> {
    const pending = new Set([...this.drains].reverse().map((d) => d.name));
    const failed: string[] = [];
    const all = (async () => {
      for (const d of [...this.drains].reverse()) {
        try {
          await d.fn();
          logger?.debug("drained", { drain: d.name });
        } catch (err) {
          failed.push(d.name);
          logger?.error("drain failed", { drain: d.name, err });
        }
        pending.delete(d.name);
      }
      return false;
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.timeoutMs);
      timer.unref();
    });
    const timedOut = await Promise.race([all, timeout]);
    clearTimeout(timer);
    if (timedOut) {
      failed.push(...pending);
      logger?.error("shutdown timed out", { timeoutMs: this.timeoutMs, pending: [...pending] });
    } else {
      logger?.info("shutdown complete", { reason, failed });
    }
    return { failed, timedOut };
  }
}
