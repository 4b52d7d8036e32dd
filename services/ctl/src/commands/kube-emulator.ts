import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { type FaultSpec, type KubeEmulator, startKubeEmulator } from "@evtrigger/kube-emulator";
import type { Command } from "./types.js";

const USAGE = `usage: evtctl kube-emulator [--port P] [--host H] [--kubeconfig FILE] [--token T]
                             [--clusters a,b] [--fault JSON]...
  Serves an emulated Kubernetes API until SIGINT/SIGTERM. Writes a bearer-token kubeconfig to FILE
  (with --clusters: one <name>.kubeconfig per cluster next to FILE, ports P, P+1, ...).
  --fault '{"match":{"verb":"list"},"count":2,"action":{"status":429,"retryAfterSeconds":1}}'
  Faults can also be armed at runtime: POST <url>/_emulator/faults with the token.
`;

/** Resolves on the first SIGINT or SIGTERM, then stops listening for them. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}

export const kubeEmulator: Command = {
  summary: "serve an emulated Kubernetes API (kubectl and client-node accept it)",
  run: (argv) => serveKubeEmulator(argv, untilSignal),
};

/** The command with its end made explicit: serves until `until()` resolves (tests pass their own). */
export async function serveKubeEmulator(argv: string[], until: () => Promise<unknown>): Promise<number> {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (err) {
    process.stderr.write(`evtctl kube-emulator: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`evtctl kube-emulator: --port must be 0..65535, got "${values.port}"\n`);
    return 2;
  }
  const faults: unknown[] = [];
  for (const f of values.fault ?? []) {
    try {
      faults.push(JSON.parse(f));
    } catch {
      process.stderr.write(`evtctl kube-emulator: --fault is not JSON: ${f}\n`);
      return 2;
    }
  }
  const names = values.clusters ? values.clusters.split(",").filter((n) => n) : [undefined];
  const started: KubeEmulator[] = [];
  const stopAll = () => Promise.all(started.map((e) => e.stop()));
  try {
    for (const [i, name] of names.entries()) {
      const kubeconfigPath =
        name && values.kubeconfig ? join(dirname(values.kubeconfig), `${name}.kubeconfig`) : values.kubeconfig;
      const emu = await startKubeEmulator({
        port: port === 0 ? 0 : port + i,
        host: values.host,
        token: values.token,
        kubeconfigPath,
        clusterName: name,
      });
      started.push(emu);
      for (const f of faults) emu.faults.inject(f as FaultSpec);
      // `listening <url>` is the readiness line scripts wait for; details go on their own lines first.
      process.stdout.write(
        `${name ? `cluster ${name}\n` : ""}kubeconfig ${emu.kubeconfigPath}\nlistening ${emu.url}\n`,
      );
    }
  } catch (err) {
    await stopAll();
    process.stderr.write(`evtctl kube-emulator: ${(err as Error).message}\n`);
    return 1;
  }
  await until();
  await stopAll();
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      kubeconfig: { type: "string" },
      token: { type: "string" },
      clusters: { type: "string" },
      fault: { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
}
