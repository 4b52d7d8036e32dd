// The commit log (/_emulator/commits): which changes of chosen resources were committed, and when, on the
// host's monotonic clock; driven by kubectl so the changes are real client writes.
import { execFileSync } from "node:child_process";
import { type KubeEmulator, startKubeEmulator } from "../src/mod.js";
import { api, kubectlFor } from "./helpers.js";

let emu: KubeEmulator;

beforeAll(async () => {
  emu = await startKubeEmulator({ clusterName: "commits-test" });
});
afterAll(() => emu.stop());

interface CommitJson {
  type: string;
  name: string;
  resource: string;
  resourceVersion: string;
  atMs: number;
}
const commitsOf = (body: Record<string, unknown>) => body.commits as CommitJson[];

/** The monotonic clock of another process of this machine, in ms (what a benchmark would compare against). */
const childMonotonicMs = () =>
  Number(execFileSync(process.execPath, ["-p", "String(process.hrtime.bigint())"], { encoding: "utf8" }).trim()) / 1e6;

describe("commit log", () => {
  test("commits - records the chosen resources' changes in order with monotonic commit times, pages by index", async () => {
    const kubectl = kubectlFor(emu);
    expect((await api(emu, "POST", "/_emulator/commits", { resources: ["namespaces"] }, { token: null })).status).toBe(
      401,
    );
    expect((await api(emu, "POST", "/_emulator/commits", { resources: ["namespaces"] })).status).toBe(201);
    const before = childMonotonicMs();
    expect((await kubectl(["create", "namespace", "c-one"])).code).toBe(0);
    expect((await kubectl(["create", "configmap", "not-recorded", "-n", "c-one"])).code).toBe(0);
    expect((await kubectl(["label", "namespace", "c-one", "x=y"])).code).toBe(0);
    const first = await api(emu, "GET", "/_emulator/commits");
    expect(first.status).toBe(200);
    expect(commitsOf(first.body).map((c) => `${c.type}:${c.name}`)).toEqual(["ADDED:c-one", "MODIFIED:c-one"]);
    expect(first.body.next).toBe(2);
    expect(first.body.full).toBe(false);
    const [added, labelled] = commitsOf(first.body);
    expect(added!.resource).toBe("namespaces");
    expect(Number(labelled!.resourceVersion)).toBeGreaterThan(Number(added!.resourceVersion));
    const after = childMonotonicMs();
    expect(added!.atMs).toBeGreaterThan(before);
    expect(labelled!.atMs).toBeGreaterThanOrEqual(added!.atMs);
    expect(labelled!.atMs).toBeLessThan(after);

    expect((await kubectl(["delete", "namespace", "c-one", "--wait=true"])).code).toBe(0);
    const rest = await api(emu, "GET", "/_emulator/commits?after=2");
    const types = commitsOf(rest.body).map((c) => c.type);
    expect(types[types.length - 1]).toBe("DELETED");
    expect(rest.body.next).toBe(2 + types.length);

    expect((await api(emu, "DELETE", "/_emulator/commits")).status).toBe(200);
    expect((await api(emu, "GET", "/_emulator/commits")).body).toEqual({ commits: [], next: 0, full: false });
  });

  test("commits - stops at max and says so; bad requests name the field", async () => {
    expect((await api(emu, "POST", "/_emulator/commits", { resources: ["namespaces"], max: 1 })).status).toBe(201);
    expect((await api(emu, "POST", "/api/v1/namespaces", { metadata: { name: "c-two" } })).status).toBe(201);
    expect((await api(emu, "POST", "/api/v1/namespaces", { metadata: { name: "c-three" } })).status).toBe(201);
    const page = await api(emu, "GET", "/_emulator/commits");
    expect(commitsOf(page.body).map((c) => c.name)).toEqual(["c-two"]);
    expect(page.body.full).toBe(true);

    const noResources = await api(emu, "POST", "/_emulator/commits", { resources: [] });
    expect(noResources.status).toBe(400);
    expect(String(noResources.body.message)).toContain('"resources"');
    const badMax = await api(emu, "POST", "/_emulator/commits", { resources: ["namespaces"], max: 0 });
    expect(badMax.status).toBe(400);
    expect(String(badMax.body.message)).toContain('"max"');
    const badAfter = await api(emu, "GET", "/_emulator/commits?after=-1");
    expect(badAfter.status).toBe(400);
    expect(String(badAfter.body.message)).toContain('"after"');
    expect((await api(emu, "PUT", "/_emulator/commits", {})).status).toBe(405);
  });
});
