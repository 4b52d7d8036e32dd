import { showAddons, showDryrun } from "./show-addons.js";
import { showEvents } from "./show-events.js";
import type { Command } from "./types.js";

// `evtctl show <what>`: one line per view, each implemented in its own file (show-<what>.ts).
const views: Record<string, Command> = {
  events: showEvents,
  addons: showAddons,
  dryrun: showDryrun,
};

function usage(): string {
  const lines = Object.entries(views).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`);
  return `usage: evtctl show <view> [flags]   (evtctl show <view> --help for its flags)\n\nviews:\n${lines.join("\n")}\n`;
}

export const show: Command = {
  summary: "show recorded state: events, addons, dryrun",
  async run(argv) {
    const [view, ...rest] = argv;
    if (!view) {
      process.stderr.write(usage());
      return 2;
    }
    if (view === "--help" || view === "-h" || view === "help") {
      process.stdout.write(usage());
      return 0;
    }
    const cmd = views[view];
    if (!cmd) {
      process.stderr.write(`evtctl show: unknown view "${view}"\n${usage()}`);
      return 2;
    }
    return cmd.run(rest);
  },
};
