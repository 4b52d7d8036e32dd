// Several emulated clusters in one process: separate ports, stores and kubeconfigs.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type KubeEmulator, startKubeEmulators } from "../src/mod.js";
import { api, kubectlFor } from "./helpers.js";

let clusters: KubeEmulator[];
const dir = mkdtempSync(join(tmpdir(), "evt-clusters-"));

beforeAll(async () => {
  clusters = await startKubeEmulators(["mgmt", "prod"], { kubeconfigDir: dir });
});
afterAll(() => Promise.all(clusters.map((c) => c.stop())));

describe("clusters", () => {
  test("clusters - each has its own port, kubeconfig context and objects", async () => {
    const [mgmt, prod] = clusters as [KubeEmulator, KubeEmulator];
    expect(mgmt.url).not.toBe(prod.url);
    expect(mgmt.kubeconfigPath).toBe(join(dir, "mgmt.kubeconfig"));
    expect(existsSync(prod.kubeconfigPath)).toBe(true);
    expect((await kubectlFor(prod)(["config", "current-context"])).stdout).toBe("prod\n");
    expect((await api(mgmt, "POST", "/api/v1/namespaces", { metadata: { name: "only-mgmt" } })).status).toBe(201);
    const r = await kubectlFor(prod)(["get", "ns", "only-mgmt"]);
    expect(r.stderr).toContain('namespaces "only-mgmt" not found');
    expect((await api(prod, "GET", "/api/v1/namespaces", undefined, { token: mgmt.token })).status).toBe(401);
  });
});
