import { mkdirSync, writeFileSync } from "node:fs";
import type https from "node:https";
import { join } from "node:path";
import { KubeConfig } from "@evtrigger/config";
import { tempDir } from "@evtrigger/testkit";
import { KubeConfig as ClientNodeKubeConfig } from "@kubernetes/client-node";

const b64 = (s: string) => Buffer.from(s).toString("base64");

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: "other", cluster: { server: "https://other:6443" } },
      { name: "c", cluster: { server: "https://api.example:6443/", ...cluster } },
    ],
    users: [{ name: "u", user }],
    contexts: [
      { name: "x", context: { cluster: "other", user: "u" } },
      { name: "ctx", context: { cluster: "c", user: "u" } },
    ],
    "current-context": "ctx",
  });
}

async function optionsOf(kc: { applyToHTTPSOptions(o: https.RequestOptions): Promise<void> }) {
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return opts;
}

describe("kubeconfig", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("evt-kubeconfig-");
    mkdirSync(join(dir, "certs"));
    writeFileSync(join(dir, "certs/ca.crt"), "CA FROM FILE");
    writeFileSync(join(dir, "certs/client.crt"), "CERT FROM FILE");
    writeFileSync(join(dir, "certs/client.key"), "KEY FROM FILE");
    writeFileSync(join(dir, "token"), "token-from-file");
  });

  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    [
      "client certificate data and CA data",
      { "client-certificate-data": b64("C"), "client-key-data": b64("K") },
      { "certificate-authority-data": b64("CA") },
    ],
    [
      "relative certificate files",
      { "client-certificate": "certs/client.crt", "client-key": "certs/client.key" },
      { "certificate-authority": "certs/ca.crt" },
    ],
    [
      "a bearer token, skip-verify and a TLS server name",
      { token: "t0k3n" },
      { "insecure-skip-tls-verify": true, "tls-server-name": "api.internal" },
    ],
    ["basic auth and impersonation", { username: "admin", password: "secret", as: "alice" }, {}],
  ];

  test.each(cases)("kubeconfig - %s gives the same options as client-node", async (_, user, cluster) => {
    const file = join(dir, "config");
    writeFileSync(file, kubeconfig(user, cluster));
    const ours = new KubeConfig();
    ours.loadFromFile(file);
    const theirs = new ClientNodeKubeConfig();
    theirs.loadFromFile(file);
    expect(ours.getCurrentCluster()).toEqual(expect.objectContaining({ ...theirs.getCurrentCluster() }));
    // client-node also builds an https.Agent from the same TLS options; ours leaves the agent to the caller.
    const { agent, ...expected } = await optionsOf(theirs);
    expect(agent).toBeDefined();
    expect(await optionsOf(ours)).toEqual(expected);
  });

  test("kubeconfig - a token file is read on every request (rotated service-account tokens)", async () => {
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfig({ "token-file": join(dir, "token") }));
    expect((await optionsOf(kc)).headers).toEqual({ Authorization: "Bearer token-from-file" });
    writeFileSync(join(dir, "token"), "rotated\n");
    expect((await optionsOf(kc)).headers).toEqual({ Authorization: "Bearer rotated" });
  });

  test("kubeconfig - an exec plugin is run through client-node", async () => {
    const credential = JSON.stringify({
      apiVersion: "client.authentication.k8s.io/v1",
      kind: "ExecCredential",
      status: { token: "from-exec" },
    });
    const kc = new KubeConfig();
    kc.loadFromString(
      kubeconfig({
        exec: {
          apiVersion: "client.authentication.k8s.io/v1",
          command: process.execPath,
          args: ["-e", `process.stdout.write(${JSON.stringify(credential)})`],
          interactiveMode: "Never",
        },
      }),
    );
    expect((await optionsOf(kc)).headers).toEqual(expect.objectContaining({ Authorization: "Bearer from-exec" }));
  });

  test("kubeconfig - names the missing field of a broken entry", () => {
    const kc = new KubeConfig();
    expect(() => kc.loadFromString(JSON.stringify({ clusters: [{ name: "c", cluster: {} }] }))).toThrow(
      "clusters[0].cluster.server is missing",
    );
    expect(() => kc.loadFromString(JSON.stringify({ contexts: [{ name: "x", context: {} }] }))).toThrow(
      "contexts[0].context.cluster is missing",
    );
  });

  test("kubeconfig - no current context gives no cluster and leaves the options alone", async () => {
    const kc = new KubeConfig();
    kc.loadFromString(JSON.stringify({ clusters: [{ name: "c", cluster: { server: "https://a" } }] }));
    expect(kc.getCurrentCluster()).toBeNull();
    expect(await optionsOf(kc)).toEqual({});
  });
});
