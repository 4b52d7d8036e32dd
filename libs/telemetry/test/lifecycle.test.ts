import { createLogger, ServiceLifecycle } from "@evtrigger/telemetry";
import { waitFor } from "@evtrigger/testkit";

const lines: string[] = [];
const logger = createLogger({ service: "test", level: "debug", stream: { write: (l: string) => lines.push(l) } });

describe("lifecycle", () => {
  test("lifecycle - drains run in reverse order, a failing one does not stop the rest", async () => {
    const order: string[] = [];
    const lc = new ServiceLifecycle({ exit: () => {} });
    lc.onShutdown(() => void order.push("nats"), "nats");
    lc.onShutdown(async () => {
      order.push("consumer");
      throw new Error("drain broke");
    }, "consumer");
    lc.onShutdown(async () => void order.push("http"), "http");
    const r = await lc.shutdown(logger);
    expect(order).toEqual(["http", "consumer", "nats"]);
    expect(r).toEqual({ failed: ["consumer"], timedOut: false });
    expect(await lc.shutdown(logger)).toBe(r);
    expect(order).toHaveLength(3);
  });

  test("lifecycle - a stuck drain is cut off by the timeout", async () => {
    const lc = new ServiceLifecycle({ timeoutMs: 50, exit: () => {} });
    lc.onShutdown(() => undefined, "quick");
    lc.onShutdown(() => new Promise<void>(() => {}), "stuck");
    expect(await lc.shutdown(logger)).toEqual({ failed: ["stuck", "quick"], timedOut: true });
  });

  test("lifecycle - SIGTERM drains then exits 0; a second signal does not skip drains", async () => {
    const codes: number[] = [];
    let release: () => void = () => {};
    const drained: string[] = [];
    const lc = new ServiceLifecycle({ exit: (c) => codes.push(c) });
    lc.onShutdown(
      () =>
        new Promise<void>(
          (r) =>
            (release = () => {
              drained.push("x");
              r();
            }),
        ),
      "x",
    );
    const uninstall = installAndCheck(lc);
    try {
      process.emit("SIGTERM", "SIGTERM");
      expect(lc.shuttingDown).toBe(true);
      process.emit("SIGINT", "SIGINT");
      expect(codes).toEqual([]);
      release();
      await waitFor(() => codes.length > 0, { what: "exit" });
      expect(codes).toEqual([0]);
      expect(drained).toEqual(["x"]);
    } finally {
      uninstall();
    }
  });

  test("lifecycle - exit code 1 when a drain failed", async () => {
    const codes: number[] = [];
    const lc = new ServiceLifecycle({ exit: (c) => codes.push(c) });
    lc.onShutdown(() => {
      throw new Error("nope");
    });
    const uninstall = installAndCheck(lc);
    try {
      process.emit("SIGINT", "SIGINT");
      await waitFor(() => codes.length > 0, { what: "exit" });
      expect(codes).toEqual([1]);
    } finally {
      uninstall();
    }
  });
});

function installAndCheck(lc: ServiceLifecycle): () => void {
  const before = process.listenerCount("SIGTERM");
  const uninstall = lc.installSignalHandlers(logger);
  expect(process.listenerCount("SIGTERM")).toBe(before + 1);
  return () => {
    uninstall();
    expect(process.listenerCount("SIGTERM")).toBe(before);
  };
}
