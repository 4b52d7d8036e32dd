import type { Command } from "./types.js";

export const demo: Command = {
  summary: "run the seed's login/logout story on an embedded local setup",
  async run() {
    process.stdout.write("evtctl demo: coming soon (the end-to-end wiring lands with issue 10)\n");
    return 0;
  },
};
