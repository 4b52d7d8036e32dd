// The request hook: every authenticated resource request is reported as RBAC sees it.

import { waitFor } from "@evtrigger/testkit";
import { type KubeEmulator, type RequestRecord, startKubeEmulator } from "../src/mod.js";
import { api, watchStream } from "./helpers.js";

let emu: KubeEmulator;
const seen: RequestRecord[] = [];

beforeAll(async () => {
  emu = await startKubeEmulator({ clusterName: "record-test", onRequest: (r) => seen.push(r) });
});
afterAll(() => emu.stop());

describe("record", () => {
  test("record - onRequest sees verb, group, resource and subresource; discovery and bad tokens are not reported", async () => {
    await api(emu, "GET", "/apis");
    await api(emu, "GET", "/api/v1/namespaces/default/configmaps", undefined, { token: "wrong" });
    await api(emu, "POST", "/api/v1/namespaces/default/configmaps", { metadata: { name: "a" } });
    const watch = watchStream(emu, "/api/v1/configmaps?watch=true");
    await waitFor(() => seen.length === 2, { timeoutMs: 5000, what: "the watch request" });
    watch.close();
    await api(
      emu,
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/d/status",
      {},
      {
        contentType: "application/merge-patch+json",
      },
    );
    expect(
      seen.map(({ verb, group, resource, subresource, namespace, name }) => ({
        verb,
        group,
        resource,
        subresource,
        namespace,
        name,
      })),
    ).toEqual([
      {
        verb: "create",
        group: "",
        resource: "configmaps",
        subresource: undefined,
        namespace: "default",
        name: undefined,
      },
      {
        verb: "watch",
        group: "",
        resource: "configmaps",
        subresource: undefined,
        namespace: undefined,
        name: undefined,
      },
      { verb: "patch", group: "apps", resource: "deployments", subresource: "status", namespace: "default", name: "d" },
    ]);
  });
});
