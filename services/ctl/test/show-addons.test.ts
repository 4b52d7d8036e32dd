// evtctl show addons / show dryrun: read the applier's inventory from KV on a real nats-server.
import { type InventoryEntry, inventoryKey, openInventory } from "@evtrigger/applier";
import { type Bus, connectBus, ensureTopology } from "@evtrigger/bus";
import { type NatsServer, startNatsServer } from "@evtrigger/testkit";
import { show } from "../src/commands/show.js";
import { formatAddons, goTime } from "../src/commands/show-addons.js";
import { capture } from "./capture.js";

function entry(
  o: Partial<InventoryEntry> & Pick<InventoryEntry, "trigger" | "cluster" | "ceSubject" | "objects">,
): InventoryEntry {
  return {
    v: 1,
    triggerGeneration: 1,
    sourceCluster: { namespace: "default", name: "clusterapi-workload", kind: "SveltosCluster" },
    eventSource: "user-operation",
    eventKey: `k-${o.ceSubject}`,
    ceSource: "auth.example.com",
    ceType: "auth.example.com.login",
    ceId: "10001",
    eventSeq: 1,
    eventMsgId: "m1",
    action: "Create",
    syncMode: "Continuous",
    stopMatchingBehavior: "WithdrawPolicies",
    event: { specversion: "1.0", id: "10001", source: "auth.example.com", type: "auth.example.com.login" },
    matchedAt: "2026-02-04T13:12:03.000Z",
    appliedAt: "2026-02-04T13:12:03.000Z",
    ...o,
  };
}

describe("show addons", () => {
  let server: NatsServer;
  let bus: Bus;
  beforeAll(async () => {
    server = await startNatsServer();
    bus = await connectBus({ servers: server.url, name: "ctl-test" });
    await ensureTopology(bus.jsm, bus.kvm);
    const inv = await openInventory(bus.kvm);
    const put = (e: InventoryEntry, mode: "applied" | "dryrun" = "applied") =>
      inv.put(inventoryKey({ trigger: e.trigger, cluster: e.cluster, eventKey: e.eventKey }, mode), e, 0);
    await put(
      entry({
        trigger: "manage-namespace",
        cluster: "default/clusterapi-workload",
        ceSubject: "mgianluc",
        objects: [{ apiVersion: "v1", kind: "Namespace", name: "mgianluc" }],
      }),
    );
    await put(
      entry({
        trigger: "deploy",
        cluster: "prod/eu",
        ceSubject: "bob",
        objects: [
          { apiVersion: "apps/v1", kind: "Deployment", namespace: "bob", name: "web" },
          { apiVersion: "v1", kind: "Namespace", name: "bob" },
        ],
      }),
    );
    // A Delete tombstone deploys nothing: no row.
    await put(
      entry({
        trigger: "manage-namespace",
        cluster: "default/clusterapi-workload",
        ceSubject: "gone",
        action: "Delete",
        objects: [],
      }),
    );
    await put(
      entry({
        trigger: "dry",
        cluster: "default/clusterapi-workload",
        ceSubject: "dave",
        dryRun: true,
        objects: [{ apiVersion: "v1", kind: "Namespace", name: "dave" }],
      }),
      "dryrun",
    );
  });
  afterAll(async () => {
    await bus.close();
    await server.stop();
  });

  test("show addons - a sveltosctl-style table of deployed objects with their EventTrigger and event", async () => {
    const r = await capture(() => show.run(["addons", "-s", server.url]));
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines[1]).toMatch(
      /^\|\s+CLUSTER\s+\|\s+RESOURCE TYPE\s+\|\s+NAMESPACE\s+\|\s+NAME\s+\|\s+VERSION\s+\|\s+TIME\s+\|\s+EVENTTRIGGER\s+\|\s+EVENT\s+\|$/,
    );
    const cells = lines
      .filter((l) => l.startsWith("| ") && !l.includes("CLUSTER"))
      .map((l) =>
        l
          .split("|")
          .slice(1, -1)
          .map((c) => c.trim()),
      );
    expect(cells).toEqual([
      [
        "default/clusterapi-workload",
        ":Namespace",
        "",
        "mgianluc",
        "N/A",
        "2026-02-04 13:12:03 +0000 UTC",
        "EventTrigger/manage-namespace",
        "auth.example.com mgianluc",
      ],
      [
        "prod/eu",
        ":Namespace",
        "",
        "bob",
        "N/A",
        "2026-02-04 13:12:03 +0000 UTC",
        "EventTrigger/deploy",
        "auth.example.com bob",
      ],
      [
        "prod/eu",
        "apps:Deployment",
        "bob",
        "web",
        "N/A",
        "2026-02-04 13:12:03 +0000 UTC",
        "EventTrigger/deploy",
        "auth.example.com bob",
      ],
    ]);
  });

  test("show addons - --cluster, --namespace and --kind filter; -o json gives rows", async () => {
    const r = await capture(() =>
      show.run(["addons", "-s", server.url, "--cluster", "prod/eu", "--kind", "deployment", "-o", "json"]),
    );
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { name: string; resourceType: string }[];
    expect(rows.map((x) => `${x.resourceType}/${x.name}`)).toEqual(["apps:Deployment/web"]);
    const ns = await capture(() => show.run(["addons", "-s", server.url, "--namespace", "bob", "-o", "json"]));
    expect((JSON.parse(ns.out) as { name: string }[]).map((x) => x.name)).toEqual(["web"]);
    const bad = await capture(() => show.run(["addons", "-s", server.url, "--cluster", "nope"]));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--cluster must be NAMESPACE/NAME");
  });

  test("show dryrun - lists what DryRun triggers would apply, and nothing real", async () => {
    const r = await capture(() => show.run(["dryrun", "-s", server.url]));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\| default\/clusterapi-workload \| :Namespace\s+\|\s+\| dave\s+\| would apply \|/);
    expect(r.out).not.toContain("mgianluc");
  });

  test("show addons - empty inventory prints only the header; time is sveltosctl's format", () => {
    expect(formatAddons([]).split("\n").filter(Boolean)).toHaveLength(3);
    expect(goTime("2025-02-04T13:06:14.123Z")).toBe("2025-02-04 13:06:14 +0000 UTC");
  });
});
