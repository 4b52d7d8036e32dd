// evtctl dlq: a real nats-server, the real matcher and applier in-process, an emulated managed cluster and a
// config directory. A trigger whose ConfigMap template does not parse dead-letters the match; after the
// ConfigMap is fixed, `evtctl dlq replay` re-drives it and the Namespace appears.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Applier, startApplier } from "@evtrigger/applier";
import {
  type Bus,
  connectBus,
  deadLetter,
  type EventEnvelope,
  encodeRecord,
  ensureTopology,
  eventSubject,
  listDeadLetters,
  publishDurable,
} from "@evtrigger/bus";
import { ClusterRegistry, DirConfigStore, KUBECONFIG_FILE_ANNOTATION } from "@evtrigger/config";
import { type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import { type Matcher, startMatcher } from "@evtrigger/matcher";
import { createLogger, createMetrics } from "@evtrigger/telemetry";
import { type NatsServer, startNatsServer, waitFor } from "@evtrigger/testkit";
import { dlq } from "../src/commands/dlq.js";
import { formatDeadLetters } from "../src/dlq/format.js";
import { wholeBody } from "../src/dlq/replay.js";
import { capture } from "./capture.js";

const run = promisify(execFile);

const CLUSTER = { namespace: "default", name: "workload", kind: "SveltosCluster" as const };

const triggerYaml = (template: string) => `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventSource
metadata:
  name: user-operation
spec:
  messagingMatchCriteria:
  - subject: "user-operation"
    cloudEventSource: "auth.example.com"
---
apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: manage-namespace
spec:
  sourceClusterSelector:
    matchLabels:
      env: fv
  eventSourceName: user-operation
  oneForEvent: true
  cloudEventAction: Create
  policyRefs:
  - name: namespace-template
    namespace: default
    kind: ConfigMap
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: namespace-template
  namespace: default
  annotations:
    projectsveltos.io/instantiate: ok
data:
  namespace.yaml: |
    kind: Namespace
    apiVersion: v1
    metadata:
      name: ${template}
`;

const silent = { write() {} };

describe("evtctl dlq", () => {
  let nats: NatsServer;
  let bus: Bus;
  let kube: KubeEmulator;
  let store: DirConfigStore;
  let matcher: Matcher;
  let applier: Applier;
  let dir: string;
  const cacheDir = mkdtempSync(join(tmpdir(), "evt-dlq-kubectl-"));

  beforeAll(async () => {
    nats = await startNatsServer();
    bus = await connectBus({ servers: nats.url, name: "dlq-test" });
    await ensureTopology(bus.jsm, bus.kvm);
    kube = await startKubeEmulator({ clusterName: "workload" });
    dir = mkdtempSync(join(tmpdir(), "evt-dlq-cfg-"));
    writeFileSync(
      join(dir, "cluster.yaml"),
      `apiVersion: lib.projectsveltos.io/v1beta1
kind: SveltosCluster
metadata:
  name: ${CLUSTER.name}
  namespace: ${CLUSTER.namespace}
  annotations:
    ${KUBECONFIG_FILE_ANNOTATION}: ${kube.kubeconfigPath}
  labels:
    env: fv
spec: {}
`,
    );
    // The template is broken: an action that is never closed.
    writeFileSync(join(dir, "trigger.yaml"), triggerYaml("{{ .CloudEvent.subject "));
    store = new DirConfigStore({ dir, debounceMs: 20 });
    await store.start();
    await waitFor(
      () => store.snapshot().eventTriggers.has("manage-namespace") && store.snapshot().clusters.size === 1,
      {
        what: "config loaded",
      },
    );
    const logger = createLogger({ service: "dlq-test", level: "error", stream: silent });
    matcher = await startMatcher({
      bus,
      store,
      logger,
      metrics: createMetrics({ service: "matcher", defaultMetrics: false }),
    });
    applier = await startApplier({
      bus,
      store,
      registry: new ClusterRegistry(store),
      logger,
      metrics: createMetrics({ service: "applier", defaultMetrics: false }),
    });
  });

  afterAll(async () => {
    await applier?.close();
    await matcher?.close();
    await store?.close();
    await bus?.close();
    await kube?.stop();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  });

  // The real kubectl against the emulated cluster.
  const namespaceExists = async (name: string) => {
    try {
      await run("kubectl", ["--kubeconfig", kube.kubeconfigPath, "--cache-dir", cacheDir, "get", "namespace", name]);
      return true;
    } catch (err) {
      if (/NotFound/.test(String((err as { stderr?: string }).stderr))) return false;
      throw err;
    }
  };

  test("dlq - a match whose template fails is dead-lettered, listed, shown, and replayed after the fix", async () => {
    const envelope: EventEnvelope = {
      v: 1,
      cluster: CLUSTER,
      natsSubject: "user-operation",
      subscription: "user-operation",
      transport: "nats",
      receivedAt: new Date().toISOString(),
      event: {
        specversion: "1.0",
        id: "10001",
        source: "auth.example.com",
        type: "auth.example.com.login",
        subject: "mgianluc",
        data: { message: "User mgianluc login" },
      },
    };
    await publishDurable(bus.js, eventSubject(CLUSTER), encodeRecord(envelope), { msgId: "ev-login-1" });
    const [letter] = await waitFor(
      async () => {
        const l = await listDeadLetters(bus.jsm, { stage: "applier" });
        return l.length ? l : undefined;
      },
      { what: "the failed match in EVT_DLQ" },
    );
    expect(letter!.letter).toMatchObject({
      stage: "applier",
      origin: { stream: "EVT_MATCHES" },
      object: { name: "manage-namespace" },
    });
    expect(await namespaceExists("mgianluc")).toBe(false);

    const list = await capture(() => dlq.run(["list", "-s", nats.url, "--stage", "applier"]));
    expect(list.code).toBe(0);
    const lines = list.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^SEQ\s+TIME\s+STAGE\s+CODE\s+CLUSTER\s+OBJECT\s+REPLAYED\s+REASON$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${letter!.seq}\\s+\\S+\\s+applier\\s+${letter!.letter.code}\\s+default/workload\\s+\\S*manage-namespace\\s+-\\s+`,
      ),
    );
    const none = await capture(() => dlq.run(["list", "-s", nats.url, "--stage", "gateway"]));
    expect(none.out).toBe("No dead letters.\n");

    const show = await capture(() => dlq.run(["show", String(letter!.seq), "-s", nats.url]));
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/Origin:\s+EVT_MATCHES sequence \d+ \(evt\.matches\.\d+\)/);
    expect(show.out).toContain(letter!.letter.reason);
    expect(show.out).toContain('"eventTrigger":"manage-namespace"'); // the body, decoded

    // Replayed before the fix: it fails again and shows up as a new dead letter, not silently deduplicated.
    const early = await capture(() => dlq.run(["replay", String(letter!.seq), "-s", nats.url]));
    expect(early.code).toBe(0);
    const earlySeq = Number(/ #(\d+) \(msg id replay:\d+:1\)/.exec(early.out)?.[1]);
    await waitFor(
      async () => (await listDeadLetters(bus.jsm, { stage: "applier" })).find((d) => d.letter.origin?.seq === earlySeq),
      { what: "a new dead letter for the replay that failed again" },
    );
    expect(await namespaceExists("mgianluc")).toBe(false);

    // Fix the ConfigMap, then re-drive (again, so explicitly).
    const before = store.snapshot().version;
    writeFileSync(join(dir, "trigger.yaml"), triggerYaml("{{ .CloudEvent.subject }}"));
    await waitFor(() => store.snapshot().version > before, { what: "fixed ConfigMap loaded" });
    const replay = await capture(() => dlq.run(["replay", String(letter!.seq), "--force", "-s", nats.url]));
    expect(replay.err).toBe("");
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(
      new RegExp(
        `^replayed\\s+EVT_DLQ #${letter!.seq} -> EVT_MATCHES evt\\.matches\\.\\d+ #\\d+ \\(msg id replay:${letter!.seq}:2\\)`,
      ),
    );
    await waitFor(() => namespaceExists("mgianluc"), { what: "Namespace mgianluc after the replay" });

    // A second replay must be explicit.
    const again = await capture(() => dlq.run(["replay", String(letter!.seq), "-s", nats.url]));
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/already-replayed .*--force/);
    const listed = await capture(() => dlq.run(["list", "-s", nats.url, "--stage", "applier"]));
    const row = listed.out.split("\n").find((l) => l.startsWith(`${letter!.seq} `));
    expect(row).toMatch(/\s2\s+/); // REPLAYED
    // The original match expired from EVT_MATCHES: the dead letter kept the whole body, which is re-published.
    const origin = letter!.letter.origin!;
    const original = await bus.jsm.streams.getMessage("EVT_MATCHES", { seq: origin.seq });
    await bus.jsm.streams.deleteMessage("EVT_MATCHES", origin.seq);
    const forced = await capture(() => dlq.run(["replay", String(letter!.seq), "--force", "-s", nats.url]));
    expect(forced.code).toBe(0);
    expect(forced.out).toContain(`replay:${letter!.seq}:3`);
    const seq = Number(/ #(\d+) \(msg id replay:\d+:3\)/.exec(forced.out)?.[1]);
    const copy = await bus.jsm.streams.getMessage("EVT_MATCHES", { seq });
    expect(copy!.subject).toBe(origin.subject);
    expect(new TextDecoder().decode(copy!.data)).toBe(new TextDecoder().decode(original!.data));
    expect(copy!.header.get("Evt-Replay-Of")).toBe(`EVT_DLQ:${letter!.seq}`);
  });

  test("dlq - a matcher letter is re-driven from EVT_EVENTS through the matcher again", async () => {
    // An envelope the matcher cannot decode (unknown record version): dead-lettered with its EVT_EVENTS origin.
    const bad = { v: 2, cluster: CLUSTER, event: { id: "x", source: "s", type: "t" } };
    const pub = await publishDurable(bus.js, eventSubject(CLUSTER), new TextEncoder().encode(JSON.stringify(bad)), {
      msgId: "bad-envelope-1",
    });
    const first = await waitFor(
      async () => (await listDeadLetters(bus.jsm, { stage: "matcher" })).find((d) => d.letter.origin?.seq === pub.seq),
      { what: "the matcher's dead letter" },
    );
    expect(first.letter.code).toBe("EVT_MATCHER_BAD_ENVELOPE");
    const r = await capture(() => dlq.run(["replay", String(first.seq), "-s", nats.url]));
    expect(r.code).toBe(0);
    const replayedSeq = Number(/-> EVT_EVENTS evt\.events\.default\.workload #(\d+)/.exec(r.out)?.[1]);
    expect(replayedSeq).toBeGreaterThan(pub.seq);
    // Still undecodable, so the matcher dead-letters the replayed copy: proof it was processed again.
    const second = await waitFor(
      async () =>
        (await listDeadLetters(bus.jsm, { stage: "matcher" })).find((d) => d.letter.origin?.seq === replayedSeq),
      { what: "the matcher to process the replayed event" },
    );
    expect(second.letter.headers?.["Evt-Replay-Of"]).toEqual([`EVT_DLQ:${first.seq}`]);
  });

  test("dlq - a gateway letter with its whole body is re-sent upstream with --upstream", async () => {
    await deadLetter(
      bus.js,
      {
        stage: "gateway",
        code: "EVT_GATEWAY_TOO_LARGE",
        reason: "message of 20 bytes exceeds the limit of 10 bytes",
        cluster: CLUSTER,
        natsSubject: "team-a.user-operation",
        headers: { "Nats-Msg-Id": ["upstream-1"], "ce-specversion": ["1.0"] },
        body: '{"specversion":"1.0"}',
        bodyEncoding: "utf8",
        bodyBytes: 21,
      },
      "gw-whole",
    );
    const [letter] = await listDeadLetters(bus.jsm, { stage: "gateway", code: "EVT_GATEWAY_TOO_LARGE" });
    const without = await capture(() => dlq.run(["replay", String(letter!.seq), "-s", nats.url]));
    expect(without.code).toBe(1);
    expect(without.out).toContain("--upstream URL (subject team-a.user-operation)");
    const sub = bus.nc.subscribe("team-a.user-operation", { max: 1 });
    const got = (async () => {
      for await (const m of sub) return m;
    })();
    const r = await capture(() => dlq.run(["replay", String(letter!.seq), "-s", nats.url, "--upstream", nats.url]));
    expect(r.code).toBe(0);
    expect(r.out).toContain("-> upstream team-a.user-operation");
    const m = await got;
    expect(m!.string()).toBe('{"specversion":"1.0"}');
    expect(m!.headers?.get("ce-specversion")).toBe("1.0");
    expect(m!.headers?.get("Nats-Msg-Id")).toBe("");
  });

  test("dlq - a gateway letter with a truncated body is explained and skipped; --all reports it", async () => {
    await deadLetter(
      bus.js,
      {
        stage: "gateway",
        code: "EVT_GATEWAY_NOT_JSON",
        reason: "body is not JSON",
        cluster: CLUSTER,
        natsSubject: "user-operation",
        body: "{not json",
        bodyEncoding: "utf8",
        bodyBytes: 100_000,
      },
      "gw-1",
    );
    const r = await capture(() =>
      dlq.run(["replay", "--all", "--stage", "gateway", "--code", "EVT_GATEWAY_NOT_JSON", "-s", nats.url]),
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/not-replayable\s+EVT_DLQ #\d+ a gateway rejection .* kept only part of its body/);
    expect(r.out).toContain("0 of 1 dead letter(s) replayed");
  });

  test("dlq - usage errors exit 2 and name the problem", async () => {
    const bad = await capture(() => dlq.run(["show", "abc", "-s", nats.url]));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('show needs a dead-letter sequence, got "abc"');
    const stage = await capture(() => dlq.run(["list", "--stage", "nope", "-s", nats.url]));
    expect(stage.code).toBe(2);
    expect(stage.err).toContain("--stage must be gateway, matcher or applier");
    const missing = await capture(() => dlq.run(["show", "99999", "-s", nats.url]));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("no dead letter with sequence 99999");
  });

  test("dlq - wholeBody and the list table (pure)", () => {
    expect(wholeBody({ v: 1, stage: "gateway", code: "X", reason: "r", at: "t", body: "abc", bodyBytes: 3 })).toEqual(
      new Uint8Array([97, 98, 99]),
    );
    expect(
      wholeBody({ v: 1, stage: "gateway", code: "X", reason: "r", at: "t", body: "abc", bodyBytes: 9 }),
    ).toBeUndefined();
    const table = formatDeadLetters([
      {
        seq: 7,
        subject: "evt.dlq.matcher",
        time: "2026-01-01T00:00:00.000Z",
        letter: {
          v: 1,
          stage: "matcher",
          code: "EVT_MATCHER_BAD_ENVELOPE",
          reason: `${"x".repeat(100)}`,
          at: "2026-01-01T00:00:00.000Z",
        },
      },
    ]);
    expect(table.split("\n")[1]).toMatch(
      /^7\s+2026-01-01T00:00:00.000Z\s+matcher\s+EVT_MATCHER_BAD_ENVELOPE\s+-\s+-\s+-\s+x{59}…$/,
    );
  });
});
