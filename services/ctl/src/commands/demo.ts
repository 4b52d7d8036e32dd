import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@evtrigger/testkit";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { connect } from "@nats-io/transport-node";
import { devUp, repoRoot } from "../dev/devup.js";
import { applyObjects, objectApi, parseObjects } from "../dev/kube.js";
import { parseArgs } from "../util/args.js";
import { show } from "./show.js";
import type { Command } from "./types.js";

const SEED = join(repoRoot, "e2e/seed");

/** Polls until `check` is true; the demo's only way to wait (no fixed sleeps). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function gauge(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line ? Number(line.split(" ").pop()) : 0;
}

export const demo: Command = {
  summary: "run the seed's login/logout story on an embedded local setup",
  async run(argv) {
    const a = parseArgs(argv, { booleans: ["verbose"] });
    const started = Date.now();
    const t = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
    const say = (s: string) => process.stdout.write(`\n[${t()}] ${s}\n`);
    const dir = tempDir("evt-demo-");

    say(
      "Starting the local setup (evtctl dev up): a nats-server with JetStream and user admin/my-password, an emulated management cluster and a managed cluster registered as SveltosCluster default/clusterapi-workload with label env=production, whose projectsveltos/sveltos-nats Secret subscribes to the user-operation subject; then the gateway, matcher and applier.",
    );
    const stack = await devUp({
      dir,
      clusterLabels: { env: "production" },
      echo: a.flags.has("verbose") ? (l) => process.stderr.write(`${l}\n`) : undefined,
    });
    try {
      const envFile = join(dir, "env.json");
      say(`Ready. Connection details are in ${envFile}.`);

      const seedFile = join(SEED, "05-end-to-end.yaml");
      say(
        "Deploying the seed's Sveltos configuration to the management cluster, unchanged: EventSource user-operation, EventTrigger manage-namespace (syncMode ContinuousWithDriftDetection, templated cloudEventAction) and the ConfigMap namespace template:",
      );
      const seedText = readFileSync(seedFile, "utf8");
      process.stdout.write(seedText.replace(/^/gm, "    "));
      await applyObjects(objectApi(stack.env.managementKubeconfig), parseObjects(seedText, seedFile));
      await until(
        "the matcher to load the EventSource",
        async () => (await gauge(stack.env.services.matcher, "evtrigger_matcher_eventsources")) >= 1,
      );

      const kc = new KubeConfig();
      kc.loadFromFile(stack.env.clusters[0].kubeconfig);
      const core = kc.makeApiClient(CoreV1Api);
      const nsExists = () =>
        core.readNamespace({ name: "mgianluc" }).then(
          (ns) => !ns.metadata?.deletionTimestamp,
          () => false,
        );
      const nc = await connect({ servers: stack.env.natsUrl, user: stack.env.natsUser, pass: stack.env.natsPassword });
      try {
        const login = readFileSync(join(SEED, "login.json"), "utf8");
        say(
          `Sending a CloudEvent for user mgianluc's login on subject user-operation (like \`nats pub user-operation "$CLOUDEVENT_JSON" --user=admin --password=my-password\`; here: \`pnpm -s evtctl pub user-operation "$CLOUDEVENT_JSON" --env-file ${envFile}\`):`,
        );
        process.stdout.write(login.replace(/^/gm, "    "));
        nc.publish("user-operation", login);
        await nc.flush();
        await until("Namespace mgianluc to be created in the managed cluster", nsExists);
        say("The Namespace mgianluc was created in the managed cluster. evtctl show addons:");
        await show.run(["addons", "--env-file", envFile]);

        const logout = readFileSync(join(SEED, "logout.json"), "utf8");
        say("Sending the logout CloudEvent (same source and subject, type auth.example.com.logout):");
        process.stdout.write(logout.replace(/^/gm, "    "));
        nc.publish("user-operation", logout);
        await nc.flush();
        await until("Namespace mgianluc to be deleted", async () => !(await nsExists()));
        say("The Namespace mgianluc was deleted in response to the logout CloudEvent. evtctl show addons:");
        await show.run(["addons", "--env-file", envFile]);
      } finally {
        await nc.close();
      }
    } finally {
      say("Stopping everything.");
      await stack.stop();
    }
    say("Done.");
    return 0;
  },
};
