// The applier's status page in a real browser: `evtctl dev up`, the seed's end-to-end example applied with
// kubectl, a login published on NATS, then headless Debian Chromium (driven by playwright-core) loads `/` and
// the deployed-addons table shows the Namespace. A screenshot is saved and its path printed.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "@evtrigger/testkit";
import { type BrowserContext, chromium } from "playwright-core";
import { exists, type Stack, seedEvent, seedFile, startStack } from "./kit.js";

const CHROMIUM = "/usr/bin/chromium";

/** Text of every cell of the table with this id, row by row, as the browser rendered it. */
async function tableCells(ctx: BrowserContext, url: string, id: string): Promise<string[][]> {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(url, { waitUntil: "load" });
  return page.$$eval(`table#${id} tbody tr`, (rows) =>
    rows.map((r) =>
      Array.from(r.querySelectorAll("td")).map((td) => (td.textContent ?? "").replace(/\s+/g, " ").trim()),
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

  test("e2e - the status page in headless Chromium lists the Namespace deployed for a login", async () => {
    expect(existsSync(CHROMIUM)).toBe(true); // scripts/setup.sh installs Debian's chromium
    stack = await startStack();
    const s = stack;
    await s.kubectlMgmt("apply", "-f", seedFile("05-end-to-end.yaml"));
    await waitFor(
      async () => {
        await s.publish("user-operation", seedEvent("login"));
        return exists(s.kubectlManaged, "namespace", "mgianluc");
      },
      { timeoutMs: 30_000, intervalMs: 500, what: "Namespace mgianluc after login" },
    );

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
      { timeoutMs: 20_000, intervalMs: 250, what: "mgianluc in the status page's addons table" },
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
      rows.map((r) => Array.from(r.querySelectorAll("td")).map((td) => (td.textContent ?? "").trim())),
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
        return rows.find((r) => r[0] === "default/clusterapi-workload" && r[3] === "active") ? rows : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: "the gateway's state for the cluster on the page" },
    );
    expect(clusters.find((r) => r[0] === "default/clusterapi-workload")?.[4]).toMatch(/connected/);
    const shot = join(mkdtempSync(join(tmpdir(), "evt-status-page-")), "status-page.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    process.stdout.write(`status page screenshot: ${shot}\n`);
  }, 120_000);
});
