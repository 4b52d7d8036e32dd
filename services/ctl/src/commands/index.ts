import { demo } from "./demo.js";
import { dev } from "./dev.js";
import { dlq } from "./dlq.js";
import { kubeEmulator } from "./kube-emulator.js";
import { pub } from "./pub.js";
import { render } from "./render.js";
import { show } from "./show.js";
import { status } from "./status.js";
import type { Command } from "./types.js";
import { validate } from "./validate.js";

// The command table: one line per sub-command, each implemented in its own file.
export const commands: Record<string, Command> = {
  demo,
  "kube-emulator": kubeEmulator,
  dev,
  dlq,
  pub,
  render,
  show,
  status,
  validate,
};
