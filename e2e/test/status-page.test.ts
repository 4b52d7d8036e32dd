// The applier's status page in a real browser: `evtctl dev up`, the seed's end-to-end example applied with
// kubectl, a login published on NATS, then headless Debian Chromium (driven by playwright-core) loads `/` and
// the deployed-addons table shows the Namespace. A screenshot is saved and its path printed.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { waitFor } from "@evtrigger/testkit";
import { type BrowserContext, chromium } from "playwright-core";
import { exists, repoRoot, type Stack, seedEvent, seedFile, startStack } from "./kit.js";

const CHROMIUM = "/usr/bin/chromium";
const run = promisify(execFile);

/** A second trigger on the same events whose ConfigMap template does not parse until \`fixed\`. */
const extraTrigger = (fixed: boolean) => `apiVersion: lib.projectsveltos.io/v1beta1
kind: EventTrigger
metadata:
  name: extra-namespace
spec:
  sourceClusterSelector:
    matchLabels:
      env: production
  eventSourceName: user-operation
  oneForEvent: true
  cloudEventAction: Create
  policyRefs:
    - name: extra-namespace
      namespace: default
      kind: ConfigMap
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: extra-namespace
  namespace: default
  annotations:
    projectsveltos.io/instantiate: ok
data:
  namespace.yaml: |
    kind: Namespace
    apiVersion: v1
    metadata:
      name: {{ .CloudEvent.subject }}-extra${fixed ? "" : " {{"}
`;

/** Text of every cell of the table with this id, row by row, as the browser rendered it. */
async function tableCells(ctx: BrowserContext, url: string, id: string): Promise<string[][]> {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  // Bounded below the caller's deadline, so one slow navigation is retried rather than using it up.
  await page.goto(url, { waitUntil: "load", timeout: 10_000 });
  return page.$$eval(`table#${id} tbody tr`, (rows) =>
    rows.map((r) =>
      Array.from(r.querySelectorAll("td")).map((td) =>
        ((td as { textContent: string | null }).textContent ?? "").replace(/\s+/g, " ").trim(),
      ),
    ),
  );
}

describe("e2e status page", () => {
  let stack: Stack | undefined;
  let ctx: BrowserContext | undefined;
  let profile: string | undefined;
  afterEach(async () => {
    if (stack && expect.getState().assertionCalls === 0) process.stderr.write(stack.output.slice(-40).join("\n"));
    await ctx?.close();
    await stack?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test("e2e - the status page in headless Chromium lists the deployed Namespace and a dead letter; dlq replay after the fix deploys the rest", async () => {
    expect(existsSync(CHROMIUM)).toBe(true); // scripts/setup.sh installs Debian's chromium
    stack = await startStack();
    const s = stack;
    const extra = join(s.dir, "extra.yaml");
    writeFileSync(extra, extraTrigger(false));
    // Published once every service has the triggers and ConfigMaps: the gateway deduplicates a re-published
    // login, so a login the matcher handled before it knew extra-namespace (or the applier before its store had
    // it) would never become that trigger's dead letter.
    await s.applyConfig(seedFile("05-end-to-end.yaml"), extra);
    await s.subscribed();
    await s.publish("user-operation", seedEvent("login"));
    await waitFor(() => exists(s.kubectlManaged, "namespace", "mgianluc"), {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: "Namespace mgianluc after login",
    });

    profile = mkdtempSync(join(tmpdir(), "evt-chromium-"));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1400, height: 900 },
    });
    const url = `${s.env.services.applier}/`;
    // The inventory is written right after the apply: reload until the page shows it.
    const addons = await waitFor(
      async () => {
        const rows = await tableCells(ctx!, url, "addons");
        return rows.some((r) => r.includes("mgianluc")) ? rows : undefined;
      },
      { timeoutMs: 40_000, intervalMs: 250, what: "mgianluc in the status page's addons table" },
    );
    expect(addons).toContainEqual([
      "default/clusterapi-workload",
      ":Namespace",
      "",
      "mgianluc",
      expect.any(String),
      "EventTrigger/manage-namespace",
      "auth.example.com mgianluc",
    ]);
    const page = ctx.pages()[0]!;
    expect(await page.title()).toBe("evtrigger status");
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute("content")).toBe("5");
    const triggers = await page.$$eval("table#triggers tbody tr", (rows) =>
      rows.map((r) =>
        Array.from(r.querySelectorAll("td")).map((td) =>
          ((td as { textContent: string | null }).textContent ?? "").trim(),
        ),
      ),
    );
    expect(triggers.find((r) => r[0] === "manage-namespace")?.slice(0, 5)).toEqual([
      "manage-namespace",
      "user-operation",
      "ContinuousWithDriftDetection",
      expect.stringMatching(/^[1-9]\d*$/),
      "1",
    ]);
    // The gateway's connection state for the managed cluster, published through KV evt-status.
    const clusters = await waitFor(
      async () => {
        const rows = await tableCells(ctx!, url, "clusters");
        // The subscription turns active a moment before the connection counts as connected (after the server
        // confirmed the subscriptions); the page shows each as published, so wait for both.
        const row = rows.find((r) => r[0] === "default/clusterapi-workload");
        return row?.[3] === "active" && /connected/.test(row[4] ?? "") ? rows : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: "the gateway's state for the cluster on the page" },
    );
    expect(clusters.find((r) => r[0] === "default/clusterapi-workload")?.[4]).toMatch(/connected/);
    // The broken trigger's match is a dead letter with its reason, and the trigger's last error says why.
    const dead = await waitFor(
      async () => {
        const rows = await tableCells(ctx!, url, "dead-letters");
        return rows.find((r) => r[5] === "EventTrigger/extra-namespace") ? rows : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: "the extra-namespace dead letter on the page" },
    );
    const letter = dead.find((r) => r[5] === "EventTrigger/extra-namespace")!;
    expect(letter[2]).toBe("applier");
    expect(letter[6]).toMatch(/extra-namespace/);
    const extraRow = (await tableCells(ctx, url, "triggers")).find((r) => r[0] === "extra-namespace");
    expect(extraRow?.[5]).toMatch(/^[1-9]/);
    expect(extraRow?.[6]).not.toBe("none"); // the latest of its dead letter and its EventsApplied condition

    // Fix the template, re-drive with evtctl, and the page shows the second Namespace.
    writeFileSync(extra, extraTrigger(true));
    await s.applyConfig(extra); // the applier has the fixed ConfigMap before the replay
    const ctl = join(repoRoot, "services/ctl/dist/main.js");
    const envFile = join(s.dir, "env.json");
    await run(process.execPath, [ctl, "dlq", "replay", "--all", "--stage", "applier", "--env-file", envFile]);
    await waitFor(() => exists(s.kubectlManaged, "namespace", "mgianluc-extra"), {
      timeoutMs: 30_000,
      intervalMs: 250,
      what: "Namespace mgianluc-extra after dlq replay",
    });
    await waitFor(async () => (await tableCells(ctx!, url, "addons")).some((r) => r[3] === "mgianluc-extra"), {
      timeoutMs: 20_000,
      intervalMs: 250,
      what: "mgianluc-extra in the addons table",
    });
    // The replay is marked on the letter, and EventsApplied=True after it clears the trigger's last error.
    await waitFor(
      async () => {
        const rows = await tableCells(ctx!, url, "dead-letters");
        const extraLetters = rows.filter((r) => r[5] === "EventTrigger/extra-namespace");
        const triggerRow = (await tableCells(ctx!, url, "triggers")).find((r) => r[0] === "extra-namespace");
        return extraLetters.some((r) => /^\d+× \(last /.test(r[7] ?? "")) && triggerRow?.[6] === "none";
      },
      { timeoutMs: 20_000, intervalMs: 250, what: "the replay mark and the cleared last error on the page" },
    );
    const shot = join(mkdtempSync(join(tmpdir(), "evt-status-page-")), "status-page.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    process.stdout.write(`status page screenshot: ${shot}\n`);
  }, 120_000);
});
