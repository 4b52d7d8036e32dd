import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@evtrigger/testkit";
import { jest } from "@jest/globals";
import { serveKubeEmulator } from "../src/commands/kube-emulator.js";

function kubectl(kubeconfig: string, cacheDir: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile("kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? 1 : 0, out: `${stdout}${stderr}` });
    });
  });
}

test("kube-emulator - writes the kubeconfig, prints listening <url>, serves kubectl until told to stop", async () => {
  const dir = mkdtempSync(join(tmpdir(), "evtctl-kube-"));
  const kubeconfig = join(dir, "kc.yaml");
  let out = "";
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
    out += String(c);
    return true;
  });
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  try {
    const fault = JSON.stringify({ match: { verb: "get", name: "kube-public" }, action: { status: 500 } });
    const run = serveKubeEmulator(["--kubeconfig", kubeconfig, "--token", "t0k", "--fault", fault], () => stopped);
    const url = (await waitFor(() => /^listening (https:\/\/\S+)$/m.exec(out)?.[1], {
      what: "listening line",
    })) as string;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const cache = join(dir, "cache");
    expect(await kubectl(kubeconfig, cache, ["get", "ns", "default", "-o", "name"])).toEqual({
      code: 0,
      out: "namespace/default\n",
    });
    const failed = await kubectl(kubeconfig, cache, ["get", "ns", "kube-public"]);
    expect(failed.out).toContain("injected fault");
    stop();
    expect(await run).toBe(0);
  } finally {
    spy.mockRestore();
  }
});

test("kube-emulator - bad flags exit 2 without starting anything", async () => {
  const spy = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    expect(await serveKubeEmulator(["--port", "99999"], () => Promise.resolve())).toBe(2);
    expect(await serveKubeEmulator(["--fault", "{not json"], () => Promise.resolve())).toBe(2);
    expect(await serveKubeEmulator(["--bogus"], () => Promise.resolve())).toBe(2);
  } finally {
    spy.mockRestore();
  }
});
